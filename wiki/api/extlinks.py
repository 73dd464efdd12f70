"""prop=extlinks, list=exturlusage (the external links table), prop=linkshere, list=prefixsearch."""

from __future__ import annotations

from wiki import pages, site, titles
from wiki.api.errors import ApiError
from wiki.api.lists import Listing
from wiki.api.output import Bool, Node
from wiki.api.pageset import PageSet
from wiki.api.params import bad_continue, continue_int, limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.pages import extlinks, graph

PROTOCOL_HELP = "Protocol of the URLs (empty with a query: http; empty without one: every protocol)."
EXTLINKS = [
    limit(help="How many links to return."),
    param("continue", help="Where to continue (returned by the previous request)."),
    param("protocol", ("", *extlinks.PROTOCOLS), default="", help=PROTOCOL_HELP),
    param("query", help='Search string without protocol ("*.example.com" for a domain and its subdomains).'),
    param("expandurl", "boolean", help="Expand protocol-relative URLs with the canonical protocol (http)."),
]
EXTURLUSAGE = [
    multi(
        "prop",
        ("ids", "title", "url"),
        default="ids|title|url",
        help="Which pieces of information to include.",
    ),
    param("continue", help="Where to continue (returned by the previous request)."),
    param("protocol", ("", *extlinks.PROTOCOLS), default="", help=PROTOCOL_HELP),
    param("query", help='Search string without protocol ("*.example.com" for a domain and its subdomains).'),
    namespaces(help="The page namespaces to enumerate."),
    limit(help="How many pages to return."),
    param("expandurl", "boolean", help="Expand protocol-relative URLs with the canonical protocol (http)."),
]
LINKSHERE = [
    multi(
        "prop",
        ("pageid", "title", "redirect"),
        default="pageid|title|redirect",
        help="Which properties to get.",
    ),
    namespaces(help="Only include pages in these namespaces."),
    multi("show", ("redirect", "!redirect"), help="Show only redirects, or only pages that are not."),
    limit(help="How many to return."),
    param("continue", help="Where to continue (returned by the previous request)."),
]
MAX_OFFSET = 10_000
PREFIXSEARCH = [
    param("search", required=True, help="Search string."),
    namespaces(default="0", help="Namespaces to search."),
    limit(maximum=100, help="Maximum number of results to return."),
    param("offset", "integer", default=0, min=0, max=MAX_OFFSET, help="Number of results to skip."),
]


def _url(link, expand: bool) -> str:
    return "http:" + link.url if expand and link.url.startswith("//") else link.url


def _extlinks_start(raw: str | None) -> tuple[int, str, int] | None:
    """'page|index key|id' (the key may hold "|")."""
    if not raw:
        return None
    first, _, rest = raw.partition("|")
    key, _, last = rest.rpartition("|")
    if not first.isdigit() or not _:
        raise bad_continue()
    return int(first), key, continue_int(last)


@submodule(
    "extlinks", "prop", "el", "Returns all external URLs (not interwikis) from the given pages.", EXTLINKS
)
def extlinks_prop(api, pageset: PageSet, out: dict) -> dict:
    params = api.params
    ids = sorted(e.page.id for e in pageset.good)
    if not ids:
        return {}
    protocol, query = params.get("elprotocol") or "", params.get("elquery") or ""
    rows, following = extlinks.of_pages(
        ids, protocol=protocol, query=query, start=_extlinks_start(params.get("elcontinue")),
        limit=params.int("ellimit"),
    )  # fmt: skip
    expand = params.flag("elexpandurl")
    for link in rows:
        out[("page", link.from_id)].setdefault("extlinks", []).append(Node("url", _url(link, expand)))
    return {"elcontinue": "|".join(str(k) for k in following)} if following else {}


