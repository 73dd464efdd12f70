"""Bad input gets a clear message and the right status; nothing is saved or lost."""

from html import unescape

import pytest


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/wiki/A%3Cb", 400, '"<"'),
        ("/wiki/" + "x" * 300, 400, "255 bytes"),
        ("/w/index.php?title=A[b&action=edit", 400, '"["'),
        ("/w/index.php?title=Main_Page&action=frobnicate", 400, "Valid actions"),
        ("/w/index.php?title=Main_Page&oldid=abc", 400, "revision number"),
        ("/w/index.php?title=Main_Page&oldid=999999", 404, "revision"),
        ("/w/index.php?title=Main_Page&diff=zz", 404, "does not exist"),
        ("/wiki/Special:NoSuchThing", 404, "not a special page"),
    ],
)
def test_bad_requests(client, url, status, words):
    resp = client.get(url)
    assert resp.status_code == status
    assert words in unescape(resp.get_data(as_text=True))


def test_unknown_diff_on_existing_page_is_404(wiki):
    wiki.edit("Exists", "x")
    assert wiki.client.get("/w/index.php?title=Exists&diff=999999").status_code == 404
    assert wiki.client.get("/w/index.php?title=Exists&diff=abc").status_code == 400


def test_invalid_title_in_form_saves_nothing(wiki):
    resp = wiki.client.post("/w/index.php?title=Bad|title&action=submit", data={"wpTextbox1": "x"})
    assert resp.status_code == 400


def test_text_over_limit_is_413_and_keeps_text(app, wiki):
    app.config["WIKI_MAX_TEXT_BYTES"] = 1000
    resp = wiki.edit("Big", "y" * 1001)
    assert resp.status_code == 413
    html = resp.get_data(as_text=True)
    assert "y" * 1001 in html and "too long" in html
    assert wiki.view("Big").status_code == 404


def test_missing_or_wrong_token_saves_nothing_and_keeps_text(wiki):
    fields = wiki.edit_form("Tokened")
    fields["wpTextbox1"] = "my precious text"
    for token in ("", "forged+\\"):
        fields["wpEditToken"] = token
        resp = wiki.submit("Tokened", fields)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400
        assert "loss of session data" in html
        assert "my precious text" in html
    assert wiki.view("Tokened").status_code == 404


def test_huge_request_body_is_refused(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    resp = client.post("/w/index.php?title=X&action=submit", data={"wpTextbox1": "z" * 20_000})
    assert resp.status_code == 413
