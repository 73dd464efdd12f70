"""HTTP caching: Cache-Control, ETag, Last-Modified, 304s and gzip on every response.

Anonymous page views and action=raw are public: `Cache-Control: public, max-age=0, must-revalidate`
(plus `s-maxage` when WIKI_CDN_MAXAGE is set), a weak ETag built from the rows the page was rendered
from, and `Vary: Accept-Encoding, Cookie` so a reverse proxy keeps one copy per encoding and never
serves it to someone with a session. Logged-in users, and every response that sets a cookie, get
`private, must-revalidate, max-age=0`: a proxy never stores them.

What a view depends on is collected without the views' help: every `Page` row the request loads
(the page, a redirect's target) plus the subject/talk pair of the requested title, whose existence
colours the tabs. Anything that changes how a page looks to readers without a new revision must bump
`page.touched`, as MediaWiki's page_touched (links.invalidate_dependents does for red/blue links and
templates). The one change that touches nothing is time: a protection the page shows (View source,
the lock notice) expires on its own. So a public copy carries the earliest expiry among the
protections read while building it: the front cache drops it then, a shared proxy keeps it no longer
(s-maxage), and the ETag and Last-Modified name the protections, so a revalidation after the expiry
gets the new page rather than a 304.

The headers are set in the `request_finished` signal, after the session and Flask-Login have added
their cookies, so "does this response set a cookie" is answered on the final response.
"""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime

from flask import Flask, Response, current_app, g, has_request_context, request, request_finished
from flask_login import current_user
from sqlalchemy import event

from wiki import site, titles
from wiki.access import protection
from wiki.models import Page, utcnow
from wiki.pages import parsercache
from wiki.web import common, frontcache, statics

PAGE_ENDPOINTS = {"views.article", "views.index"}
CACHEABLE_ACTIONS = {"view", "raw"}
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
MIN_COMPRESS = 1024
LARGE_BODY = 64 * 1024  # bytes beyond which a body is compressed faster, a little less
PRIVATE = "private, must-revalidate, max-age=0"


def init(app: Flask) -> None:
    """Hook the headers into every response and put the front cache before the app."""
    app.config.setdefault("WIKI_CDN_MAXAGE", 0)
    app.extensions["wiki.skin_version"] = _skin_version(app)
    request_finished.connect(_finish, app, weak=False)
    if not event.contains(Page, "load", _page_loaded):
        event.listen(Page, "load", _page_loaded)
    statics.init(app)
    app.wsgi_app = frontcache.FrontCache(app.wsgi_app, app)


def _skin_version(app: Flask) -> str:
    """A digest of what shapes a page besides its rows: templates and the renderer version."""
    digest = hashlib.sha1(parsercache.RENDER_VERSION.encode())
    loader = app.jinja_loader
    for name in sorted(app.jinja_env.list_templates()) if loader else ():
        source = loader.get_source(app.jinja_env, name)[0]
        digest.update(name.encode() + b"\0" + source.encode())
    return digest.hexdigest()[:12]