@submodule(
    "exturlusage", "list", "eu", "Enumerate pages that contain a given URL.", EXTURLUSAGE, generator=True
)
def exturlusage(api, p: str) -> Listing:
    params = api.params
    start = None
    raw = params.get(p + "continue")
    if raw:
        key, sep, last = raw.rpartition("|")
        if not sep:
            raise bad_continue()
        start = (key, continue_int(last))
    props = set(params.list(p + "prop"))
    rows, following = extlinks.usage(
        protocol=params.get(p + "protocol") or "",
        query=params.get(p + "query") or "",
        namespaces=tuple(params.namespaces(p + "namespace")),
        start=start,
        limit=params.int(p + "limit"),
    )
    expand = params.flag(p + "expandurl")
    items = []
    for link, page in rows:
        item: dict = {}
        if "ids" in props:
            item["pageid"] = page.id
        if "title" in props:
            item.update(ns=page.namespace, title=pages.title_of(page).prefixed_text)
        if "url" in props:
            item["url"] = _url(link, expand)
        items.append(item)
    listing = Listing(items, [page for _link, page in rows])
    if following is not None:
        listing.cont = {p + "continue": f"{following[0]}|{following[1]}"}
    return listing


@submodule("linkshere", "prop", "lh", "Find all pages that link to the given pages.", LINKSHERE)
def linkshere(api, pageset: PageSet, out: dict) -> dict:
    params = api.params
    props = set(params.list("lhprop"))
    show = set(params.list("lhshow"))
    if {"redirect", "!redirect"} <= show:
        raise ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.")
    keep = graph.LinkerFilter(
        tuple(params.namespaces("lhnamespace")),
        True if "redirect" in show else False if "!redirect" in show else None,
    )
    start_page, start_from = 0, None
    raw = params.get("lhcontinue")
    if raw:
        first, sep, last = raw.partition("|")
        if not sep or not first.isdigit():
            raise bad_continue()
        start_page, start_from = int(first), continue_int(last)
    left = params.int("lhlimit")
    for entry in sorted(pageset.good, key=lambda e: e.page.id):
        if entry.page.id < start_page:
            continue
        found = graph.what_links_here(
            (entry.page.namespace, entry.page.title),
            kinds=("link", "redirect"),
            keep=keep,
            from_id=start_from if entry.page.id == start_page else None,
            limit=left,
            nested_limit=0,
            previous=False,
        )
        for linker in found.linkers:
            item: dict = {}
            if "pageid" in props:
                item["pageid"] = linker.page.id
            if "title" in props:
                item.update(ns=linker.page.namespace, title=pages.title_of(linker.page).prefixed_text)
            if "redirect" in props:
                item["redirect"] = Bool(linker.page.is_redirect)
            out[("page", entry.page.id)].setdefault("linkshere", []).append(item)
        left -= len(found.linkers)
        if found.next_from is not None:
            return {"lhcontinue": f"{entry.page.id}|{found.next_from}"}
        if left <= 0:
            later = [e.page.id for e in pageset.good if e.page.id > entry.page.id]
            return {"lhcontinue": f"{min(later)}|0"} if later else {}
    return {}


@submodule(
    "prefixsearch", "list", "ps", "Perform a prefix search for page titles.", PREFIXSEARCH, generator=True
)
def prefixsearch(api, p: str) -> Listing:
    params = api.params
    search = params.get(p + "search") or ""
    size, offset = params.int(p + "limit"), params.int(p + "offset") or 0
    wanted = params.namespaces(p + "namespace") or [titles.MAIN]
    spaces = site.namespaces()
    head, colon, tail = search.partition(":")
    named = spaces.lookup(head.strip()) if colon and head.strip() else None
    # a prefixed search ("Template:Inf") looks in that namespace only
    plan = [(named, tail)] if named is not None else [(ns, search) for ns in wanted]
    found: list = []
    for namespace, text in plan:
        prefix = text.strip().replace(" ", "_")
        prefix = prefix[:1].upper() + prefix[1:]
        got = graph.all_pages(namespace, prefix=prefix, limit=offset + size + 1 - len(found), previous=False)
        found.extend(got.pages)
        if len(found) > offset + size:
            break
    chosen = found[offset : offset + size]
    items = [
        {"ns": page.namespace, "title": pages.title_of(page).prefixed_text, "pageid": page.id}
        for page in chosen
    ]
    listing = Listing(items, chosen)
    if len(found) > offset + size and offset + size <= MAX_OFFSET:
        listing.cont = {p + "offset": offset + size}
    return listing
