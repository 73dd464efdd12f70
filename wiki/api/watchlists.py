"""list=watchlist, list=watchlistraw and prop=info's watch properties, as MediaWiki 1.39 answers them.

Whose watchlist: the caller's, or with `owner` and `token` the owner's (the watchlist feed token,
checked in constant time). Nobody else's list is ever readable.
"""

from __future__ import annotations

from html import escape

from wiki import site, titles
from wiki.access import users
from wiki.api import access, watchfilters
from wiki.api.errors import ApiError
from wiki.api.lists import DIR_OLD, Listing
from wiki.api.logevents import details
from wiki.api.output import Bool, iso
from wiki.api.params import bad_continue, limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.extensions import db
from wiki.models import LogEntry
from wiki.pages import logdelete, recentlist, revdelete, watchchanges, watchlist
from wiki.recent import AUTOPATROLLED, UNPATROLLED

WLPROPS = (
    "ids",
    "title",
    "flags",
    "user",
    "userid",
    "comment",
    "parsedcomment",
    "timestamp",
    "patrol",
    "sizes",
    "notificationtimestamp",
    "loginfo",
    "tags",
    "expiry",
)
OWNER = [
    param("owner", "user", help="Used along with token to access a different user's watchlist."),
    param("token", help="A security token (the user's watchlist token) to read another user's watchlist."),
]
WATCHLIST = [
    param("allrev", "boolean", help="Include multiple revisions of the same page."),
    param("start", "timestamp", help="The timestamp to start listing from."),
    param("end", "timestamp", help="The timestamp to stop listing at."),
    namespaces(help="Only changes in these namespaces."),
    param("user", "user", help="Only changes by this user."),
    param("excludeuser", "user", help="Leave out changes by this user."),
    DIR_OLD,
    limit(help="How many changes to list."),
    multi("prop", WLPROPS, default="ids|title|flags", help="Which additional properties to get."),
    watchfilters.show_param(),
    watchfilters.type_param(),
    *OWNER,
    param("continue", help="When more results are available, use this to continue."),
]
WATCHLISTRAW = [
    param("continue", help="When more results are available, use this to continue."),
    namespaces(help="Only list pages in these namespaces."),
    limit(help="How many titles to return."),
    multi("prop", ("changed",), help="Which additional properties to get."),
    multi("show", ("changed", "!changed"), help="Only list items that meet these criteria."),
    *OWNER,
    param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in."),
    param("fromtitle", "title", help="Title (with namespace prefix) to begin enumerating from."),
    param("totitle", "title", help="Title (with namespace prefix) to stop enumerating at."),
]


def owner(api, p: str) -> int:
    """The id of the user whose watchlist is read: with `owner` and `token` the owner's (the token
    must be theirs), else the caller's (MediaWiki ignores an owner given without a token)."""
    name, token = api.params.get(p + "owner"), api.params.get(p + "token")
    if name and token is not None:
        user = users.find_user(name)
        if user is None:
            raise ApiError("bad_wlowner", f'There is no user by the name "{name}". Check your spelling.')
        if not watchlist.valid_feed_token(user.id, token):
            raise ApiError(
                "bad_wltoken",
                "Incorrect watchlist token provided. Please set a correct token in [[Special:Preferences]].",
            )
        return int(user.id)
    if api.user is None:
        raise ApiError("notloggedin", "Please log in to view or edit items on your watchlist.")
    return int(api.user.id)


def _cursor(raw: str | None) -> watchchanges.Cursor | None:
    if not raw:
        return None
    stamp, _, number = raw.partition("|")
    from datetime import datetime

    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S"), int(number)
    except ValueError:
        raise bad_continue() from None


