"""The REST API (/w/rest.php/v1) through HTTP: MediaWiki 1.39's shapes, errors and bounds."""

from __future__ import annotations

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

REST = "/w/rest.php/v1"
COMPARE_TEXTS = [
    "Line one\nLine two\nLine three",
    "Line one\nLine 2 changed\nLine three\nNew line",
    "Line one\nLine three\nNew line",
]
# MediaWiki 1.39's answers (wikidiff2) for the same three revisions, recorded from the real wiki.
MW_DIFFS = [
    [
        {"type": 0, "lineNumber": 1, "text": "Line one", "offset": {"from": 0, "to": 0}},
        {
            "type": 3,
            "lineNumber": 2,
            "text": "Line two2 changed",
            "offset": {"from": 9, "to": 9},
            "highlightRanges": [{"start": 5, "length": 3, "type": 1}, {"start": 8, "length": 9, "type": 0}],
        },
        {"type": 0, "lineNumber": 3, "text": "Line three", "offset": {"from": 18, "to": 24}},
        {"type": 1, "lineNumber": 4, "text": "New line", "offset": {"from": None, "to": 35}},
    ],
    [
        {"type": 0, "lineNumber": 1, "text": "Line one", "offset": {"from": 0, "to": 0}},
        {"type": 2, "text": "Line 2 changed", "offset": {"from": 9, "to": None}},
        {"type": 0, "lineNumber": 2, "text": "Line three", "offset": {"from": 24, "to": 9}},
        {"type": 0, "lineNumber": 3, "text": "New line", "offset": {"from": 35, "to": 20}},
    ],
]


@pytest.fixture(scope="module")
def rest_app(database_template, tmp_path_factory):
    from wiki.search import worker

    work = tmp_path_factory.mktemp("rest")
    app = make_app(fresh_database_url(database_template, work), work)
    editor = WikiClient(app.test_client())
    assert editor.edit("Rest page", "Line one\nLine two\nLine three", summary="first").status_code == 303
    text = "A '''rest page''' is a test page. It has two sentences.\n\n== Part ==\nLine 2 changed\nNew line"
    assert editor.edit("Rest page", text, summary="second", minor=True).status_code == 303
    assert editor.edit("Rest other", "Other page.").status_code == 303
    assert editor.edit("Rest alias", "#REDIRECT [[Rest page]]").status_code == 303
    assert editor.edit("Rest dab", "Rest may mean:\n\n[[Category:Disambiguation pages]]").status_code == 303
    for text in COMPARE_TEXTS:
        assert editor.edit("Rest compare", text).status_code == 303
    for n in range(25):
        assert editor.edit("Rest long", f"Version {n}").status_code == 303
    indexer = app.extensions["wiki.search.indexer"]
    indexer.stop(wait=60)
    with app.app_context():
        while worker.step(indexer.index):
            pass
    yield app
    close_app(app)


@pytest.fixture
def client(rest_app):
    return rest_app.test_client()


def _rev_ids(client, title: str) -> list[int]:
    return [r["id"] for r in client.get(f"{REST}/page/{title}/history").get_json()["revisions"]]


def not_found(resp, message: str) -> None:
    assert resp.status_code == 404
    assert resp.mimetype == "application/json"
    assert resp.get_json() == {
        "messageTranslations": {"en": message},
        "httpCode": 404,
        "httpReason": "Not Found",
    }


