"""The watch star's state for the skin, and "the user has seen this page" on a page view.

The state of the viewed title is read once a request (one indexed query) and shared by the view
(which clears a pending notification) and the tab template."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from wiki import titles
from wiki.pages import watchlist
from wiki.web import permissions

EXPIRY_CHOICES = (
    ("infinite", "Permanent"),
    ("1 week", "1 week"),
    ("1 month", "1 month"),
    ("3 months", "3 months"),
    ("6 months", "6 months"),
)


def _user_id() -> int | None:
    return int(current_user.id) if permissions.is_logged_in() else None


def state(title: titles.Title) -> watchlist.Watch | None:
    """How the current user watches `title` (None: not watched, or anonymous), read once a request."""
    user_id = _user_id()
    if user_id is None or title.namespace < 0 or title.interwiki:
        return None
    memo = permissions.memo("watch_state")
    key = (title.namespace, title.dbkey)
    if memo is not None and key in memo:
        found: watchlist.Watch | None = memo[key]
        return found
    found = watchlist.is_watched(user_id, *key)
    if memo is not None:
        memo[key] = found
    return found


def seen(title: titles.Title) -> None:
    """The current user views the latest version of `title`: clear its notification, if any."""
    found = state(title)
    user_id = _user_id()
    if found is not None and found.notified is not None and user_id is not None:
        watchlist.mark_seen(user_id, title.namespace, title.dbkey)


def star(title: titles.Title) -> dict | None:
    """What the Watch/Unwatch tab shows, or None where there is none (anonymous, special pages)."""
    if _user_id() is None or title.namespace < 0 or title.interwiki:
        return None
    found = state(title)
    return {"watched": found is not None, "expiry": found.expiry if found is not None else None}


def init(app: Flask) -> None:
    app.context_processor(lambda: {"watch_star": star})
