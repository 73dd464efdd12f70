"""list=recentchanges (also a generator): the recentchange table through wiki.pages.recentlist,
with MediaWiki's parameters, reply shape, errors and rccontinue ("timestamp|id")."""

from __future__ import annotations

from wiki import site, titles
from wiki.api import access, logevents
from wiki.api.errors import ApiError
from wiki.api.lists import DIR_OLD, Listing
from wiki.api.output import Bool, iso
from wiki.api.params import bad_continue, limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.extensions import db
from wiki.models import LogEntry, Page, Revision
from wiki.pages import logdelete, recentlist, revdelete, summaries

RCPROPS = (
    "user", "userid", "comment", "parsedcomment", "flags", "timestamp", "title", "ids", "sizes",
    "redirect", "patrolled", "loginfo", "tags", "sha1",
)  # fmt: skip
RCSHOW = (
    "minor", "!minor", "bot", "!bot", "anon", "!anon", "redirect", "!redirect", "patrolled", "!patrolled",
    "unpatrolled", "autopatrolled", "!autopatrolled",
)  # fmt: skip
PATROL_SHOW = {"patrolled", "!patrolled", "unpatrolled", "autopatrolled", "!autopatrolled"}
RCTYPES = ("edit", "new", "log", "external", "categorize")
RECENTCHANGES = [
    param("start", "timestamp", help="The timestamp to start listing from."),
    param("end", "timestamp", help="The timestamp to stop listing at."),
    DIR_OLD,
    namespaces(help="Only changes in these namespaces."),
    param("user", "user", help="Only changes by this user."),
    param("excludeuser", "user", help="Leave out changes by this user."),
    param("tag", help="Only changes tagged with this tag."),
    multi("prop", RCPROPS, default="title|timestamp|ids", help="Which information to include."),
    multi("show", RCSHOW, help="Only changes that meet these criteria."),
    limit(help="How many changes to list."),
    multi("type", RCTYPES, default="edit|new|log|categorize", help="Which kinds of changes to list."),
    param("toponly", "boolean", help="Only changes that are the latest revision of their page."),
    param("title", help="Only changes to this page."),
    param("continue", help="Where to continue (returned by the previous request)."),
    param("slot", ("main",), help="Only changes to this slot (there is only the main slot)."),
]


def _show(show: set[str]) -> dict[str, object]:
    """The filter fields rcshow asks for; MediaWiki's `show` error for contradictions."""
    pairs = [("minor", "!minor"), ("bot", "!bot"), ("anon", "!anon"), ("redirect", "!redirect")]
    pairs += [("patrolled", "!patrolled"), ("patrolled", "unpatrolled"), ("autopatrolled", "!autopatrolled")]
    pairs += [("autopatrolled", "unpatrolled")]
    if any(a in show and b in show for a, b in pairs):
        raise ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.")
    out: dict[str, object] = {}
    for name in ("minor", "bot", "anon", "redirect"):
        if name in show or "!" + name in show:
            out[name] = name in show
    states = {recentlist.UNPATROLLED, recentlist.PATROLLED, recentlist.AUTOPATROLLED}
    if "patrolled" in show:
        states &= {recentlist.PATROLLED, recentlist.AUTOPATROLLED}
    if "!patrolled" in show or "unpatrolled" in show:
        states &= {recentlist.UNPATROLLED}
    if "autopatrolled" in show:
        states &= {recentlist.AUTOPATROLLED}
    if "!autopatrolled" in show:
        states -= {recentlist.AUTOPATROLLED}
    if show & PATROL_SHOW:
        out["patrolled"] = tuple(sorted(states)) or (-1,)
    return out


def _may_see_patrol(api) -> bool:
    return any(r in access.rights(api.user) for r in ("patrol", "patrolmarks"))


def _title(text: str) -> tuple[int, str]:
    try:
        title = site.parse_title(text)
    except titles.InvalidTitle:
        raise ApiError("invalidtitle", f'Bad title "{text}".') from None
    if title.interwiki or title.namespace < 0 and title.namespace != titles.SPECIAL:
        raise ApiError("invalidtitle", f'Bad title "{text}".')
    return title.namespace, title.dbkey


def _cursor(text: str | None) -> recentlist.Cursor | None:
    if not text:
        return None
    try:
        return recentlist.Cursor.parse(text)
    except recentlist.BadCursor:
        raise bad_continue() from None


@submodule("recentchanges", "list", "rc", "Enumerate recent changes.", RECENTCHANGES, generator=True)
def recentchanges(api, p: str) -> Listing:
    params = api.params
    props = set(params.list(p + "prop"))
    show = set(params.list(p + "show"))
    if ("patrolled" in props or show & PATROL_SHOW) and not _may_see_patrol(api):
        raise ApiError(
            "permissiondenied", 'You need the "patrol" or "patrolmarks" right to request the patrolled flag.'
        )
    types = tuple(t for t in params.list(p + "type") if t in recentlist.TYPES)
    user, exclude = params.get(p + "user"), params.get(p + "excludeuser")
    if user and exclude:
        raise ApiError(
            "invalidparammix", f'The parameters "{p}user" and "{p}excludeuser" can not be used together.'
        )
    newer = params.get(p + "dir") == "newer"
    start, end = params.timestamp(p + "start"), params.timestamp(p + "end")
    since, until = (start, end) if newer else (end, start)
    title = params.get(p + "title")
    namespaces = tuple(params.namespaces(p + "namespace"))
    seen = access.reader_rights()
    keep = recentlist.RCFilter(
        types=types if types else ("nothing",),
        namespaces=namespaces,
        user=user.replace("_", " ") if user else None,
        exclude_user=exclude.replace("_", " ") if exclude else None,
        hidden_user_mask=revdelete.user_mask(seen),
        # Asked by page or namespace, a logged action whose target is hidden is not listed at all.
        hidden_log_mask=logdelete.hidden_mask(logdelete.ACTION, seen) if namespaces or title else None,
        tag=params.get(p + "tag") or None,
        target=_title(title) if title else None,
        top_only=params.flag(p + "toponly"),
        since=since,
        until=until,
        **_show(show),  # type: ignore[arg-type]
    )
    size = params.int(p + "limit")
    found = recentlist.window(
        keep,
        limit=size,
        cursor=_cursor(params.get(p + "continue")),
        newer=newer,
        redirects="redirect" in props,
    )
    listing = Listing(cont={p + "continue": str(found.next)} if found.next else {})
    extras = _extras(found, props)
    for row in found.rows:
        listing.items.append(_item(row, props, found, extras))
        if row.page_id and _action_seen(row, seen):
            listing.pages.append(extras["pages"].get(row.page_id) or _missing(row))
    return listing


