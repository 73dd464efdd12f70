"""Who may do what, for the web layer: wiki.access.rights asked with the current user and client IP.

`check_*` return a 403 page saying why (or None when allowed); `denied` returns the reason only.
`init` hands wiki.access its per-request memo (access itself never reads the request).
"""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_login import current_user

from wiki import pages, titles
from wiki.access import ratelimit, request_memo, rights
from wiki.web import common


def init(app: Flask) -> None:
    request_memo.install(app, _request_memo)
    app.before_request_funcs.setdefault(None, []).insert(0, _note_forwarding)  # before any check


def _note_forwarding() -> None:
    """Tell wiki.access whether this request came through a proxy the wiki does not trust (it
    carries a forwarding header and WIKI_TRUSTED_PROXIES is unset): its address is then the proxy's,
    which must not count as a trusted one (wiki.access.addresses)."""
    forwarded = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    trusted = str(current_app.config.get("WIKI_TRUSTED_PROXIES") or "").strip() not in ("", "0")
    client = request_memo.get("client")
    if client is not None:
        client["forwarded"] = forwarded and not trusted


def _request_memo() -> dict | None:
    """The current request's memo. Tied to the request object, because a test or command may run
    several requests inside one application context, whose `g` they would share."""
    if not has_request_context():
        return None
    owner = request._get_current_object()
    memo = g.get("wiki_request_memo")
    if memo is None or memo[0] is not owner:
        memo = g.wiki_request_memo = (owner, {})
    return memo[1]


def memo(kind: str) -> dict | None:
    """A dict kept for the rest of this request (for the web layer's own repeated questions)."""
    return request_memo.get(kind)


def is_logged_in() -> bool:
    return bool(getattr(current_user, "is_authenticated", False))


def user():
    return current_user if is_logged_in() else None


def denied(right: str, title: titles.Title | None = None) -> rights.Denied | None:
    """None when the current user may use `right` (on `title`), else the reason."""
    return rights.can(user(), right, title, ip=common.client_ip())


def check(right: str, title: titles.Title | None = None, heading: str = "Permission error"):
    """A 403 page saying why, or None when allowed."""
    reason = denied(right, title)
    if reason is None:
        return None
    return common.error_page(403, heading, str(reason), code=reason.code)


def rate_limited(*actions: str):
    """HTTP 429 with Retry-After when the current user has used up a rate limit of `actions` (one
    use of each is counted), else None."""
    refused = ratelimit.hit(user(), common.client_ip(), *actions)
    if refused is None:
        return None
    if refused.action == "createaccount":
        message = refused.message
    else:
        message = (
            "As an anti-abuse measure, you are limited from performing this action too many times in a "
            f"short space of time, and you have exceeded this limit. Please try again in "
            f"{ratelimit.duration(refused.retry_after)}."
        )
    resp = common.error_page(429, "Action throttled", message, code="ratelimited")
    resp.headers["Retry-After"] = str(refused.retry_after)
    return resp


def check_edit(title: titles.Title):
    """None when the user may edit (or create) `title`; else 403: "View source" for existing pages."""
    if title.namespace < 0:
        return common.error_page(403, "Cannot edit", f'"{title}" is a special page and cannot be edited.')
    page = pages.get(title)
    reason = denied("edit" if page is not None else "createpage", title)
    if reason is None:
        return None
    if page is None or not page.latest:
        return common.error_page(403, "Permission error", str(reason), code=reason.code)
    if g.get("wiki_viewsource"):
        return reason  # asked again by the skin's tabs while the page below is rendered
    g.wiki_viewsource = True
    try:
        body = render_template(
            "viewsource.html", title=title, page=page, reason=reason, text=pages.latest(page).text
        )
    finally:
        g.wiki_viewsource = False
    return body, 403


def may_edit(title: titles.Title, *, exists: bool | None = None) -> bool:
    """Cheap yes/no for the skin's tabs (no page rendered); `exists` when the caller knows it."""
    if title.namespace < 0:
        return False
    if exists is None:
        exists = pages.get(title) is not None
    return denied("edit" if exists else "createpage", title) is None
