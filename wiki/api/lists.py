"""list= modules of action=query (also usable as generators): allpages, backlinks,
categorymembers, recentchanges. Search lives in search.py.

Each takes the request and its parameter prefix ("ap", or "gap" as a generator) and answers a
Listing: the items list= shows, the pages a generator feeds to prop=, and the continuation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_

from wiki import pages, site, titles
from wiki.api.errors import ApiError
from wiki.api.output import iso
from wiki.api.pageset import parse_title
from wiki.api.timestamps import parse as parse_timestamp
from wiki.extensions import db
from wiki.models import CategoryLink, Page, PageLink, Redirect, Revision


@dataclass
class Listing:
    items: list[dict] = field(default_factory=list)
    pages: list = field(default_factory=list)  # Page rows (or Titles) for generators
    cont: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # e.g. list=search's searchinfo


def ordered(column):
    """Byte order, as MediaWiki sorts titles, on PostgreSQL too (whose default collation ignores case)."""
    if db.engine.dialect.name == "postgresql":
        return column.collate("C")
    return column


def _page_item(page: Page) -> dict:
    return {"pageid": page.id, "ns": page.namespace, "title": pages.title_of(page).prefixed_text}


def _namespaces(api, name: str) -> list[int]:
    out = []
    for value in api.params.list(name):
        if value == "*":
            return []
        if not value.lstrip("-").isdigit():
            api.warn("main", f'Unrecognized value for parameter "{name}": {value}')
            continue
        out.append(int(value))
    return out


def _key_part(text: str, namespace: int) -> str:
    """A title prefix or bound as a dbkey, keeping a trailing space (as MediaWiki's titlePartToKey)."""
    if not text:
        return ""
    try:
        title = titles.parse(text + "X", site.namespaces(), default_namespace=namespace)
    except titles.InvalidTitle as exc:
        raise ApiError("invalidtitle", f'Bad title "{text}". {exc}') from None
    return title.dbkey[:-1]


def revision_window(query, cont: str | None, newer: bool, limit: int) -> list:
    """Up to limit + 1 (revision, page) rows from a `...|revid` continuation, oldest or newest first."""
    if cont:
        try:
            rev_id = int(cont.rsplit("|", 1)[-1])
        except ValueError:
            raise _bad_continue() from None
        query = query.where(Revision.id >= rev_id if newer else Revision.id <= rev_id)
    return db.session.execute(
        query.order_by(Revision.id if newer else Revision.id.desc()).limit(limit + 1)
    ).all()


def within_times(query, params, p: str, newer: bool):
    """`query` limited to revisions between the `start` and `end` parameters (which bound is lower
    depends on the direction, as in MediaWiki: newer lists go from start up to end)."""
    for name, is_start in ((p + "start", True), (p + "end", False)):
        raw = params.get(name)
        if raw:
            when = parse_timestamp(raw, name)
            lower = newer == is_start
            query = query.where(Revision.timestamp >= when if lower else Revision.timestamp <= when)
    return query


def _bad_continue() -> ApiError:
    return ApiError(
        "badcontinue",
        "Invalid continue param. You should pass the original value returned by the previous query.",
    )


def allpages(api, p: str) -> Listing:
    params = api.params
    ns = params.int(p + "namespace", 0)
    limit = params.limit(p + "limit", 10, 500, api.warn, "allpages")
    descending = params.enum(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    redir = params.enum(p + "filterredir", ("all", "redirects", "nonredirects"), "all")
    for ignored in ("filterlanglinks", "prtype", "prlevel", "prfiltercascade", "prexpiry"):
        params.get(p + ignored)
    column = ordered(Page.title)
    query = db.select(Page).where(Page.namespace == ns)
    prefix = _key_part(params.get(p + "prefix", ""), ns)
    if prefix:
        query = query.where(column >= prefix, column < prefix + "\U0010ffff")
    start, start_from = params.get(p + "continue"), params.get(p + "from")
    start = start or start_from
    end = params.get(p + "to")
    if start:
        key = _key_part(start, ns)
        query = query.where(column <= key if descending else column >= key)
    if end:
        key = _key_part(end, ns)
        query = query.where(column >= key if descending else column <= key)
    if redir != "all":
        query = query.where(Page.is_redirect.is_(redir == "redirects"))
    minsize, maxsize = params.int(p + "minsize"), params.int(p + "maxsize")
    if minsize is not None:
        query = query.where(Page.length >= minsize)
    if maxsize is not None:
        query = query.where(Page.length <= maxsize)
    rows = list(db.session.scalars(query.order_by(column.desc() if descending else column).limit(limit + 1)))
    listing = Listing([_page_item(r) for r in rows[:limit]], rows[:limit])
    if len(rows) > limit:
        listing.cont = {p + "continue": rows[limit].title}
    return listing


def _target(api, p: str) -> titles.Title:
    raw = api.params.get(p + "title")
    page_id = api.params.int(p + "pageid")
    if raw is None and page_id is None:
        raise ApiError("missingparam", f'One of the parameters "{p}title" and "{p}pageid" is required.')
    if raw is not None:
        return parse_title(raw)
    page = pages.get_by_id(page_id)
    if page is None:
        raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
    return pages.title_of(page)


def backlinks(api, p: str) -> Listing:
    params = api.params
    target = _target(api, p)
    limit = params.limit(p + "limit", 10, 500, api.warn, "backlinks")
    namespaces = _namespaces(api, p + "namespace")
    redir = params.enum(p + "filterredir", ("all", "redirects", "nonredirects"), "all")
    descending = params.enum(p + "dir", ("ascending", "descending"), "ascending") == "descending"
    params.flag(p + "redirect")
    linking = db.select(PageLink.from_id).where(
        PageLink.namespace == target.namespace, PageLink.title == target.dbkey
    )
    redirecting = db.select(Redirect.page_id).where(
        Redirect.namespace == target.namespace, Redirect.title == target.dbkey
    )
    query = db.select(Page).where(or_(Page.id.in_(linking), Page.id.in_(redirecting)))
    if namespaces:
        query = query.where(Page.namespace.in_(namespaces))
    if redir != "all":
        query = query.where(Page.is_redirect.is_(redir == "redirects"))
    cont = params.get(p + "continue")
    if cont:
        try:
            from_id = int(cont.rsplit("|", 1)[-1])
        except ValueError:
            raise _bad_continue() from None
        query = query.where(Page.id <= from_id if descending else Page.id >= from_id)
    rows = list(
        db.session.scalars(query.order_by(Page.id.desc() if descending else Page.id).limit(limit + 1))
    )
    items = []
    for row in rows[:limit]:
        item = _page_item(row)
        item["redirect"] = bool(row.is_redirect)
        items.append(item)
    listing = Listing(items, rows[:limit])
    if len(rows) > limit:
        listing.cont = {p + "continue": f"{target.namespace}|{target.dbkey}|{rows[limit].id}"}
    return listing


CMPROPS = {"ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp"}


def categorymembers(api, p: str) -> Listing:
    params = api.params
    raw, page_id = params.get(p + "title"), params.int(p + "pageid")
    if raw is None and page_id is None:
        raise ApiError("missingparam", f'One of the parameters "{p}title" and "{p}pageid" is required.')
    title = (
        parse_title(raw) if raw is not None else pages.title_of(pages.get_by_id(page_id) or _no_page(page_id))
    )
    if title.namespace != titles.CATEGORY:
        raise ApiError("invalidcategory", "The category name you entered is not valid.")
    props = set(params.set(p + "prop", CMPROPS, "categorymembers", api.warn) or ["ids", "title"])
    limit = params.limit(p + "limit", 10, 500, api.warn, "categorymembers")
    namespaces = _namespaces(api, p + "namespace")
    types = set(params.set(p + "type", {"page", "subcat", "file"}) or ["page", "subcat", "file"])
    by_time = params.enum(p + "sort", ("sortkey", "timestamp"), "sortkey") == "timestamp"
    direction = params.enum(
        p + "dir", ("asc", "desc", "ascending", "descending", "newer", "older"), "ascending"
    )
    for ignored in (
        "start",
        "end",
        "starthexsortkey",
        "endhexsortkey",
        "startsortkeyprefix",
        "endsortkeyprefix",
    ):
        params.get(p + ignored)
    rows = db.session.execute(
        db.select(CategoryLink, Page)
        .join(Page, Page.id == CategoryLink.from_id)
        .where(CategoryLink.category == title.dbkey)
    ).all()
    members = []
    for link, page in rows:
        kind = (
            "subcat"
            if page.namespace == titles.CATEGORY
            else "file"
            if page.namespace == titles.FILE
            else "page"
        )
        if kind not in types or (namespaces and page.namespace not in namespaces):
            continue
        sortkey = (link.sortkey or pages.title_of(page).text).upper()
        order = (link.timestamp.isoformat(), page.id) if by_time else (sortkey, page.id)
        members.append((order, link, page, kind))
    members.sort(key=lambda m: m[0], reverse=direction in ("desc", "descending", "older"))
    cont = params.get(p + "continue")
    if cont:
        start = next((i for i, m in enumerate(members) if _cm_key(m) == cont), None)
        if start is None:
            raise _bad_continue()
        members = members[start:]
    listing = Listing()
    for member in members[:limit]:
        _order, link, page, kind = member
        item = {"pageid": page.id, "ns": page.namespace, "title": pages.title_of(page).prefixed_text}
        if "ids" not in props:
            item.pop("pageid")
        if "title" not in props:
            item.pop("title")
            item.pop("ns")
        if "sortkey" in props:
            item["sortkey"] = _order[0].encode().hex() if not by_time else ""
        if "sortkeyprefix" in props:
            item["sortkeyprefix"] = link.sortkey or ""
        if "type" in props:
            item["type"] = kind
        if "timestamp" in props:
            item["timestamp"] = iso(link.timestamp)
        listing.items.append(item)
        listing.pages.append(page)
    if len(members) > limit:
        listing.cont = {p + "continue": _cm_key(members[limit])}
    return listing


def _cm_key(member) -> str:
    return f"{member[3]}|{member[0][0].encode().hex()}|{member[2].id}"


def _no_page(page_id: int):
    raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")


RCPROPS = {
    "user",
    "userid",
    "comment",
    "parsedcomment",
    "flags",
    "timestamp",
    "title",
    "ids",
    "sizes",
    "redirect",
    "patrolled",
    "loginfo",
    "tags",
    "sha1",
}


def recentchanges(api, p: str) -> Listing:
    params = api.params
    props = set(params.set(p + "prop", RCPROPS, "recentchanges", api.warn) or ["title", "timestamp", "ids"])
    limit = params.limit(p + "limit", 10, 500, api.warn, "recentchanges")
    newer = params.enum(p + "dir", ("older", "newer"), "older") == "newer"
    namespaces = _namespaces(api, p + "namespace")
    show = set(params.list(p + "show"))
    types = set(params.list(p + "type") or ["edit", "new", "log", "categorize"])
    toponly = params.flag(p + "toponly")
    query = db.select(Revision, Page).join(Page, Page.id == Revision.page_id)
    if namespaces:
        query = query.where(Page.namespace.in_(namespaces))
    query = within_times(query, params, p, newer)
    user, exclude = params.get(p + "user"), params.get(p + "excludeuser")
    if user:
        query = query.where(Revision.user_text == user.replace("_", " "))
    if exclude:
        query = query.where(Revision.user_text != exclude.replace("_", " "))
    query = _rc_show(query, show)
    if not types & {"edit", "new"}:
        return Listing()
    if "new" not in types:
        query = query.where(Revision.parent_id.is_not(None))
    if "edit" not in types:
        query = query.where(Revision.parent_id.is_(None))
    if toponly:
        query = query.where(Revision.id == Page.latest)
    rows = revision_window(query, params.get(p + "continue"), newer, limit)
    parents = pages.sizes([rev.parent_id for rev, _page in rows]) if "sizes" in props else {}
    listing = Listing()
    for rev, page in rows[:limit]:
        listing.items.append(_rc_item(rev, page, props, parents))
        listing.pages.append(page)
    if len(rows) > limit:
        nxt = rows[limit][0]
        listing.cont = {p + "continue": f"{nxt.timestamp.strftime('%Y%m%d%H%M%S')}|{nxt.id}"}
    return listing


def _rc_show(query, show: set[str]):
    for flag in show:
        negate = flag.startswith("!")
        name = flag.lstrip("!")
        if name == "minor":
            query = query.where(Revision.minor.is_(not negate))
        elif name == "anon":
            query = query.where(Revision.user_id.is_not(None) if negate else Revision.user_id.is_(None))
        elif name == "redirect":
            query = query.where(Page.is_redirect.is_(not negate))
        elif name == "bot" and not negate:  # no edit here is flagged as a bot edit
            query = query.where(Revision.id < 0)
    return query


def _rc_item(rev: Revision, page: Page, props: set[str], parents: dict) -> dict:
    item: dict = {"type": "new" if rev.parent_id is None else "edit"}
    if "title" in props:
        item.update(ns=page.namespace, title=pages.title_of(page).prefixed_text)
    if "ids" in props:
        item.update(pageid=page.id, revid=rev.id, old_revid=rev.parent_id or 0, rcid=rev.id)
    if "user" in props:
        item["user"] = rev.user_text
        item["anon"] = rev.user_id is None
    if "userid" in props:
        item["userid"] = rev.user_id or 0
    if "flags" in props:
        item.update(bot=False, new=rev.parent_id is None, minor=bool(rev.minor))
    if "sizes" in props:
        item.update(oldlen=parents.get(rev.parent_id, 0), newlen=rev.size)
    if "timestamp" in props:
        item["timestamp"] = iso(rev.timestamp)
    if "comment" in props:
        item["comment"] = rev.comment
    if "parsedcomment" in props:
        from html import escape

        item["parsedcomment"] = escape(rev.comment)
    if "redirect" in props:
        item["redirect"] = bool(page.is_redirect)
    if "sha1" in props:
        item["sha1"] = rev.sha1
    if "tags" in props:
        item["tags"] = []
    return item


def watchlist(api, p: str) -> Listing:
    """No watchlists here: an empty one for accounts, MediaWiki's notloggedin for anonymous callers."""
    if api.user is None:
        raise ApiError("notloggedin", "Please log in to view or edit items on your watchlist.")
    for name in ("prop", "limit", "namespace", "start", "end", "dir", "show", "type", "continue", "allrev"):
        api.params.get(p + name)
    return Listing()


LISTS = {
    "allpages": ("ap", allpages),
    "backlinks": ("bl", backlinks),
    "categorymembers": ("cm", categorymembers),
    "recentchanges": ("rc", recentchanges),
    "watchlist": ("wl", watchlist),
}