def _page_loaded(page: Page, _context) -> None:
    # Only a page read's answer depends on them (_public); the API loads hundreds of pages a request.
    if has_request_context() and request.endpoint in PAGE_ENDPOINTS and request.method in ("GET", "HEAD"):
        seen = (page.id, page.latest, frontcache.stamp(page.touched))
        g.setdefault("http_pages", {})[(page.namespace, page.title)] = seen


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding value allows gzip (q=0 refuses it)."""
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def gzip_bytes(data: bytes) -> bytes:
    """gzip at level 5, or 2 for a large body: a 250-line watchlist (375 KB) is compressed in 1.2 ms
    instead of 2.0, into 34 KB instead of 30."""
    packer = zlib.compressobj(2 if len(data) > LARGE_BODY else 5, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def compressible(mimetype: str | None) -> bool:
    return bool(mimetype) and mimetype.startswith(COMPRESSIBLE)


def _is_page_read() -> bool:
    if request.method not in ("GET", "HEAD") or request.endpoint not in PAGE_ENDPOINTS:
        return False
    action = request.args.get("action") or "view"
    if action not in CACHEABLE_ACTIONS or "diff" in request.args:
        return False
    title = _requested_title()  # special pages are lists that change without touching a page row
    return title is not None and title.namespace >= 0 and not title.interwiki


def _requested_title() -> titles.Title | None:
    name = request.view_args.get("name") if request.view_args else None
    name = name if name is not None else request.args.get("title") or "Main Page"
    return titles.try_parse(name, site.namespaces())


def dependencies() -> dict[tuple[int, str], tuple | None]:
    """Title -> (id, latest, touched) of the rows this response was built from (None: absent)."""
    deps: dict[tuple[int, str], tuple | None] = dict(g.get("http_pages", {}))
    title = _requested_title()
    if title is not None and title.namespace >= 0 and not title.interwiki:
        for ns in (title.namespace & ~1, title.namespace | 1):
            deps.setdefault((ns, title.dbkey), frontcache.MISSING)
    return deps


def _etag(deps: dict, variant: str, extra: tuple = ()) -> str:
    parts = [variant, request.full_path, current_app.extensions["wiki.skin_version"], *map(str, extra)]
    parts += [f"{k}={v}" for k, v in sorted(deps.items(), key=lambda kv: (kv[0][0], kv[0][1]))]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20]


def _finish(_app: Flask, response: Response, **_extra) -> None:
    """Set the caching headers on the final response, answer 304s, compress, feed the front cache."""
    if response.direct_passthrough:  # files: static.py sets their headers
        return
    sets_cookie = "Set-Cookie" in response.headers
    logged_in = bool(getattr(current_user, "is_authenticated", False))
    response.vary.update(
        ("Accept-Encoding",) if request.endpoint == "static" else ("Accept-Encoding", "Cookie")
    )
    page_read = response.status_code == 200 and _is_page_read()
    if "Cache-Control" in response.headers and not sets_cookie:
        pass  # the view decided
    elif page_read and not logged_in and not sets_cookie:
        _public(response)
    else:
        response.headers["Cache-Control"] = PRIVATE
        if page_read and not sets_cookie:
            response.set_etag(hashlib.sha1(response.get_data()).hexdigest()[:20], weak=True)
    if response.status_code == 200 and (response.get_etag()[0] or response.last_modified):
        response.make_conditional(request)
    if response.status_code == 200 and accepts_gzip(request.headers.get("Accept-Encoding")):
        _compress(response)


def _shared_view() -> bool:
    """A blocked address is shown other tabs (View source): its copy of a page must not be shared."""
    from wiki.access import blocks

    return blocks.active_for(None, common.client_ip()) is None


def _public(response: Response) -> None:
    if not _shared_view():
        response.headers["Cache-Control"] = PRIVATE
        return
    deps = dependencies()
    deps = frontcache.snapshot(deps) if deps else None
    if deps is None:  # a row changed while we rendered: serve, but let nobody keep it
        response.headers["Cache-Control"] = PRIVATE
        return
    lapsed, until = protection.expiry_window()
    maxage = int(current_app.config.get("WIKI_CDN_MAXAGE") or 0)
    if until is not None and maxage > 0:
        maxage = max(0, min(maxage, int((until - utcnow()).total_seconds())))
    cc = "public, max-age=0, must-revalidate" + (f", s-maxage={maxage}" if maxage > 0 else "")
    response.headers["Cache-Control"] = cc
    response.set_etag(_etag(deps, "a", (lapsed, until)), weak=True)
    changed = [v[2] for v in deps.values() if v is not None and v[2]]
    changed += [frontcache.stamp(lapsed)] if lapsed is not None else []
    if changed:
        response.last_modified = datetime.strptime(max(changed)[:26], "%Y-%m-%d %H:%M:%S.%f")
    frontcache.offer(request.environ, response, deps, until)


def _compress(response: Response) -> None:
    if "Content-Encoding" in response.headers or not compressible(response.mimetype):
        return
    data = response.get_data()
    if len(data) < MIN_COMPRESS:
        return
    response.set_data(gzip_bytes(data))
    response.headers["Content-Encoding"] = "gzip"
