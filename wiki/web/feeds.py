"""The browser's feeds: Special:RecentChanges?feed=atom|rss, ?action=history&feed=..., and
Special:Contributions/NAME?feed=... (the API's action=feed* modules answer the same XML). Built by
wiki.pages.feeds from the rows the page itself would list."""

from __future__ import annotations

import dataclasses

from flask import Response

from wiki import pages, titles
from wiki.models import Page
from wiki.pages import changes, feeds, logdelete, recentlist, revdelete
from wiki.web import common

DESCRIPTIONS = {
    "rc": "Track the most recent changes to the wiki in this feed.",
    "history": "Revision history for this page on the wiki",
    "contributions": "User contributions",
    "newpages": "Track the newest pages on the wiki in this feed.",
}


def _kind(kind: str) -> str | Response:
    if kind not in feeds.KINDS:
        return common.error_page(
            400, "Invalid feed type", f'"{kind[:40]}" is not a feed type: use atom or rss.'
        )
    return kind


def _respond(body: bytes, mime: str) -> Response:
    resp = Response(body, content_type=mime)
    resp.headers["Cache-Control"] = "private, must-revalidate, max-age=0"
    return resp


def recent_changes(kind: str, keep: recentlist.RCFilter, limit: int) -> Response:
    checked = _kind(kind)
    if isinstance(checked, Response):
        return checked
    # A feed is the same for every reader: logged actions whose target is hidden are left out.
    keep = keep.narrowed(hidden_log_mask=logdelete.ACTION)
    found = recentlist.window(keep, limit=min(limit, feeds.MAX_ITEMS))
    body, mime = feeds.render(
        kind,
        "Recent changes",
        "/wiki/Special:RecentChanges",
        DESCRIPTIONS["rc"],
        feeds.change_items(found.rows),
    )
    return _respond(body, mime)


def new_pages(kind: str, keep: recentlist.RCFilter, limit: int) -> Response:
    """The new-pages feed (Special:NewPages?feed=...): creations only."""
    checked = _kind(kind)
    if isinstance(checked, Response):
        return checked
    found = recentlist.window(keep.narrowed(types=("new",)), limit=min(limit, feeds.MAX_ITEMS))
    items = feeds.change_items(found.rows)
    link = common.page_url("Special:NewPages")
    body, mime = feeds.render(kind, "New pages", link, DESCRIPTIONS["newpages"], items)
    return _respond(body, mime)


def history(kind: str, page: Page, title: titles.Title) -> Response:
    checked = _kind(kind)
    if isinstance(checked, Response):
        return checked
    rows = changes.changes(changes.ChangeFilter(page_id=page.id), limit=feeds.MAX_ITEMS, with_text=False)[
        : feeds.MAX_ITEMS
    ]
    parents = pages.sizes([rev.parent_id for rev, _p in rows])
    link = common.index_url(title, action="history")
    items = feeds.revision_items(rows, parents)
    body, mime = feeds.render(kind, f"{title} - Revision history", link, DESCRIPTIONS["history"], items)
    return _respond(body, mime)


def contributions(kind: str, name: str, keep: changes.ChangeFilter, limit: int) -> Response:
    checked = _kind(kind)
    if isinstance(checked, Response):
        return checked
    # A feed is the same for every reader: edits whose user is hidden are left out for all.
    keep = dataclasses.replace(keep, hidden_user_mask=revdelete.USER)
    rows = changes.changes(keep, limit=min(limit, feeds.MAX_ITEMS), with_text=False)[: feeds.MAX_ITEMS]
    parents = pages.sizes([rev.parent_id for rev, _p in rows])
    link = common.page_url(f"Special:Contributions/{name}")
    items = feeds.revision_items(rows, parents)
    body, mime = feeds.render(
        kind, f"User contributions [{name}]", link, DESCRIPTIONS["contributions"], items
    )
    return _respond(body, mime)
