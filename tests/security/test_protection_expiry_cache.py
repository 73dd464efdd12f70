"""A protection that expires touches no page row, yet the page's tabs change (View source -> Edit):
cached anonymous copies (the front cache, HTTP validators) must not outlive the expiry."""

from __future__ import annotations

import re
import time

from tests.helpers import form_fields

from .conftest import anonymous


def _protect(wc, title: str, level: str, expiry: str):
    url = f"/w/index.php?title={title}&action=protect"
    fields = form_fields(wc.client.get(url).get_data(as_text=True))
    data = {**fields, "mwProtect-level-edit": level, "mwProtect-level-move": "", "mwProtect-expiry": expiry}
    resp = wc.client.post(url, data=data)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _wait_for_expiry(app, title: str) -> None:
    """Let the page's protection expire: wait (on the server's clock) until its expiry has passed."""
    from wiki.extensions import db
    from wiki.models import Page, Protection, utcnow

    with app.app_context():
        ends = db.session.scalars(
            db.select(Protection.expiry).join(Page, Page.id == Protection.page_id).where(Page.title == title)
        ).all()
    assert ends and None not in ends
    time.sleep(max(0.0, (max(ends) - utcnow()).total_seconds()) + 0.05)


def _front_cache(app):
    from wiki.web.frontcache import FrontCache

    layer = app.wsgi_app
    while not isinstance(layer, FrontCache):
        layer = getattr(layer, "wsgi_app", None) or layer.app  # ours, or werkzeug's style
    return layer


def test_cached_view_source_tab_becomes_edit_when_the_protection_expires(app, sysop):
    sysop.edit("Briefly guarded", "Some text.")
    _protect(sysop, "Briefly guarded", "sysop", "3 seconds")
    reader = anonymous(app, "127.0.0.9")  # no session: the front cache may answer it

    first = reader.view("Briefly_guarded")
    html = first.get_data(as_text=True)
    assert first.headers["Cache-Control"].startswith("public")
    assert 'id="ca-viewsource"' in html and 'id="ca-edit"' not in html
    assert "mw-protection-notice" in html
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    cache = _front_cache(app)
    key = "/wiki/Briefly_guarded?"
    entry = cache.entries[key]
    assert reader.view("Briefly_guarded").get_data() == first.get_data()
    revalidated = reader.client.get("/wiki/Briefly_guarded", headers={"If-None-Match": etag})
    assert revalidated.status_code == 304
    assert cache.entries[key] is entry  # served from the front cache, not rebuilt

    _wait_for_expiry(app, "Briefly_guarded")
    assert cache.entries.get(key) is entry  # nothing touched the page: the old copy is still there

    # A browser revalidating its copy gets the new page, not a 304 (its ETag names the protection).
    after = reader.client.get("/wiki/Briefly_guarded", headers={"If-None-Match": etag})
    assert after.status_code == 200
    html = after.get_data(as_text=True)
    assert 'id="ca-edit"' in html and 'id="ca-viewsource"' not in html
    assert "mw-protection-notice" not in html
    assert 'id="ca-edit"' in reader.view("Briefly_guarded").get_data(as_text=True)

    # So does one that only sends If-Modified-Since (a session cookie skips the front cache).
    dated = anonymous(app, "127.0.0.10").client
    dated.set_cookie("session", "not-a-valid-session")
    since = dated.get("/wiki/Briefly_guarded", headers={"If-Modified-Since": modified})
    assert since.status_code == 200
    assert 'id="ca-edit"' in since.get_data(as_text=True)


def test_a_shared_proxy_keeps_a_protected_page_no_longer_than_its_protection(app, sysop):
    app.config["WIKI_CDN_MAXAGE"] = 86400
    sysop.edit("Guarded for an hour", "Some text.")
    _protect(sysop, "Guarded for an hour", "sysop", "1 hour")
    sysop.edit("Open for a day", "Some text.")
    reader = anonymous(app, "127.0.0.9")
    guarded = reader.view("Guarded_for_an_hour").headers["Cache-Control"]
    maxage = int(re.search(r"s-maxage=(\d+)", guarded).group(1))
    assert 3500 < maxage <= 3600, guarded
    assert "s-maxage=86400" in reader.view("Open_for_a_day").headers["Cache-Control"]