def _action_seen(row, seen: frozenset[str]) -> bool:
    """Whether the reader may see the page of this row (a log row's action may be hidden)."""
    return row.type != "log" or logdelete.can_see(row.deleted or 0, logdelete.ACTION, seen)


def _missing(row):
    return titles.Title(
        row.namespace, row.title.replace("_", " "), ns_name=site.namespaces().name(row.namespace)
    )


def _extras(found: recentlist.Window, props: set[str]) -> dict:
    """What the rows need from other tables, each in one query."""
    rows = found.rows
    page_ids = {r.page_id for r in rows if r.page_id}
    pages = (
        {p.id: p for p in db.session.scalars(db.select(Page).where(Page.id.in_(page_ids)))}
        if page_ids
        else {}
    )
    extras: dict = {"pages": pages, "sha1": {}, "logs": {}, "comments": {}}
    rev_ids = [r.rev_id for r in rows if r.rev_id]
    if "sha1" in props and rev_ids:
        query = db.select(Revision.id, Revision.sha1).where(Revision.id.in_(rev_ids))
        extras["sha1"] = {rev_id: sha1 for rev_id, sha1 in db.session.execute(query)}
    log_ids = [r.log_id for r in rows if r.log_id]
    if "loginfo" in props and log_ids:
        extras["logs"] = {
            e.id: e for e in db.session.scalars(db.select(LogEntry).where(LogEntry.id.in_(log_ids)))
        }
    if "parsedcomment" in props:
        seen = access.reader_rights()
        # A summary's section links name the page: none for a log row whose target is hidden.
        pairs = [(r.comment, _missing(r) if _action_seen(r, seen) else None) for r in rows]
        extras["comments"] = dict(zip((r.id for r in rows), summaries.html_many(pairs), strict=True))
    return extras


def _item(row, props: set[str], found: recentlist.Window, extras: dict) -> dict:
    item: dict = {"type": row.type}
    bits, seen = row.deleted or 0, access.reader_rights()
    hidden = False
    action_ok = _action_seen(row, seen)
    if props & {"title", "ids"} and row.type == "log" and bits & logdelete.ACTION:
        item["actionhidden"] = hidden = True
    if "title" in props and action_ok:
        item.update(ns=row.namespace, title=_missing(row).prefixed_text)
    if "ids" in props:
        if action_ok:
            item.update(pageid=row.page_id or 0, revid=row.rev_id or 0, old_revid=row.old_rev_id or 0)
        item["rcid"] = row.id
    if props & {"user", "userid"} and bits & revdelete.USER:
        item["userhidden"] = hidden = True
    user_ok = revdelete.can_see(bits, revdelete.USER, seen)
    if "user" in props and user_ok:
        item["user"] = row.user_text
        if row.user_id is None:
            item["anon"] = True
    if "userid" in props and user_ok:
        item["userid"] = row.user_id or 0
    if "flags" in props:
        item.update(bot=Bool(row.bot), new=Bool(row.type == "new"), minor=Bool(row.minor))
    if "sizes" in props:
        item.update(oldlen=row.old_len or 0, newlen=row.new_len or 0)
    if "timestamp" in props:
        item["timestamp"] = iso(row.timestamp)
    if props & {"comment", "parsedcomment"} and bits & revdelete.COMMENT:
        item["commenthidden"] = hidden = True
    comment_ok = revdelete.can_see(bits, revdelete.COMMENT, seen)
    if "comment" in props and comment_ok:
        item["comment"] = row.comment
    if "parsedcomment" in props and comment_ok:
        item["parsedcomment"] = extras["comments"].get(row.id, "")
    if "redirect" in props and row.page_id in found.redirects:
        item["redirect"] = True
    if "patrolled" in props:
        item.update(
            patrolled=Bool(row.patrolled != recentlist.UNPATROLLED),
            unpatrolled=Bool(row.patrolled == recentlist.UNPATROLLED),
            autopatrolled=Bool(row.patrolled == recentlist.AUTOPATROLLED),
        )
    if "loginfo" in props and row.type == "log":
        if bits & logdelete.ACTION:
            item["actionhidden"] = hidden = True
        if action_ok:
            item.update(logid=row.log_id or 0, logtype=row.log_type, logaction=row.log_action)
            entry = extras["logs"].get(row.log_id)
            item["logparams"] = logevents.details(entry) if entry is not None else {}
    if "tags" in props:
        item["tags"] = found.tags.get(row.id, [])
    if "sha1" in props and row.rev_id:
        if bits & revdelete.TEXT:
            item["sha1hidden"] = hidden = True
        if revdelete.can_see(bits, revdelete.TEXT, seen):
            item["sha1"] = extras["sha1"].get(row.rev_id, "")
    if hidden and bits & revdelete.RESTRICTED:
        item["suppressed"] = True
    return item
