"""The shipped nginx caches anonymous views (deploy/nginx.conf) and the wiki purges them.

Readers are plain HTTP clients without cookies, as anonymous visitors; X-Cache-Status (added by the
shipped configuration) says whether nginx answered from its cache. With WIKI_CDN_MAXAGE=300 a cached
view would stay for five minutes: only the wiki's PURGE (WIKI_CDN_SERVERS) makes an edit visible
at once, and without it readers keep the old text, which the last tests show."""

from __future__ import annotations

import gzip
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.proxy.conftest import anonymous_edit, behind_nginx, login
from tests.security.conftest import PASSWORD, make_account

CACHED = {"WIKI_CDN_MAXAGE": "300"}


@pytest.fixture
def cached(database_url, instance_dir):
    """Views cached for 300 s, nobody purging them."""
    yield from behind_nginx(database_url, instance_dir, CACHED)


@pytest.fixture
def purged(database_url, instance_dir):
    """Views cached for 300 s, and the wiki purging nginx after each change."""
    yield from behind_nginx(database_url, instance_dir, CACHED, purge=True)


def read(url: str, **headers) -> requests.Response:
    resp = requests.get(url, headers=headers, timeout=10)
    assert resp.status_code == 200, resp.text[:300]
    return resp


def primed(url: str, **headers) -> requests.Response:
    """Read until nginx answers from its cache (the first read fills it; the purge of the edit
    just made may still be on its way and empty it once more)."""
    for _ in range(50):
        resp = read(url, **headers)
        if resp.headers["X-Cache-Status"] == "HIT":
            return resp
        time.sleep(0.02)
    raise AssertionError(f"{url} never came from the cache: {resp.headers}")