@submodule(
    "watchlist",
    "list",
    "wl",
    "Get recent changes to pages in the current user's watchlist.",
    WATCHLIST,
    generator=True,
)
def watchlist_list(api, p: str) -> Listing:
    params = api.params
    user_id = owner(api, p)
    props = set(params.list(p + "prop"))
    if "patrol" in props and (api.user is None or "patrol" not in access.rights(api.user)):
        raise ApiError("patrol", "You need the patrol or patrolmarks right to request the patrolled flag.")
    newer = params.get(p + "dir") == "newer"
    start, end = params.timestamp(p + "start"), params.timestamp(p + "end")
    if start and end and (start > end if newer else start < end):
        which = "start" if newer else "end"
        raise ApiError("badtimestamps", f'"{p}{which}" must come before "{p}{"end" if newer else "start"}".')
    keep = recentlist.RCFilter(
        namespaces=tuple(params.namespaces(p + "namespace")),
        user=_name(params.get(p + "user")),
        exclude_user=_name(params.get(p + "excludeuser")),
        hidden_user_mask=revdelete.user_mask(access.reader_rights()),
        # A logged action whose target is hidden is left out: listing it would say it is watched.
        hidden_log_mask=logdelete.hidden_mask(logdelete.ACTION, access.reader_rights()),
        since=start if newer else end,
        until=end if newer else start,
    )
    show, types = params.list(p + "show"), params.list(p + "type")
    query = watchfilters.query(api, keep, show, types, latest_only=not params.flag(p + "allrev"))
    if params.get(p + "user") and params.get(p + "excludeuser"):
        raise ApiError(
            "invalidparammix", f'The parameters "{p}user" and "{p}excludeuser" can not be used together.'
        )
    rows, more = watchchanges.window(
        user_id, query, limit=params.int(p + "limit"), cursor=_cursor(params.get(p + "continue")), newer=newer
    )
    entries = _log_entries([r.change.log_id for r in rows]) if "loginfo" in props else {}
    listing = Listing()
    for row in rows:
        listing.items.append(_item(row, props, entries))
        listing.pages.append(_title(row.change.namespace, row.change.title))
    if more is not None:
        listing.cont = {p + "continue": f"{more[0].strftime('%Y%m%d%H%M%S')}|{more[1]}"}
    return listing


def _name(raw: str | None) -> str | None:
    return raw.replace("_", " ").strip() if raw else None


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _log_entries(ids: list[int | None]) -> dict[int, LogEntry]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    return {e.id: e for e in db.session.scalars(db.select(LogEntry).where(LogEntry.id.in_(wanted)))}


def _item(row: watchchanges.Row, props: set[str], entries: dict[int, LogEntry]) -> dict:
    rc = row.change
    item: dict = {"type": rc.type}
    bits, seen = rc.deleted or 0, access.reader_rights()
    hidden = False
    if props & {"title", "ids"} and rc.type == "log" and bits & logdelete.ACTION:
        item["actionhidden"] = hidden = True  # listed only to those who may see it
    if "title" in props:
        item.update(ns=rc.namespace, title=_title(rc.namespace, rc.title).prefixed_text)
    if "ids" in props:
        item.update(pageid=rc.page_id or 0, revid=rc.rev_id or 0, old_revid=rc.old_rev_id or 0)
    if props & {"user", "userid"} and bits & revdelete.USER:
        item["userhidden"] = hidden = True
    if ("user" in props or "userid" in props) and revdelete.can_see(bits, revdelete.USER, seen):
        if rc.user_id is None:
            item["anon"] = True
        if "userid" in props:
            item["userid"] = rc.user_id or 0
        if "user" in props:
            item["user"] = rc.user_text
    if "flags" in props:
        item.update(bot=Bool(rc.bot), new=Bool(rc.type == "new"), minor=Bool(rc.minor))
    if "sizes" in props:
        item.update(oldlen=rc.old_len or 0, newlen=rc.new_len or 0)
    if "timestamp" in props:
        item["timestamp"] = iso(rc.timestamp)
    if "notificationtimestamp" in props:
        item["notificationtimestamp"] = iso(row.notified)
    if props & {"comment", "parsedcomment"} and bits & revdelete.COMMENT:
        item["commenthidden"] = hidden = True
    comment_ok = revdelete.can_see(bits, revdelete.COMMENT, seen)
    if "comment" in props and comment_ok:
        item["comment"] = rc.comment
    if "parsedcomment" in props and comment_ok:
        item["parsedcomment"] = escape(rc.comment)
    if "patrol" in props:
        item.update(
            patrolled=Bool(rc.patrolled != UNPATROLLED),
            unpatrolled=Bool(rc.patrolled == UNPATROLLED),
            autopatrolled=Bool(rc.patrolled == AUTOPATROLLED),
        )
    if "loginfo" in props and rc.type == "log":
        entry = entries.get(rc.log_id or 0)
        item.update(logid=rc.log_id or 0, logtype=rc.log_type, logaction=rc.log_action)
        item["logparams"] = details(entry) if entry is not None else {}
    if "tags" in props:
        item["tags"] = row.tags
    if "expiry" in props:
        item["expiry"] = iso(row.expiry) if row.expiry is not None else Bool(False)
    if bits & revdelete.RESTRICTED and (hidden or bits & (revdelete.USER | revdelete.COMMENT)):
        item["suppressed"] = True
    return item


