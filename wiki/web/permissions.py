"""Who may do what, for the web layer: wiki.access.rights asked with the current user and client IP.

`check_*` return a 403 page saying why (or None when allowed); `denied` returns the reason only.
`init` hands wiki.access its per-request memo (access itself never reads the request).
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, render_template, request
from flask_login import current_user

from wiki import pages, titles
from wiki.access import ratelimit, request_memo, rights
from wiki.web import common


def init(app: Flask) -> None:
    request_memo.install(app, _request_memo)


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


def bot_requested() -> bool:
    """The request's `bot` (MediaWiki's getBool('bot', true)): absent means yes."""
    return request.values.get("bot", "1") not in ("", "0")


def actor() -> pages.Actor:
    """The current user (or the client's address) as the one who acts; their logged actions are bot
    actions when they have the bot right and the request did not say bot=0 (as MediaWiki)."""
    return pages.Actor.of(current_user, common.client_ip(), bot=rights.bot_flag(user(), bot_requested()))


def denied(right: str, title: titles.Title | None = None) -> rights.Denied | None:
    """None when the current user may use `right` (on `title`), else the reason."""
    return rights.can(user(), right, title, ip=common.client_ip())


def reader_rights() -> frozenset[str]:
    """The current user's rights (read once per request): what revision deletion lets them see."""
    kept = memo("reader_rights")
    if kept is not None and "rights" in kept:
        return kept["rights"]
    answer = frozenset(rights.rights_for(user()))
    if kept is not None:
        kept["rights"] = answer
    return answer


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