def test_page_source(client):
    resp = client.get(f"{REST}/page/Rest_page")
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(body) == {"id", "key", "title", "latest", "content_model", "license", "source"}
    assert body["key"] == "Rest_page" and body["title"] == "Rest page"
    assert body["content_model"] == "wikitext" and body["license"] == {"url": "", "title": ""}
    assert body["source"].startswith("A '''rest page'''")
    assert set(body["latest"]) == {"id", "timestamp"} and body["latest"]["timestamp"].endswith("Z")
    assert resp.headers["ETag"] and resp.headers["Last-Modified"]
    assert resp.headers["Cache-Control"] == "max-age=5"
    again = client.get(f"{REST}/page/Rest_page", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_page_bare_and_html(client):
    body = client.get(f"{REST}/page/Rest_page/bare").get_json()
    # MediaWiki links the prefixed text, its space encoded (%20), not the key
    assert "source" not in body and body["html_url"].endswith("/w/rest.php/v1/page/Rest%20page/html")
    resp = client.get(f"{REST}/page/Rest_page/html")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/html;charset=UTF-8"
    text = resp.get_data(as_text=True)
    assert text.startswith("<!DOCTYPE html>") and "<b>rest page</b>" in text
    both = client.get(f"{REST}/page/Rest_page/with_html")
    assert both.status_code == 200 and both.headers["ETag"] != resp.headers["ETag"]
    merged = both.get_json()
    assert merged["key"] == "Rest_page" and merged["html"] == text and "source" not in merged
    latest = merged["latest"]["id"]
    rev = client.get(f"{REST}/revision/{latest}/with_html").get_json()
    assert rev["id"] == latest and "<b>rest page</b>" in rev["html"]


def test_missing_page_is_404_with_mediawiki_body(client):
    for suffix in ("", "/bare", "/html", "/history", "/summary"):
        not_found(
            client.get(f"{REST}/page/No_such_rest_page{suffix}"),
            "The specified title (No_such_rest_page) does not exist",
        )
    not_found(client.get(f"{REST}/page/Foo%7Cbar"), "The specified title (Foo|bar) does not exist")
    long = client.get(f"{REST}/page/{'A' * 5000}")
    assert long.status_code == 404 and len(long.get_data()) < 1000


def test_unknown_route(client):
    not_found(
        client.get(f"{REST}/nosuch/route"),
        "The requested relative path (/v1/nosuch/route) did not match any known handler",
    )


def test_writing_methods_get_a_json_405(client):
    resp = client.post(f"{REST}/page/Rest_page", data={"source": "x"})
    assert resp.status_code == 405 and resp.get_json()["httpReason"] == "Method Not Allowed"
    assert client.get(f"{REST}/page/Rest_page").get_json()["source"].startswith("A '''rest page'''")


def test_a_redirect_page_answers_as_itself_and_only_the_summary_follows(client):
    # MediaWiki 1.39's REST API has no redirect following: every page endpoint answers the redirect.
    alias = client.get(f"{REST}/page/Rest_alias").get_json()
    assert alias["key"] == "Rest_alias" and alias["source"] == "#REDIRECT [[Rest page]]"
    for suffix in ("/bare", "/html", "/with_html", "/history", "/history/counts/edits"):
        resp = client.get(f"{REST}/page/Rest_alias{suffix}")
        assert resp.status_code == 200, suffix
    assert "redirectMsg" in client.get(f"{REST}/page/Rest_alias/html").get_data(as_text=True)
    assert client.get(f"{REST}/page/Rest_alias/bare").get_json()["key"] == "Rest_alias"
    preview = client.get(f"{REST}/page/Rest_alias/summary")
    assert preview.status_code == 307 and preview.headers["Location"].endswith("/page/Rest_page/summary")


def test_history_shape_and_paging(client):
    body = client.get(f"{REST}/page/Rest_page/history").get_json()
    assert [r["comment"] for r in body["revisions"]] == ["second", "first"]
    newest = body["revisions"][0]
    assert set(newest) == {"id", "timestamp", "minor", "size", "comment", "user", "delta"}
    assert newest["minor"] is True and newest["user"] == {"id": None, "name": "127.0.0.1"}
    assert newest["delta"] == newest["size"] - body["revisions"][1]["size"]
    assert body["revisions"][1]["delta"] is None
    assert body["latest"].endswith("/page/Rest_page/history") and "older" not in body and "newer" not in body
    first = client.get(f"{REST}/page/Rest_long/history").get_json()
    assert len(first["revisions"]) == 20 and "?older_than=" in first["older"]
    second = client.get(first["older"].split("/w/rest.php/v1", 1)[1].join([REST, ""])).get_json()
    assert len(second["revisions"]) == 5 and "?newer_than=" in second["newer"] and "older" not in second
    back = client.get(second["newer"].split("/w/rest.php/v1", 1)[1].join([REST, ""])).get_json()
    assert [r["id"] for r in back["revisions"]] == [r["id"] for r in first["revisions"]][:20]
    minor = client.get(f"{REST}/page/Rest_page/history?filter=minor").get_json()
    assert [r["comment"] for r in minor["revisions"]] == ["second"] and minor["latest"].endswith(
        "?filter=minor"
    )


def test_history_bad_input(client):
    bad = client.get(f"{REST}/page/Rest_page/history?filter=bogus")
    assert bad.status_code == 400
    assert bad.get_json() == {
        "error": "parameter-validation-failed",
        "name": "filter",
        "value": "bogus",
        "failureCode": "badvalue",
        "failureData": [],
        "messageTranslations": {"en": 'Unrecognized value for parameter "filter": bogus.'},
        "httpCode": 400,
        "httpReason": "Bad Request",
    }
    both = client.get(f"{REST}/page/Rest_page/history?older_than=1&newer_than=1")
    assert (
        both.status_code == 400 and "cannot both be specified" in both.get_json()["messageTranslations"]["en"]
    )
    assert client.get(f"{REST}/page/Rest_page/history?older_than=0").status_code == 400
    assert (
        client.get(f"{REST}/page/Rest_page/history?older_than=abc").get_json()["failureCode"] == "badinteger"
    )
    assert client.get(f"{REST}/page/Rest_page/history?older_than={'9' * 40}").status_code == 400
    # paging from a revision of another page, or of none, is a 404 as in MediaWiki
    foreign = _rev_ids(client, "Rest_other")[0]
    assert client.get(f"{REST}/page/Rest_page/history?newer_than={foreign}").status_code == 404
    assert client.get(f"{REST}/page/Rest_page/history?older_than=999999").status_code == 404


def test_revision(client):
    rev_id = _rev_ids(client, "Rest_page")[0]
    body = client.get(f"{REST}/revision/{rev_id}").get_json()
    assert body["id"] == rev_id and body["page"] == {
        "id": body["page"]["id"],
        "key": "Rest_page",
        "title": "Rest page",
    }
    assert {
        "size",
        "minor",
        "timestamp",
        "content_model",
        "license",
        "user",
        "comment",
        "delta",
        "source",
    } <= set(body)
    bare = client.get(f"{REST}/revision/{rev_id}/bare").get_json()
    assert "source" not in bare and bare["html_url"].endswith(f"/revision/{rev_id}/html")
    not_found(client.get(f"{REST}/revision/999999"), "The specified revision (999999) does not exist")
    assert client.get(f"{REST}/revision/abc").get_json()["failureCode"] == "badinteger"
    not_found(
        client.get(f"{REST}/revision/{'9' * 19}"), f"The specified revision ({'9' * 19}) does not exist"
    )


def test_compare(client):
    new, old = _rev_ids(client, "Rest_page")
    body = client.get(f"{REST}/revision/{old}/compare/{new}").get_json()
    assert body["from"] == {"id": old, "slot_role": "main", "sections": []}
    assert body["to"]["sections"] == [{"level": 2, "heading": "== Part ==", "offset": 57}]
    kinds = [d["type"] for d in body["diff"]]
    assert set(kinds) <= {0, 1, 2, 3} and 1 in kinds
    changed = [d for d in body["diff"] if d["type"] == 3]
    assert all({"lineNumber", "text", "offset", "highlightRanges"} <= set(d) for d in changed)
    not_found(
        client.get(f"{REST}/revision/{old}/compare/999999"),
        "The revision specified by the to parameter does not exist.",
    )
    other = _rev_ids(client, "Rest_other")[0]
    empty = client.get(f"{REST}/revision/{old}/compare/")  # "…/compare/#": the fragment is not sent
    assert empty.status_code == 400 and empty.get_json()["failureCode"] == "badinteger"
    mixed = client.get(f"{REST}/revision/{old}/compare/{other}")
    assert mixed.status_code == 400
    assert client.get(f"{REST}/revision/{old}/compare/{old}").get_json()["diff"] == []


def test_search_page(client):
    body = client.get(f"{REST}/search/page?q=sentences&limit=5").get_json()
    assert [p["key"] for p in body["pages"]] == ["Rest_page"]
    hit = body["pages"][0]
    assert set(hit) == {"id", "key", "title", "excerpt", "matched_title", "description", "thumbnail"}
    assert hit["description"] == "A rest page is a test page." and hit["thumbnail"] is None
    missing = client.get(f"{REST}/search/page?limit=2")
    assert missing.status_code == 400 and missing.get_json()["failureCode"] == "missingparam"
    big = client.get(f"{REST}/search/page?q=a&limit=999")
    assert big.status_code == 400 and big.get_json()["failureData"] == {
        "min": 1,
        "curmax": 100,
        "max": 100,
        "highmax": 100,
    }
    assert client.get(f"{REST}/search/page?q={'x' * 5000}").status_code in (200, 400)


def test_search_names_the_redirect_that_matched_and_has_no_excerpt_for_a_title_match(client):
    body = client.get(f"{REST}/search/title?q=Rest%20al&limit=5").get_json()
    target = client.get(f"{REST}/page/Rest_page/bare").get_json()
    assert [(p["id"], p["title"], p["matched_title"], p["excerpt"]) for p in body["pages"]] == [
        (target["id"], "Rest page", "Rest alias", "Rest alias")
    ]
    hits = client.get(f"{REST}/search/page?q=dab").get_json()["pages"]
    assert [(p["key"], p["excerpt"]) for p in hits] == [("Rest_dab", None)]  # matched the title only
    words = client.get(f"{REST}/search/page?q=sentences").get_json()["pages"]
    assert '<span class="searchmatch">sentences</span>' in words[0]["excerpt"]


def test_search_title(client):
    body = client.get(f"{REST}/search/title?q=Rest%20p&limit=3").get_json()
    assert body["pages"][0]["key"] == "Rest_page" and body["pages"][0]["excerpt"] == "Rest page"
    assert body["pages"][0]["description"] == "A rest page is a test page."
    assert client.get(f"{REST}/search/title?q=Rest&limit=0").status_code == 400


def test_summary(client):
    body = client.get(f"{REST}/page/Rest_page/summary").get_json()
    assert body["type"] == "standard" and body["title"] == "Rest_page"
    assert body["extract"] == "A rest page is a test page."
    assert body["extract_html"] == "<p>A rest page is a test page.</p>"
    assert body["content_urls"]["desktop"]["page"].endswith("/wiki/Rest_page")
    assert client.get(f"{REST}/page/Rest_dab/summary").get_json()["type"] == "disambiguation"
    assert client.get(f"{REST}/page/Rest_alias/summary").status_code == 307


def test_compare_matches_mediawiki(client):
    first, second, third = reversed(_rev_ids(client, "Rest_compare"))
    for (old, new), expected in zip(((first, second), (second, third)), MW_DIFFS, strict=True):
        assert client.get(f"{REST}/revision/{old}/compare/{new}").get_json()["diff"] == expected


def test_history_counts(client):
    def count(title: str, kind: str, query: str = ""):
        return client.get(f"{REST}/page/{title}/history/counts/{kind}{query}")

    got = {
        k: count("Rest_page", k).get_json()
        for k in ("edits", "anonymous", "minor", "editors", "bot", "reverted")
    }
    assert got == {
        "edits": {"count": 2, "limit": False},
        "anonymous": {"count": 2, "limit": False},
        "minor": {"count": 1, "limit": False},
        "editors": {"count": 1, "limit": False},
        "bot": {"count": 0, "limit": False},
        "reverted": {"count": 0, "limit": False},
    }
    newest = _rev_ids(client, "Rest_long")
    assert count("Rest_long", "edits").get_json()["count"] == 25
    for low, high in ((newest[5], newest[0]), (newest[0], newest[5])):  # strictly between, either order
        assert count("Rest_long", "edits", f"?from={low}&to={high}").get_json()["count"] == 4
    old_name = count("Rest_page", "anonedits")
    assert old_name.get_json()["count"] == 2 and old_name.headers["Deprecation"]
    assert count("Rest_page", "editts").status_code == 400
    assert count("Rest_page", "edits", f"?from={newest[0]}").status_code == 400
    assert count("Rest_page", "minor", f"?from={newest[0]}&to={newest[1]}").status_code == 400
    assert count("Rest_page", "edits", "?from=1&to=999999").status_code == 404
    assert count("No_such_rest_page", "edits").status_code == 404
