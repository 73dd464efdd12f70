"""Whether an action adds its page to the user's watchlist by default (the preferences "Add pages I
create / edit / move / delete to my watchlist", wiki.access.preferences)."""

from __future__ import annotations

from typing import Any

from wiki.access import preferences

# The action a default is asked for -> MediaWiki's preference name.
PREFERENCES = {
    "create": "watchcreations",
    "edit": "watchdefault",
    "move": "watchmoves",
    "delete": "watchdeletion",
    "protect": "watchdefault",
}


def watch_by_default(user: Any, action: str) -> bool:
    """The user's preference for watching pages they `action` (create, edit, move, delete, protect)."""
    if user is None or not getattr(user, "is_authenticated", False) or action not in PREFERENCES:
        return False
    return preferences.get_bool(user, PREFERENCES[action])
