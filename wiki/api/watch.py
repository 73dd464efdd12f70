"""action=watch, and the `watchlist=` / `watchlistexpiry=` parameters of edit, move, protect, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from wiki.access import expiry as expiries
from wiki.access import watchprefs
from wiki.api import register
from wiki.api.errors import ApiError
from wiki.api.output import iso
from wiki.api.pageset import PageSet, from_pageids, from_titles, parse_title
from wiki.api.params import multi, param
from wiki.models import utcnow
from wiki.pages import watchlist

MAX_EXPIRY = timedelta(days=365)  # MediaWiki's $wgWatchlistExpiryMaxDuration ("1 year")
EXPIRY = param(
    "expiry",
    help='Expiry: "infinite", a relative time ("1 week", "1 month") or a timestamp; at most a year.',
)
WATCH = [
    param("title", help="The page to (un)watch (deprecated: use titles)."),
    multi("titles", help="A list of titles to work on."),
    multi("pageids", "integer", min=0, help="A list of page ids to work on."),
    EXPIRY,
    param("unwatch", "boolean", help="Remove the pages from the watchlist instead of adding them."),
    param("token", required=True, help="A watch token from meta=tokens.", extra={"tokentype": "watch"}),
]
# The watch parameters of edit, move, protect and delete (MediaWiki's ApiWatchlistTrait).
WATCHLIST = [
    param(
        "watchlist",
        ("watch", "unwatch", "preferences", "nochange"),
        default="preferences",
        help="Add or remove the page from your watchlist, use your preferences, or leave it alone.",
    ),
    param("watchlistexpiry", help="Watchlist expiry: a timestamp or a relative time (with watchlist=watch)."),
]


def parse_expiry(raw: str | None, name: str = "expiry") -> datetime | None:
    """An expiry parameter as MediaWiki reads it (capped at a year), or its error."""
    try:
        when = expiries.parse(raw)
    except expiries.BadExpiry as exc:
        code = "badexpiry-past" if "past" in str(exc) else "badexpiry"
        if code == "badexpiry-past":
            raise ApiError(code, f'Value provided for expiry time "{raw}" is in the past.') from None
        raise ApiError(code, f'Invalid value "{raw}" for expiry "{name}".') from None
    if when is not None and when > utcnow() + MAX_EXPIRY:
        when = utcnow() + MAX_EXPIRY
    return when


@register(
    "watch", "Add or remove pages from the current user's watchlist.", params=WATCH, post=True, token="token"
)
def watch(api) -> dict:
    params = api.params
    if params.get("title") is not None:
        api.warn("watch", 'The parameter "title" has been deprecated.')
    if api.user is None:
        raise ApiError("notloggedin", "Please log in to view or edit items on your watchlist.")
    if params.get("title") is not None:
        return {"batchcomplete": True, "watch": _watch_one(api, params.get("title"))}
    pageset = PageSet()
    source = params.one_of("titles", "pageids")
    if source is None:
        raise ApiError("missingparam", 'One of the parameters "titles" and "pageids" is required.')
    if source == "titles":
        from_titles(params.list("titles"), pageset)
    else:
        from_pageids(params.list("pageids"), pageset)
    unwatch = params.flag("unwatch")
    expiry = None if unwatch else parse_expiry(params.get("expiry"))
    keys = [
        (e.title.namespace, e.title.dbkey)
        for e in pageset.entries
        if e.title is not None and e.title.namespace >= 0
    ]
    if unwatch:
        watchlist.unwatch(api.user.id, keys)
    else:
        watchlist.watch(api.user.id, keys, expiry)
    out = []
    for entry in pageset.entries:
        item = entry.base()
        if entry.title is None or entry.title.namespace < 0:
            out.append(item)
            continue
        item = {"title": entry.title.prefixed_text, "ns": entry.title.namespace}
        if unwatch:
            item["unwatched"] = True
        else:
            item["watched"] = True
            if expiry is not None:
                item["watchlistexpiry"] = iso(expiry)
        if entry.page is None:
            item["missing"] = True
        out.append(item)
    return {"batchcomplete": True, "watch": out}


def _watch_one(api, raw: str) -> dict:
    """The deprecated `title=`: one page, answered as one object rather than a list (MediaWiki 1.39)."""
    params = api.params
    for other in ("titles", "pageids"):
        if params.given(other):
            raise ApiError("invalidparammix", f'The "title" parameter cannot be used with "{other}".')
    title = parse_title(raw)
    if title.namespace < 0:
        raise ApiError("invalidtitle", f'Bad title "{raw}".')
    keys = [(title.namespace, title.dbkey)]
    if params.flag("unwatch"):
        watchlist.unwatch(api.user.id, keys)
        return {"title": title.prefixed_text, "ns": title.namespace, "unwatched": True}
    expiry = parse_expiry(params.get("expiry"))
    watchlist.watch(api.user.id, keys, expiry)
    item: dict = {"title": title.prefixed_text, "ns": title.namespace, "watched": True}
    if expiry is not None:
        item["watchlistexpiry"] = iso(expiry)
    return item


@dataclass(frozen=True)
class Wish:
    """What `watchlist=` asks for, read and validated before the action writes anything."""

    choice: str  # watch | unwatch | preferences | nochange
    expiry: datetime | None
    action: str  # create, edit, move, delete, protect (for the preference)


def requested(api, action: str) -> Wish:
    """The request's `watchlist=` and `watchlistexpiry=` (a bad expiry stops the action before it runs)."""
    choice = api.params.get("watchlist") or "preferences"
    raw = api.params.get("watchlistexpiry")
    return Wish(choice, parse_expiry(raw, "watchlistexpiry") if raw else None, action)


def apply(api, namespace: int, dbkey: str, wish: Wish) -> bool:
    """Honour `watchlist=` after the action succeeded; answers whether the page is now watched."""
    user = api.user
    if user is None or namespace < 0:
        return False
    choice = wish.choice
    if choice == "preferences":
        if watchlist.is_watched(user.id, namespace, dbkey) is not None:
            return True
        choice = "watch" if watchprefs.watch_by_default(user, wish.action) else "nochange"
    if choice == "watch":
        watchlist.watch(user.id, [(namespace, dbkey)], wish.expiry)
        return True
    if choice == "unwatch":
        watchlist.unwatch(user.id, [(namespace, dbkey)])
        return False
    return watchlist.is_watched(user.id, namespace, dbkey) is not None
