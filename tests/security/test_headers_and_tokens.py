"""Browser-side safety over HTTP: security headers on every response; no state change without the
session's token; GET never changes state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wiki.web.security import CSP

TEMPLATES = Path(__file__).resolve().parents[2] / "wiki" / "templates"


def _assert_headers(resp, where: str) -> None:
    h = resp.headers
    csp = h.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp, where
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], where
    assert "frame-ancestors 'none'" in csp, where
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("X-Frame-Options") == "DENY", where
    assert h.get("Referrer-Policy"), where


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/wiki/Main_Page"),
        ("get", "/wiki/No_such_page_at_all"),
        ("get", "/wiki/Special:RecentChanges"),
        ("get", "/wiki/Special:NoSuchSpecial"),
        ("get", "/w/index.php?title=A&action=history"),
        ("get", "/w/index.php?title=A&action=raw"),
        ("get", "/w/index.php?title=A&action=bogus"),
        ("get", "/w/index.php?title=%5B%5Bbad%5D%5D"),
        ("get", "/static/wiki.css"),
        ("get", "/w/api.php?action=query&meta=siteinfo&format=json"),
        ("post", "/w/index.php?title=A&action=submit"),
        ("get", "/nowhere"),
    ],
)
def test_security_headers_on_every_kind_of_response(client, method, url):
    _assert_headers(getattr(client, method)(url), url)


def test_csp_allows_only_our_own_scripts_and_styles():
    assert "script-src 'self';" in CSP + ";" and "style-src 'self';" in CSP + ";"
    assert "object-src 'none'" in CSP and "img-src 'self' data:" in CSP


def test_edit_without_the_session_token_saves_nothing(wiki, client):
    fields = wiki.edit_form("Tokened")
    fields.pop("wpEditToken")
    resp = wiki.submit("Tokened", {**fields, "wpTextbox1": "forged"})
    assert resp.status_code == 400
    resp = wiki.submit("Tokened", {**fields, "wpTextbox1": "forged", "wpEditToken": "0123456789abcdef+\\"})
    assert resp.status_code == 400
    assert client.get("/wiki/Tokened").status_code == 404


def test_token_of_another_session_is_refused(app, wiki, client):
    other = app.test_client()
    stolen = WikiClientLike(other).token()
    fields = wiki.edit_form("Crossed")
    resp = wiki.submit("Crossed", {**fields, "wpTextbox1": "forged", "wpEditToken": stolen})
    assert resp.status_code == 400
    assert client.get("/wiki/Crossed").status_code == 404


class WikiClientLike:
    def __init__(self, client):
        self.client = client

    def token(self) -> str:
        html = self.client.get("/wiki/Special:UserLogin").get_data(as_text=True)
        return re.search(r'name="wpEditToken" value="([^"]*)"', html).group(1).replace("&#43;", "+")


def test_get_never_saves(wiki, client):
    fields = wiki.edit_form("Getter")
    resp = client.get(
        "/w/index.php", query_string={**fields, "title": "Getter", "action": "submit", "wpSave": 1}
    )
    assert resp.status_code in (200, 400, 405)
    assert client.get("/wiki/Getter").status_code == 404


# POST forms that change nothing (they post only because their input is long), as in MediaWiki.
READ_ONLY_POST_FORMS = {"special_export.html"}


def test_every_post_form_in_the_skin_carries_the_token():
    missing = []
    for path in sorted(TEMPLATES.glob("*.html")):
        if path.name in READ_ONLY_POST_FORMS:
            continue
        for form in re.findall(r"<form\b[^>]*>.*?</form>", path.read_text(), re.S | re.I):
            if re.search(r'method="post"', form, re.I) and "csrf_token()" not in form:
                missing.append(path.name)
    assert missing == []


def test_api_writes_need_the_session_token_and_a_post(client):
    resp = client.post(
        "/w/api.php", data={"action": "edit", "title": "Forged", "text": "x", "format": "json"}
    )
    assert resp.get_json()["error"]["code"] == "missingparam"
    resp = client.post(
        "/w/api.php",
        data={"action": "edit", "title": "Forged", "text": "x", "token": "abc+\\", "format": "json"},
    )
    assert resp.get_json()["error"]["code"] == "badtoken"
    resp = client.get(
        "/w/api.php",
        query_string={"action": "edit", "title": "Forged", "text": "x", "token": "+\\", "format": "json"},
    )
    assert resp.get_json()["error"]["code"] == "mustpostparams"
    assert client.get("/wiki/Forged").status_code == 404


def test_api_delete_by_a_non_sysop_is_permissiondenied(client, wiki):
    wiki.edit("Undeletable", "text")
    token = client.get("/w/api.php?action=query&meta=tokens&format=json").get_json()["query"]["tokens"][
        "csrftoken"
    ]
    resp = client.post(
        "/w/api.php", data={"action": "delete", "title": "Undeletable", "token": token, "format": "json"}
    )
    assert resp.get_json()["error"]["code"] == "permissiondenied"
    assert client.get("/wiki/Undeletable").status_code == 200


def test_pages_served_from_the_front_cache_keep_the_headers_and_no_token(app, wiki):
    wiki.edit("Cached page", "hello")
    first = app.test_client().get("/wiki/Cached_page")
    again = app.test_client().get("/wiki/Cached_page")  # a reader without a session: a cache hit
    for resp in (first, again):
        _assert_headers(resp, "front cache")
        assert "wpEditToken" not in resp.get_data(as_text=True)


def test_two_sessions_never_share_an_edit_token(app):
    tokens = set()
    for _ in range(2):
        html = app.test_client().get("/w/index.php?title=Anything&action=edit").get_data(as_text=True)
        tokens.add(re.search(r'name="wpEditToken" value="([^"]*)"', html).group(1))
    assert len(tokens) == 2
