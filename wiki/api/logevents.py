"""list=logevents: the entries of Special:Log (moves, deletions, protections, blocks), newest first,
in MediaWiki's shape. Not a generator, as in MediaWiki.

The continuation is the timestamp and id of the last entry returned ("20240131120000|42").
"""

from __future__ import annotations

from wiki import logs, site, titles
from wiki.access import expiry
from wiki.api import access
from wiki.api.errors import ApiError
from wiki.api.lists import DIR_OLD, Listing
from wiki.api.output import Bool, iso
from wiki.api.pageset import lookup, parse_title
from wiki.api.params import DB_MAX, bad_continue, limit, multi, param
from wiki.api.registry import submodule
from wiki.models import LogEntry
from wiki.pages import logdelete, summaries

DEFAULT_PROPS = ("ids", "title", "type", "user", "timestamp", "comment", "details")
LEPROPS = (*DEFAULT_PROPS, "userid", "parsedcomment", "tags")
LOGEVENTS = [
    multi("prop", LEPROPS, default="|".join(DEFAULT_PROPS), help="Which properties to get."),
    param("type", tuple(sorted(logs.LOG_TYPES)), help="Only log entries of this type."),
    param("action", help='Only log entries of this action ("type/action", e.g. "move/move").'),
    param("start", "timestamp", help="The timestamp to start listing from."),
    param("end", "timestamp", help="The timestamp to stop listing at."),
    DIR_OLD,
    param("user", "user", help="Only log entries made by this user."),
    param("title", "title", help="Only log entries about this page."),
    param("namespace", "namespace", help="Only log entries about pages in this namespace."),
    param("continue", help="Where to continue (returned by the previous request)."),
    limit(help="How many log entries to list."),
]


@submodule("logevents", "list", "le", "Get events from the logs.", LOGEVENTS)
def logevents(api, p: str) -> Listing:
    params = api.params
    props = set(params.list(p + "prop"))
    newer = params.get(p + "dir") == "newer"
    where = _filter(api, p, newer)
    cont = params.get(p + "continue")
    try:
        cursor = logs.Cursor.parse(cont) if cont else None
    except logs.BadCursor:
        raise bad_continue() from None
    if cursor is not None and cursor.entry_id is not None and cursor.entry_id > DB_MAX:
        raise bad_continue()
    found = logs.window(where, limit=params.int(p + "limit"), cursor=cursor, newer=newer)
    entries = list(reversed(found.entries)) if newer else found.entries
    targets = {e.id: _title(e.namespace, e.title) for e in entries}
    existing = lookup(list(targets.values())) if "ids" in props else {}
    listing = Listing()
    seen = access.reader_rights()
    for entry in entries:
        target = targets[entry.id]
        page = existing.get((target.namespace, target.dbkey))
        listing.items.append(_item(entry, target, page.id if page else 0, props, seen))
    if found.more_newer if newer else found.more_older:
        listing.cont = {p + "continue": str(logs.Cursor.of(entries[-1]))}
    return listing


def _filter(api, p: str, newer: bool) -> logs.LogFilter:
    params = api.params
    log_type = params.get(p + "type")
    action = params.get(p + "action")
    actions: tuple[tuple[str, str], ...] = ()
    if action:
        kind, _, name = action.partition("/")
        if kind not in logs.LOG_TYPES or not name:
            raise ApiError("badvalue", f'Unrecognized value for parameter "{p}action": {action}.')
        actions = ((kind, name),)
    user = params.get(p + "user")
    title = params.get(p + "title")
    namespace = params.int(p + "namespace")
    bounds = {name: params.timestamp(p + name) for name in ("start", "end")}
    upper, lower = (bounds["end"], bounds["start"]) if newer else (bounds["start"], bounds["end"])
    target = parse_title(title) if title else None
    seen = access.reader_rights()
    return logs.LogFilter(
        types=(log_type,) if log_type else (),
        actions=actions,
        user=_user(user, p + "user") if user else None,
        target=(target.namespace, target.dbkey) if target else None,
        namespace=namespace,
        start=upper,
        end=lower,
        hidden=logs.hidden_types(list(seen)),
        hidden_user_mask=logdelete.hidden_mask(logdelete.USER, seen),
        hidden_action_mask=logdelete.hidden_mask(logdelete.ACTION, seen),
    )


