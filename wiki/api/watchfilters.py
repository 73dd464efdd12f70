"""`show` and `type` of a watchlist read, as list=watchlist (wlshow, wltype) and action=feedwatchlist
(its wlshow and wltype, which MediaWiki hands on to list=watchlist) read them: one table of values,
one mapping onto the RecentChanges filter."""

from __future__ import annotations

from collections.abc import Iterable

from wiki.api import access
from wiki.api.errors import ApiError
from wiki.api.params import Param, multi
from wiki.pages import recentlist, watchchanges

SHOW = ("minor", "bot", "anon", "patrolled", "autopatrolled", "unread")
SHOW_VALUES = tuple(v for s in SHOW for v in (s, "!" + s))
PATROL_VALUES = frozenset({"patrolled", "!patrolled", "autopatrolled", "!autopatrolled"})
TYPES = ("edit", "new", "log", "external", "categorize")
DEFAULT_TYPES = "edit|new|log|categorize"
CONTRADICTORY = "Incorrect parameter - mutually exclusive values may not be supplied."


def show_param(name: str = "show") -> Param:
    return multi(name, SHOW_VALUES, help="Only changes meeting these criteria.")


def type_param(name: str = "type") -> Param:
    return multi(name, TYPES, default=DEFAULT_TYPES, help="Which types of changes to show.")


def query(
    api, keep: recentlist.RCFilter, show: Iterable[str], types: Iterable[str], *, latest_only: bool
) -> watchchanges.ChangeQuery:
    """`keep` narrowed by the `show` and `type` values, as a watchlist query. ApiError "show" for
    contradictory values, "permissiondenied" for a patrol filter asked by a caller without the
    patrol right (MediaWiki checks the caller, not the owner of a token-read watchlist)."""
    shown = set(show)
    flags = {name: _tri(shown, name) for name in SHOW}
    if {"autopatrolled", "!patrolled"} <= shown:  # MediaWiki counts this pair as contradictory too
        raise ApiError("show", CONTRADICTORY)
    if shown & PATROL_VALUES and (api.user is None or "patrol" not in access.rights(api.user)):
        raise ApiError(
            "permissiondenied", "You need the patrol or patrolmarks right to request the patrolled flag."
        )
    # External and categorization changes are never made here: asked alone, they list nothing.
    kinds = tuple(t for t in types if t in recentlist.TYPES) or ("nothing",)
    keep = keep.narrowed(
        minor=flags["minor"],
        bot=flags["bot"],
        anon=flags["anon"],
        patrolled=patrol_states(flags["patrolled"], flags["autopatrolled"]),
        types=kinds,
    )
    return watchchanges.ChangeQuery(keep, latest_only=latest_only, unread=flags["unread"])


def _tri(show: set[str], name: str) -> bool | None:
    if name in show and "!" + name in show:
        raise ApiError("show", CONTRADICTORY)
    return True if name in show else False if "!" + name in show else None


def patrol_states(patrolled: bool | None, autopatrolled: bool | None) -> tuple[int, ...]:
    """The rc_patrolled values `show` allows ((): all); (-1,) when it allows none."""
    states = {recentlist.UNPATROLLED, recentlist.PATROLLED, recentlist.AUTOPATROLLED}
    if patrolled is not None:
        states &= {recentlist.PATROLLED, recentlist.AUTOPATROLLED} if patrolled else {recentlist.UNPATROLLED}
    if autopatrolled is not None:
        states &= (
            {recentlist.AUTOPATROLLED} if autopatrolled else {recentlist.UNPATROLLED, recentlist.PATROLLED}
        )
    if len(states) == 3:
        return ()
    return tuple(sorted(states)) or (-1,)
