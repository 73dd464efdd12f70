"""list= modules of action=query (also usable as generators): allpages, backlinks,
categorymembers. Search lives in search.py, usercontribs in usercontribs.py, recentchanges in
recentchanges.py, watchlists in watchlists.py.

Each takes the request and its parameter prefix ("ap", or "gap" as a generator) and answers a
Listing: the items list= shows, the pages a generator feeds to prop=, and the continuation. The
queries are the services' (wiki.pages.graph, wiki.pages.changes), paged by key in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from wiki import pages, site, titles
from wiki.api.errors import ApiError
from wiki.api.output import iso
from wiki.api.pageset import parse_title
from wiki.api.params import bad_continue, continue_int, limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.pages import changes, graph

DIR_ASC = param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in.")
DIR_OLD = param("dir", ("newer", "older"), default="older", help="The direction to list in.")
FILTERREDIR = param(
    "filterredir", ("all", "redirects", "nonredirects"), default="all", help="Which pages to list."
)


@dataclass
class Listing:
    items: list[dict] = field(default_factory=list)
    pages: list = field(default_factory=list)  # Page rows (or Titles) for generators
    cont: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # e.g. list=search's searchinfo


def redirect_filter(value: str) -> bool | None:
    """filterredir: only redirects (True), none (False), or both (None)."""
    return None if value == "all" else value == "redirects"


def _page_item(page) -> dict:
    return {"pageid": page.id, "ns": page.namespace, "title": pages.title_of(page).prefixed_text}


def key_part(text: str, namespace: int) -> str:
    """A title prefix or bound as a dbkey, keeping a trailing space (as MediaWiki's titlePartToKey)."""
    if not text:
        return ""
    try:
        title = titles.parse(text + "X", site.namespaces(), default_namespace=namespace)
    except titles.InvalidTitle as exc:
        raise ApiError("invalidtitle", f'Bad title "{text}". {exc}') from None
    return title.dbkey[:-1]


ALLPAGES = [
    param("from", help="The page title to start listing from."),
    param("continue", help="Where to continue (returned by the previous request)."),
    param("to", help="The page title to stop listing at."),
    param("prefix", help="List the titles that begin with this value."),
    param("namespace", "namespace", default=0, help="The namespace to list."),
    FILTERREDIR,
    param("minsize", "integer", help="Only pages of at least this many bytes."),
    param("maxsize", "integer", help="Only pages of at most this many bytes."),
    param(
        "filterlanglinks",
        ("withlanglinks", "withoutlanglinks", "all"),
        default="all",
        help="Pages with language links (this wiki has none), without, or all.",
    ),
    limit(help="How many pages to list."),
    DIR_ASC,
]


@submodule(
    "allpages", "list", "ap", "Enumerate the pages of a namespace in title order.", ALLPAGES, generator=True
)
def allpages(api, p: str) -> Listing:
    params = api.params
    ns = params.int(p + "namespace")
    if params.get(p + "filterlanglinks") == "withlanglinks":
        return Listing()
    found = graph.all_pages(
        ns,
        start=key_part(params.get(p + "continue") or params.get(p + "from") or "", ns),
        end=key_part(params.get(p + "to") or "", ns),
        prefix=key_part(params.get(p + "prefix") or "", ns),
        limit=params.int(p + "limit"),
        redirects=redirect_filter(params.get(p + "filterredir")),
        min_size=params.int(p + "minsize"),
        max_size=params.int(p + "maxsize"),
        descending=params.get(p + "dir") == "descending",
        previous=False,
    )
    listing = Listing([_page_item(r) for r in found.pages], list(found.pages))
    if found.next_from is not None:
        listing.cont = {p + "continue": found.next_from}
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


BACKLINKS = [
    param("title", "title", help="The title to search for."),
    param("pageid", "integer", min=1, help="The page id to search for (instead of a title)."),
    param("continue", help="Where to continue (returned by the previous request)."),
    namespaces(help="The namespaces to list."),
    DIR_ASC,
    FILTERREDIR,
    limit(help="How many pages to list."),
    param("redirect", "boolean", help="List, under each redirect, the pages linking through it."),
]


@submodule(
    "backlinks", "list", "bl", "Find all pages that link to the given page.", BACKLINKS, generator=True
)
def backlinks(api, p: str) -> Listing:
    params = api.params
    target = _target(api, p)
    size = params.int(p + "limit")
    cont = params.get(p + "continue")
    found = graph.what_links_here(
        (target.namespace, target.dbkey),
        kinds=("link", "redirect"),
        keep=graph.LinkerFilter(
            tuple(params.namespaces(p + "namespace")), redirect_filter(params.get(p + "filterredir"))
        ),
        from_id=continue_int(cont) if cont else None,
        descending=params.get(p + "dir") == "descending",
        limit=size,
        nested_limit=size if params.flag(p + "redirect") else 0,
        previous=False,
    )
    items = []
    for linker in found.linkers:
        item = _page_item(linker.page)
        item["redirect"] = bool(linker.page.is_redirect)
        if linker.via:
            item["redirlinks"] = [_page_item(inner.page) for inner in linker.via]
        items.append(item)
    listing = Listing(items, [linker.page for linker in found.linkers])
    if found.next_from is not None:
        listing.cont = {p + "continue": f"{target.namespace}|{target.dbkey}|{found.next_from}"}
    return listing


CMPROPS = ("ids", "title", "sortkey", "sortkeyprefix", "type", "timestamp")
CMDIR = ("asc", "desc", "ascending", "descending", "newer", "older")
CATEGORYMEMBERS = [
    param("title", "title", help="The category to list (with its Category: prefix)."),
    param("pageid", "integer", min=1, help="The page id of the category to list."),
    multi("prop", CMPROPS, default="ids|title", help="Which information to include."),
    namespaces(help="Only pages in these namespaces."),
    multi("type", graph.KIND_ORDER, default="page|subcat|file", help="Which kinds of members to list."),
    param("continue", help="Where to continue (returned by the previous request)."),
    limit(help="How many members to list."),
    param("sort", ("sortkey", "timestamp"), default="sortkey", help="The property to sort by."),
    param("dir", CMDIR, default="ascending", help="The direction to sort in."),
]


@submodule(
    "categorymembers", "list", "cm", "List all pages in a given category.", CATEGORYMEMBERS, generator=True
)
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
    props = set(params.list(p + "prop"))
    by_time = params.get(p + "sort") == "timestamp"
    cont = params.get(p + "continue")
    members, following = graph.category_listing(
        title.dbkey,
        kinds=tuple(params.list(p + "type")),
        namespaces=tuple(params.namespaces(p + "namespace")),
        by_time=by_time,
        descending=params.get(p + "dir") in ("desc", "descending", "older"),
        start=_cm_start(cont, by_time) if cont else None,
        limit=params.int(p + "limit"),
    )
    listing = Listing()
    for member in members:
        listing.items.append(_cm_item(member, props))
        listing.pages.append(member.page)
    if following is not None:
        listing.cont = {p + "continue": _cm_continue(following, by_time)}
    return listing


def _cm_item(member: graph.Member, props: set[str]) -> dict:
    page = member.page
    item: dict = {}
    if "ids" in props:
        item["pageid"] = page.id
    if "title" in props:
        item.update(ns=page.namespace, title=pages.title_of(page).prefixed_text)
    if "sortkey" in props:
        item["sortkey"] = member.sortkey.encode().hex()
    if "sortkeyprefix" in props:
        # The stored key is "PREFIX\nTITLE" when the page gave a sort key, else the title alone.
        item["sortkeyprefix"] = member.sortkey.split("\n", 1)[0] if "\n" in member.sortkey else ""
    if "type" in props:
        item["type"] = member.kind
    if "timestamp" in props:
        item["timestamp"] = iso(member.timestamp)
    return item


def _cm_continue(member: graph.Member, by_time: bool) -> str:
    if by_time:
        return f"{member.timestamp.isoformat()}|{member.page.id}"
    return f"{member.kind}|{member.sortkey.encode().hex()}|{member.page.id}"


def _cm_start(cont: str, by_time: bool) -> tuple:
    """The listing key a cmcontinue value names, or badcontinue."""
    page_id = continue_int(cont)
    parts = cont.split("|")
    try:
        if by_time and len(parts) == 2:
            return (datetime.fromisoformat(parts[0]), page_id)
        if not by_time and len(parts) == 3 and parts[0] in graph.KIND_ORDER:
            return (graph.KIND_ORDER.index(parts[0]), bytes.fromhex(parts[1]).decode(), page_id)
    except (ValueError, UnicodeDecodeError):
        pass
    raise bad_continue()


def _no_page(page_id: int):
    raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")


def change_window(api, p: str, keep: changes.ChangeFilter) -> tuple[list, dict]:
    """The (revision, page) rows of one page of recentchanges / usercontribs, and the continuation.

    start and end bound the time; which is the lower bound depends on the direction, as in
    MediaWiki (newer lists go from start up to end).
    """
    params = api.params
    size = params.int(p + "limit")
    newer = params.get(p + "dir") == "newer"
    start, end = params.timestamp(p + "start"), params.timestamp(p + "end")
    since, until = (start, end) if newer else (end, start)
    cont = params.get(p + "continue")
    keep = changes.ChangeFilter(**{**keep.__dict__, "since": since, "until": until})
    rows = changes.changes(
        keep, newer=newer, from_id=continue_int(cont) if cont else None, limit=size, with_text=False
    )
    more = {}
    if len(rows) > size:
        nxt = rows[size][0]
        more = {p + "continue": f"{nxt.timestamp.strftime('%Y%m%d%H%M%S')}|{nxt.id}"}
    return rows[:size], more
