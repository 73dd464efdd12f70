"""HTTP caching through the real app: validators, 304s, who may be cached, gzip, static fingerprints,
and the front cache never serving a page that changed (edits, red/blue links, talk tabs)."""

from __future__ import annotations

import gzip
import re


def reader(app):
    """A reader without cookies (the test client of `wiki` carries a session)."""
    return app.test_client()


def test_anonymous_view_is_public_with_validators_and_answers_304(app, wiki):
    wiki.edit("Cached page", "Some '''text'''.")
    first = reader(app).get("/wiki/Cached_page")
    assert first.status_code == 200
    assert first.headers["Cache-Control"].startswith("public")
    assert "Cookie" in first.headers["Vary"] and "Accept-Encoding" in first.headers["Vary"]
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = reader(app).get("/wiki/Cached_page", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_edit_changes_the_etag_and_the_served_text_at_once(app, wiki):
    wiki.edit("Changing", "version one")
    old = reader(app).get("/wiki/Changing")
    assert "version one" in old.get_data(as_text=True)
    wiki.edit("Changing", "version two")
    new = reader(app).get("/wiki/Changing", headers={"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200
    assert "version two" in new.get_data(as_text=True)
    assert new.headers["ETag"] != old.headers["ETag"]


def test_creating_a_linked_page_turns_the_cached_red_link_blue(app, wiki):
    wiki.edit("Linker", "See [[Target page]].")
    html = reader(app).get("/wiki/Linker").get_data(as_text=True)
    assert re.search(r'<a [^>]*class="new"[^>]*>Target page</a>', html)
    wiki.edit("Target page", "Now it exists.")
    html = reader(app).get("/wiki/Linker").get_data(as_text=True)
    assert not re.search(r'<a [^>]*class="new"[^>]*>Target page</a>', html)
    assert ">Target page</a>" in html


def test_editing_a_template_refreshes_the_cached_page_using_it(app, wiki):
    wiki.edit("Template:Greeting", "Hello from version one")
    wiki.edit("Uses template", "{{Greeting}}")
    assert "version one" in reader(app).get("/wiki/Uses_template").get_data(as_text=True)
    wiki.edit("Template:Greeting", "Hello from version two")
    assert "version two" in reader(app).get("/wiki/Uses_template").get_data(as_text=True)


def test_creating_the_talk_page_refreshes_the_discussion_tab(app, wiki):
    wiki.edit("Subject", "Body.")
    before = reader(app).get("/wiki/Subject").get_data(as_text=True)
    assert re.search(r'<li id="ca-talk"[^>]*><a [^>]*class="new"', before)
    wiki.edit("Talk:Subject", "A comment.")
    after = reader(app).get("/wiki/Subject").get_data(as_text=True)
    assert not re.search(r'<li id="ca-talk"[^>]*><a [^>]*class="new"', after)


def test_logged_in_views_are_private(app, wiki):
    wiki.edit("Private view", "text")
    wiki.login("Reader", "long enough password")
    resp = wiki.client.get("/wiki/Private_view")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"].startswith("private")
    again = wiki.client.get("/wiki/Private_view", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_a_response_that_sets_a_cookie_is_never_public(app, wiki):
    wiki.edit("Cookie page", "text")
    resp = reader(app).get("/w/index.php?title=Cookie_page&action=edit")
    assert "Set-Cookie" in resp.headers
    assert resp.headers["Cache-Control"].startswith("private")


def test_raw_has_validators_and_answers_304(app, wiki):
    wiki.edit("Raw cached", "''raw''")
    first = reader(app).get("/w/index.php?title=Raw_cached&action=raw")
    assert first.data == b"''raw''"
    assert first.headers["Cache-Control"].startswith("public")
    again = reader(app).get(
        "/w/index.php?title=Raw_cached&action=raw", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_pages_are_gzipped_when_the_client_accepts_it(app, wiki):
    wiki.edit("Big page", "A paragraph of text. " * 400)
    for _ in range(2):  # rendered by Flask, then replayed by the front cache
        resp = reader(app).get("/wiki/Big_page", headers={"Accept-Encoding": "gzip, deflate"})
        assert resp.headers["Content-Encoding"] == "gzip"
        assert "A paragraph of text." in gzip.decompress(resp.data).decode()
    plain = reader(app).get("/wiki/Big_page")
    assert "Content-Encoding" not in plain.headers


def test_static_files_have_fingerprinted_names_and_long_lifetimes(app, wiki):
    wiki.edit("Styled", "text")
    html = reader(app).get("/wiki/Styled").get_data(as_text=True)
    match = re.search(r'href="(/static/wiki\.[0-9a-f]{10}\.css)[^"]*"', html)
    assert match, "the stylesheet URL carries a content hash"
    resp = reader(app).get(match.group(1))
    assert resp.status_code == 200
    assert "immutable" in resp.headers["Cache-Control"]
    plain = reader(app).get("/static/wiki.css")
    assert plain.status_code == 200 and "no-cache" in plain.headers["Cache-Control"]
    stale = reader(app).get("/static/wiki.0123456789.css")
    assert stale.status_code == 200 and "immutable" not in stale.headers["Cache-Control"]


def test_special_pages_are_not_kept_by_the_front_cache(app, wiki):
    wiki.edit("First change", "one")
    first = reader(app).get("/wiki/Special:RecentChanges")
    assert first.headers["Cache-Control"].startswith("private")
    wiki.edit("Second change", "two")
    assert "Second change" in reader(app).get("/wiki/Special:RecentChanges").get_data(as_text=True)


def test_protecting_a_page_refreshes_its_cached_tabs(app, wiki):
    from wiki import pages, site
    from wiki.access import protection

    wiki.edit("Guarded", "text")
    assert 'id="ca-edit"' in reader(app).get("/wiki/Guarded").get_data(as_text=True)
    with app.test_request_context():
        protection.protect(site.parse_title("Guarded"), {"edit": "sysop"}, actor=pages.Actor("Admin", None))
    html = reader(app).get("/wiki/Guarded").get_data(as_text=True)
    assert 'id="ca-edit"' not in html and 'id="ca-viewsource"' in html


def test_a_blocked_readers_view_is_never_shared(app, wiki):
    from wiki import pages
    from wiki.access import blocks

    wiki.edit("Open page", "text")
    with app.test_request_context():
        blocks.block("10.9.9.9", actor=pages.Actor("Admin", None), reason="vandalism")
    blocked = app.test_client().get("/wiki/Open_page", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert blocked.headers["Cache-Control"].startswith("private")
    other = reader(app).get("/wiki/Open_page").get_data(as_text=True)
    assert 'id="ca-edit"' in other