def _user(raw: str, name: str) -> str:
    title = titles.try_parse("User:" + raw, site.namespaces())
    if title is None or title.namespace != titles.USER or title.fragment or "/" in title.text:
        raise ApiError("baduser_" + name, f'Invalid value "{raw}" for user parameter "{name}".')
    return title.text


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _item(entry: LogEntry, target: titles.Title, page_id: int, props: set[str], seen) -> dict:
    """One entry in MediaWiki's shape; the parts hidden from the reader (logdelete) are left out and
    flagged (actionhidden, userhidden, commenthidden, suppressed)."""
    item: dict = {}
    bits = entry.deleted or 0
    hidden = False
    if "ids" in props:
        item["logid"] = entry.id
    action_ok = logdelete.can_see(bits, logdelete.ACTION, seen)
    if props & {"title", "ids", "details"} and bits & logdelete.ACTION:
        item["actionhidden"] = hidden = True
    if "title" in props and action_ok:
        item.update(ns=entry.namespace, title=target.prefixed_text)
    if "ids" in props and action_ok:
        item.update(pageid=page_id, logpage=entry.page_id or 0)
    if "details" in props and action_ok:
        item["params"] = details(entry)
    if "type" in props:
        item.update(type=entry.type, action=entry.action)
    if props & {"user", "userid"} and bits & logdelete.USER:
        item["userhidden"] = hidden = True
    user_ok = logdelete.can_see(bits, logdelete.USER, seen)
    if "user" in props and user_ok:
        item["user"] = entry.user_text
    if "userid" in props and user_ok:
        item["userid"] = entry.user_id or 0
    if "timestamp" in props:
        item["timestamp"] = iso(entry.timestamp)
    if props & {"comment", "parsedcomment"} and bits & logdelete.COMMENT:
        item["commenthidden"] = hidden = True
    comment_ok = logdelete.can_see(bits, logdelete.COMMENT, seen)
    if "comment" in props and comment_ok:
        item["comment"] = entry.comment
    if "parsedcomment" in props and comment_ok:
        # A summary's section links would name the page: none when the target is hidden.
        item["parsedcomment"] = summaries.html(entry.comment, target if action_ok else None)
    if "tags" in props:
        item["tags"] = []
    if hidden and bits & logdelete.RESTRICTED:
        item["suppressed"] = True
    return item


def details(entry: LogEntry) -> dict:
    """The entry's params as MediaWiki's formatParametersForApi gives them."""
    params = logs.params_of(entry)
    if entry.type == "move":
        moved_to = titles.try_parse(str(params.get("target", "")), site.namespaces())
        out: dict = {}
        if moved_to is not None:
            out.update(target_ns=moved_to.namespace, target_title=moved_to.prefixed_text)
        out["suppressredirect"] = Bool(params.get("noredir"))
        return out
    if entry.type == "protect" and entry.action in ("protect", "modify"):
        details = [
            {"type": kind, "level": d.get("level", ""), "expiry": _expiry(d.get("expiry"))}
            for kind, d in sorted(params.items())
            if isinstance(d, dict)
        ]
        description = " ".join(f"[{d['type']}={d['level']}] ({_described(d['expiry'])})" for d in details)
        return {"description": description, "cascade": Bool(params.get("cascade")), "details": details}
    if entry.type == "protect" and entry.action == "move_prot":
        old = titles.try_parse(str(params.get("oldtitle", "")), site.namespaces())
        return {"oldtitle_ns": old.namespace, "oldtitle_title": old.prefixed_text} if old is not None else {}
    if entry.type == "block" and entry.action in ("block", "reblock"):
        until = _expiry(params.get("expiry"))
        out = {"duration": until, "flags": []}
        if until != "infinity":
            out["expiry"] = until
        return out
    if entry.type == "rights" and entry.action in ("rights", "autopromote"):
        keys = ("oldgroups", "newgroups", "oldmetadata", "newmetadata")
        return {key: list(params.get(key) or []) for key in keys}
    if entry.type == "delete" and entry.action == "restore":
        return {"count": {"revisions": int(params.get("count") or 0), "files": 0}}
    if entry.type in ("delete", "suppress") and entry.action in ("revision", "event"):
        out = {"type": str(params.get("type") or "revision")} if entry.action == "revision" else {}
        return out | {
            "ids": [int(i) for i in params.get("ids") or []],
            "old": _bitfield(int(params.get("ofield") or 0)),
            "new": _bitfield(int(params.get("nfield") or 0)),
        }
    return {}


def _bitfield(bits: int) -> dict:
    """A revision-deletion bitfield as MediaWiki's log params: the mask and a flag per hidden part."""
    out: dict = {"bitmask": bits}
    for name, bit in (("content", 1), ("comment", 2), ("user", 4), ("restricted", 8)):
        if bits & bit:
            out[name] = True
    return out


def _expiry(text) -> str:
    """A stored expiry ("infinite" or "12:00, 31 January 2024 (UTC)") as the API writes it."""
    if text in (None, "", "infinite", "infinity", "indefinite"):
        return "infinity"
    when = expiry.read_stored(str(text))
    return str(text) if when is None else iso(when)


def _described(until: str) -> str:
    return "indefinite" if until == "infinity" else f"expires {until}"