@submodule(
    "watchlistraw",
    "list",
    "wr",
    "Get all pages on the current user's watchlist.",
    WATCHLISTRAW,
    generator=True,
)
def watchlistraw(api, p: str) -> Listing:
    params = api.params
    user_id = owner(api, p)
    show = set(params.list(p + "show"))
    if {"changed", "!changed"} <= show:
        raise ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.")
    changed = True if "changed" in show else False if "!changed" in show else None
    descending = params.get(p + "dir") == "descending"
    after = None
    cont = params.get(p + "continue")
    if cont:
        ns, _, key = cont.partition("|")
        if not ns.lstrip("-").isdigit() or not key or abs(int(ns)) > 10**6:
            raise bad_continue()
        after = (int(ns), key)
    bounds = [_key(params.get(p + name)) for name in ("fromtitle", "totitle")]
    entries, more = watchlist.titles(
        user_id,
        limit=params.int(p + "limit"),
        after=after,
        namespaces=params.namespaces(p + "namespace"),
        changed=changed,
        from_key=bounds[0],
        to_key=bounds[1],
        descending=descending,
    )
    listing = Listing()
    want_changed = "changed" in params.list(p + "prop")
    for entry in entries:
        title = _title(entry.namespace, entry.title)
        item: dict = {"ns": entry.namespace, "title": title.prefixed_text}
        if want_changed and entry.notified is not None:
            item["changed"] = iso(entry.notified)
        listing.items.append(item)
        listing.pages.append(title)
    if more is not None:
        listing.cont = {p + "continue": f"{more[0]}|{more[1]}"}
    return listing


def _key(raw: str | None) -> watchlist.Key | None:
    if not raw:
        return None
    from wiki.api.pageset import parse_title

    title = parse_title(raw)
    return title.namespace, title.dbkey


def info(api, entries: list, out: dict, props: set[str]) -> None:
    """prop=info's watched, watchers and notificationtimestamp for the pages of a query."""
    wanted = [
        (e.title.namespace, e.title.dbkey) for e in entries if e.title is not None and e.title.namespace >= 0
    ]
    if not wanted or not props & {"watched", "watchers", "notificationtimestamp"}:
        return
    user_id = api.user.id if api.user is not None else None
    if user_id is None:  # MediaWiki says nothing of watching to anonymous callers
        props = props - {"watched", "notificationtimestamp"}
    state = watchlist.state(user_id, wanted) if user_id is not None else {}
    may_count = api.user is not None and "unwatchedpages" in access.rights(api.user)
    counts = watchlist.watchers(wanted) if "watchers" in props and may_count else {}
    for entry in entries:
        if entry.title is None or entry.title.namespace < 0:
            continue
        key = (entry.title.namespace, entry.title.dbkey)
        data = out[entry.key]
        found = state.get(key)
        if "watched" in props:
            data["watched"] = Bool(found is not None)
            if found is not None and found.expiry is not None:
                data["watchlistexpiry"] = iso(found.expiry)
        if "watchers" in props and may_count:
            data["watchers"] = counts.get(key, 0)
        if "notificationtimestamp" in props:
            data["notificationtimestamp"] = iso(found.notified) if found is not None else ""
