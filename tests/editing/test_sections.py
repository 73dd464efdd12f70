"""Section editing through the browser and the API: one implementation (wiki.pages.sections)."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import ApiClient
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

PAGE = "lead\n\n== One ==\nfirst\n\n=== Sub ===\nsub\n\n== Two é ==\nsecond <!--\n== not a heading ==\n-->"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("sections")
    app = make_app(fresh_database_url(database_template, work), work)
    yield app
    close_app(app)


def content(api: ApiClient, title: str) -> tuple[str, str]:
    got = api.get(
        action="query",
        titles=title,
        prop="revisions",
        rvprop="content|comment",
        rvslots="main",
        formatversion="2",
    )
    rev = got["query"]["pages"][0]["revisions"][0]
    return rev["slots"]["main"]["content"], rev["comment"]


def test_browser_section_edit_shows_one_section_and_saves_it_back(app):
    api, wiki = ApiClient(app.test_client()), WikiClient(app.test_client())
    api.edit("Sec browser", PAGE)
    fields = wiki.edit_form("Sec browser", section="1")
    assert fields["wpTextbox1"] == "== One ==\nfirst\n\n=== Sub ===\nsub"
    assert fields["wpSummary"] == "/* One */ " and fields["wpSection"] == "1"
    fields["wpTextbox1"] = "== One ==\nFIRST ~~~"
    resp = wiki.submit("Sec browser", fields)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/wiki/Sec_browser#One")
    text, comment = content(api, "Sec browser")
    assert text.startswith(
        "lead\n\n== One ==\nFIRST [[Special:Contributions/127.0.0.1|127.0.0.1]]\n\n== Two é =="
    )
    assert comment == "/* One */"
    fields = wiki.edit_form("Sec browser", section="2")
    assert (
        fields["wpTextbox1"].startswith("== Two é ==\nsecond <!--") and fields["wpSummary"] == "/* Two é */ "
    )
    fields["wpTextbox1"] = "== Two é ==\nSECOND"
    assert wiki.submit("Sec browser", fields).headers["Location"].endswith("#Two_.C3.A9")


def test_browser_new_section_with_subject(app):
    api, wiki = ApiClient(app.test_client()), WikiClient(app.test_client())
    api.edit("Talk:Sec new", "Existing talk")
    html = (
        app.test_client()
        .get("/w/index.php?title=Talk:Sec_new&action=edit&section=new")
        .get_data(as_text=True)
    )
    assert "Editing Talk:Sec new (new section)" in html and "Subject:" in html
    fields = wiki.edit_form("Talk:Sec new", section="new")
    fields.update(wpTextbox1="A question ~~~", wpSummary="Question [[here]]")
    resp = wiki.submit("Talk:Sec_new", fields)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("#Question_here")
    text, comment = content(api, "Talk:Sec new")
    assert text.startswith("Existing talk\n\n== Question [[here]] ==\n\nA question [[Special:Contributions/")
    assert comment == "/* Question here */ new section"


def test_browser_bad_sections(app):
    client = app.test_client()
    ApiClient(client).edit("Sec bad", PAGE)
    assert client.get("/w/index.php?title=Sec_bad&action=edit&section=9").status_code == 404
    assert client.get("/w/index.php?title=Sec_bad&action=edit&section=x").status_code == 400
    assert client.get("/w/index.php?title=Sec_missing&action=edit&section=1").status_code == 404
    assert client.get("/w/index.php?title=Sec_bad&action=edit&section=T-1").status_code == 200  # a template's
    assert client.get("/w/index.php?title=Sec_bad&action=edit&section=1234567").status_code == 400


def test_browser_section_edit_merges_with_an_edit_of_another_section(app):
    api, wiki = ApiClient(app.test_client()), WikiClient(app.test_client())
    api.edit("Sec merge", PAGE)
    fields = wiki.edit_form("Sec merge", section="3")
    api.edit("Sec merge", PAGE.replace("lead", "LEAD"))
    fields["wpTextbox1"] = "== Two é ==\nchanged"
    assert wiki.submit("Sec merge", fields).status_code == 303
    text, _ = content(api, "Sec merge")
    assert text.startswith("LEAD") and "== Two é ==\nchanged" in text


def test_api_sections_new_append_and_errors(app):
    api = ApiClient(app.test_client())
    api.edit("Sec api", "lead\n== A ==\na")
    api.edit("Sec api", "body", section="new", sectiontitle="New [[Foo|bar]] one")
    assert content(api, "Sec api")[1] == "/* New bar one */ new section"
    api.edit("Sec api", "body2", section="new", summary="Only summary")
    assert content(api, "Sec api")[1] == "/* Only summary */ new section"
    assert api.edit("Sec api", "x", section="7")["error"]["code"] == "nosuchsection"
    assert api.edit("Sec api", "x", section="abc")["error"]["code"] == "invalidsection"
    api.edit("Sec api", "ignored", section="1", appendtext="APP")
    assert api.edit("Sec api", "t", appendtext="X", md5="bad")["error"]["code"] == "badmd5"
    import hashlib

    good = hashlib.md5(b"YX").hexdigest()
    assert (
        api.edit("Sec api", "ignored", appendtext="X", prependtext="Y", md5=good)["edit"]["result"]
        == "Success"
    )
    assert content(api, "Sec api")[0] == (
        "Ylead\n== A ==\naAPP\n\n== New [[Foo|bar]] one ==\n\nbody\n\n== Only summary ==\n\nbody2X"
    )
    missing = api.post(action="edit", title="Sec api", token=api.token())
    assert missing["error"]["code"] == "missingparam"


def test_the_pages_edit_links_open_the_section_they_sit_on(app):
    api, wiki = ApiClient(app.test_client()), WikiClient(app.test_client())
    api.edit("Sec links", PAGE + "\n<pre>\n== in pre ==\n</pre>\n== Three ==\nthird")
    html = app.test_client().get("/wiki/Sec_links").get_data(as_text=True)
    links = re.findall(r'action=edit&amp;section=(\d+)" title="Edit section: ([^"]+)"', html)
    assert links == [("1", "One"), ("2", "Sub"), ("3", "Two é"), ("4", "Three")]
    for number, heading in links:
        marks = "===" if heading == "Sub" else "=="
        assert wiki.edit_form("Sec links", section=number)["wpTextbox1"].startswith(
            f"{marks} {heading} {marks}"
        )


def test_a_new_section_can_start_a_talk_page(app):
    api, wiki = ApiClient(app.test_client()), WikiClient(app.test_client())
    fields = wiki.edit_form("Talk:Sec fresh", section="new")
    fields.update(wpTextbox1="First words", wpSummary="Opening")
    resp = wiki.submit("Talk:Sec_fresh", fields)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/wiki/Talk:Sec_fresh#Opening")
    assert content(api, "Talk:Sec fresh") == ("== Opening ==\n\nFirst words", "/* Opening */ new section")