def wait_for(url: str, text: str, limit: float) -> float | None:
    """Seconds until an anonymous read of `url` shows `text`, or None after `limit` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if text in read(url).text:
            return time.monotonic() - start
        time.sleep(0.01)
    return None


def test_anonymous_views_come_from_the_cache_per_encoding(app, cached):
    _server, nginx = cached
    anonymous_edit(requests.Session(), nginx.url, "Cached page", "Text of the cached page. " * 80)
    url = f"{nginx.url}/wiki/Cached_page"
    plain = primed(url, **{"Accept-Encoding": "identity"})
    assert "Text of the cached page." in plain.text and "Content-Encoding" not in plain.headers
    # A client taking gzip gets its own copy, whatever else its Accept-Encoding lists.
    first = requests.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}, stream=True, timeout=10)
    assert first.headers["Content-Encoding"] == "gzip"
    assert b"Text of the cached page." in gzip.decompress(first.raw.read())
    again = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    assert again.headers["X-Cache-Status"] == "HIT" and again.headers["Content-Encoding"] == "gzip"
    refused = read(url, **{"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.headers["X-Cache-Status"] == "HIT" and "Content-Encoding" not in refused.headers
    # Static files too (content-hashed names, cached for a year).
    css = next(part.split('"')[0] for part in plain.text.split('href="') if part.startswith("/static/"))
    read(nginx.url + css)
    assert read(nginx.url + css).headers["X-Cache-Status"] == "HIT"


def test_logged_in_views_never_come_from_the_cache(app, cached):
    _server, nginx = cached
    make_account(app, "Reader")
    anonymous_edit(requests.Session(), nginx.url, "Shared page", "Everyone reads this.")
    url = f"{nginx.url}/wiki/Shared_page"
    primed(url)
    user = requests.Session()
    assert login(user, nginx.url, "Reader", PASSWORD).status_code == 303
    for _ in range(3):
        mine = user.get(url, timeout=10)
        assert mine.headers["X-Cache-Status"] == "BYPASS"
        assert "Reader" in mine.text and "private" in mine.headers["Cache-Control"]
    # ... and what the logged-in user was shown was not stored for anonymous readers.
    anonymous = read(url)
    assert anonymous.headers["X-Cache-Status"] == "HIT" and "Special:UserLogout" not in anonymous.text


def test_a_burst_of_one_uncached_view_reaches_the_wiki_once(cached):
    _server, nginx = cached
    anonymous_edit(requests.Session(), nginx.url, "Busy page", "Everyone at once.")
    url = f"{nginx.url}/wiki/Busy_page"
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: read(url).headers["X-Cache-Status"], range(24)))
    assert statuses.count("MISS") == 1, statuses


def test_edits_are_visible_through_the_cache_within_a_second(purged):
    _server, nginx = purged
    editor = requests.Session()
    anonymous_edit(editor, nginx.url, "Live page", "Version 0.")
    url = f"{nginx.url}/wiki/Live_page"
    delays = []
    for n in range(1, 21):
        assert f"Version {n - 1}." in primed(url).text
        anonymous_edit(editor, nginx.url, "Live page", f"Version {n}.")
        delays.append(wait_for(url, f"Version {n}.", limit=5))
    assert None not in delays, delays
    delays.sort()
    assert delays[int(len(delays) * 0.95) - 1] < 1.0, delays


def test_history_raw_links_and_redirects_are_purged(purged):
    _server, nginx = purged
    editor = requests.Session()
    anonymous_edit(editor, nginx.url, "Linker", "See [[Target page]].")
    anonymous_edit(editor, nginx.url, "Alias", "#REDIRECT [[Target page]]")
    linker = f"{nginx.url}/wiki/Linker"
    assert "Target_page&action=edit&redlink=1" in primed(linker).text.replace("&amp;", "&")
    anonymous_edit(editor, nginx.url, "Target page", "First text.")
    # The link turned blue for anonymous readers of the linking page.
    assert wait_for(linker, 'href="/wiki/Target_page"', limit=2) is not None
    history = f"{nginx.url}/w/index.php?title=Target_page&action=history"
    raw = f"{nginx.url}/w/index.php?title=Target_page&action=raw"
    alias = f"{nginx.url}/wiki/Alias"
    for url in (raw, alias):
        primed(url)
    anonymous_edit(editor, nginx.url, "Target page", "Second text.")
    assert wait_for(raw, "Second text.", limit=2) is not None
    assert wait_for(alias, "Second text.", limit=2) is not None
    # History is private today (the wiki marks only views and raw text public), so never stale;
    # the wiki purges it all the same, as MediaWiki does, should it become cacheable.
    assert "12 bytes" in read(history).text  # "Second text."
    assert read(history).headers["X-Cache-Status"] != "HIT"


def test_without_purging_readers_keep_the_old_text(cached):
    _server, nginx = cached
    editor = requests.Session()
    anonymous_edit(editor, nginx.url, "Stale page", "Old text.")
    url = f"{nginx.url}/wiki/Stale_page"
    primed(url)
    anonymous_edit(editor, nginx.url, "Stale page", "New text.")
    assert wait_for(url, "New text.", limit=2) is None
    assert read(url).headers["X-Cache-Status"] == "HIT"


def test_purges_are_retried_until_the_proxy_answers(app, purged):
    from wiki.extensions import db
    from wiki.models import CdnPurge

    _server, nginx = purged
    editor = requests.Session()
    anonymous_edit(editor, nginx.url, "Retried page", "Before the outage.")
    url = f"{nginx.url}/wiki/Retried_page"
    primed(url)
    nginx.halt()  # the cache stays on disk
    anonymous_edit(editor, _server.url, "Retried page", "During the outage.")
    time.sleep(1.5)  # the first PURGE fails: the row stays, for a later try
    with app.app_context():
        assert db.session.scalar(db.select(db.func.max(CdnPurge.attempts))) >= 1
    nginx.start()
    assert wait_for(url, "During the outage.", limit=10) is not None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CdnPurge.id))) == 0


def _api(session: requests.Session, base: str, **params) -> dict:
    tokens = session.get(
        f"{base}/w/api.php", params={"action": "query", "meta": "tokens", "format": "json"}, timeout=10
    ).json()
    data = {**params, "token": tokens["query"]["tokens"]["csrftoken"], "format": "json"}
    return session.post(f"{base}/w/api.php", data=data, timeout=10).json()


def _gone_within(url: str, limit: float) -> bool:
    """Whether an anonymous read of `url` answers 404 (no such page) within `limit` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if requests.get(url, timeout=10).status_code == 404:
            return True
        time.sleep(0.01)
    return False


def test_deletions_and_moves_are_purged(app, purged):
    _server, nginx = purged
    make_account(app, "Cleaner", groups="sysop")
    admin = requests.Session()
    assert login(admin, nginx.url, "Cleaner", PASSWORD).status_code == 303
    anonymous_edit(requests.Session(), nginx.url, "Doomed", "Soon deleted.")
    anonymous_edit(requests.Session(), nginx.url, "Wanderer", "Soon moved.")
    doomed, wanderer = f"{nginx.url}/wiki/Doomed", f"{nginx.url}/wiki/Wanderer"
    primed(doomed)
    primed(wanderer)
    assert "delete" in _api(admin, nginx.url, action="delete", title="Doomed")
    assert _gone_within(doomed, 2)
    moved = _api(admin, nginx.url, action="move", **{"from": "Wanderer"}, to="Settled", noredirect="1")
    assert "move" in moved, moved
    assert _gone_within(wanderer, 2)
    assert "Soon moved." in read(f"{nginx.url}/wiki/Settled").text
