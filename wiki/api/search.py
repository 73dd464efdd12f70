"""list=search (also a generator) and action=opensearch, over the wiki's SearchIndex."""

from __future__ import annotations

from flask import current_app

from wiki import pages, site, titles
from wiki.api.errors import ApiError
from wiki.api.lists import Listing
from wiki.api.output import iso
from wiki.api.params import Param, limit, multi, namespaces, param
from wiki.api.registry import register, submodule
from wiki.extensions import db
from wiki.models import Page
from wiki.pages import graph
from wiki.search import QueryRefused
from wiki.search.limits import MAX_LIMIT, MAX_RESULTS

SRPROPS = ("size", "wordcount", "timestamp", "snippet")
SRINFO = ("totalhits", "suggestion")
SEARCH = [
    param("search", required=True, help="Search for page titles or content matching this value."),
    namespaces(default="0", help="Search only within these namespaces."),
    param("what", ("title", "text", "nearmatch"), help="Which type of search to perform."),
    multi("info", SRINFO, default="totalhits|suggestion", help="Which metadata to return."),
    multi("prop", SRPROPS, default="size|wordcount|timestamp|snippet", help="Which properties to return."),
    param(
        "offset",
        "integer",
        default=0,
        min=0,
        help="Where the results start (returned by the previous request).",
    ),
    # One bound for everyone, bots included: each result costs a snippet (wiki.search.limits).
    Param(
        "limit",
        "limit",
        default=10,
        min=1,
        max=MAX_LIMIT,
        highmax=MAX_LIMIT,
        help="How many pages to return.",
    ),
]


def _service():
    """The search package (search, suggest), or None while the wiki has none."""
    try:
        from wiki import search as service
    except ImportError:
        return None
    return service if hasattr(service, "search") and hasattr(service, "suggest") else None


@submodule("search", "list", "sr", "Perform a full text search.", SEARCH, generator=True)
def search(api, p: str) -> Listing:
    params = api.params
    text = params.get(p + "search")
    if not text or not text.strip():
        raise ApiError("missingparam", f'The "{p}search" parameter must be set.')
    namespaces = params.namespaces(p + "namespace") or sorted(site.namespaces().names)
    limit = params.int(p + "limit")
    offset = params.int(p + "offset")
    what = params.get(p + "what")
    props = set(params.list(p + "prop"))
    info = set(params.list(p + "info"))
    if what == "nearmatch":
        return _nearmatch(text)
    try:
        found = _query_index(api, text, namespaces, limit, offset) if what != "title" else None
        if found is None:
            found = _query_database(text, namespaces, limit, offset, titles_only=what == "title")
    except QueryRefused as exc:
        raise ApiError(exc.code, str(exc)) from exc
    hits, total, suggestion = found
    listing = Listing()
    page_rows = {
        p.id: p for p in db.session.scalars(db.select(Page).where(Page.id.in_([h[0] for h in hits])))
    }
    for page_id, snippet, words in hits:
        page = page_rows.get(page_id)
        if page is None:
            continue
        item = {"ns": page.namespace, "title": pages.title_of(page).prefixed_text, "pageid": page.id}
        if "size" in props:
            item["size"] = page.length
        if "wordcount" in props:
            item["wordcount"] = words
        if "snippet" in props:
            item["snippet"] = snippet
        if "timestamp" in props:
            item["timestamp"] = iso(pages.revision(page.latest).timestamp)
        listing.items.append(item)
        listing.pages.append(page)
    # No continuation past the last reachable result (sroffset there is refused).
    if offset + limit < min(total, MAX_RESULTS):
        listing.cont = {p + "offset": str(offset + limit)}
    listing.info = {}
    if "totalhits" in info:
        listing.info["totalhits"] = total
    if "suggestion" in info and suggestion:
        listing.info["suggestion"] = suggestion
        listing.info["suggestionsnippet"] = suggestion
    return listing


def _query_index(api, text, namespaces, limit, offset):
    """Hits from the search index, or None when it cannot answer (then the database is scanned)."""
    service = _service()
    if service is None:
        return None
    try:
        results = service.search(text, namespaces=namespaces, limit=limit, offset=offset)
    except QueryRefused:
        raise
    except service.BadQuery as exc:
        api.warn("search", str(exc))
        return [], 0, None
    except service.IndexUnavailable:
        return None
    hits, seen = [], set()
    for hit in results.hits:
        if hit.page_id not in seen:
            seen.add(hit.page_id)
            hits.append((hit.page_id, hit.snippet_html, hit.words))
    return hits, results.total, results.suggestion


def _query_database(text, namespaces, limit, offset, *, titles_only):
    """A plain scan (no index): pages whose title, or text, contains every word; word counts
    come from the index when it has them."""
    from wiki import search as service

    scan = service.titles if titles_only else service.scan_texts
    found = scan(text, namespaces, limit, offset)
    words = service.words(found.page_ids)
    hits = [(page_id, "", words.get(page_id, 0)) for page_id in found.page_ids]
    return hits, found.total, None


def _nearmatch(text: str) -> Listing:
    listing = Listing()
    title = titles.try_parse(text, site.namespaces())
    page = pages.get(title) if title is not None and title.namespace >= 0 else None
    if page is not None:
        listing.items.append(
            {"ns": page.namespace, "title": pages.title_of(page).prefixed_text, "pageid": page.id}
        )
        listing.pages.append(page)
    listing.info = {"totalhits": len(listing.items)}
    return listing


OPENSEARCH = [
    param("search", required=True, help="Search string."),
    namespaces(default="0", help="Namespaces to search."),
    limit(maximum=100, help="Maximum number of results to return."),
]


@register("opensearch", "Search the wiki using the OpenSearch protocol.", params=OPENSEARCH)
def opensearch(api) -> dict:
    params = api.params
    text = params.get("search")
    found = _suggest(text, params.namespaces("namespace") or [0], params.int("limit"))
    server = current_app.config["WIKI_SERVER"]

    urls = [server + site.page_url(t) for t in found]
    return {"__list__": [text, found, ["" for _ in found], urls]}


def _suggest(text: str, namespaces: list[int], limit: int) -> list[str]:
    service = _service()
    out: list[str] = []
    if service is not None:
        for ns in namespaces:
            out.extend(s.prefixed for s in service.suggest(text, limit=limit, namespace=ns))
        if out:
            return out[:limit]
    from wiki.api.lists import key_part

    for ns in namespaces:
        title = titles.try_parse(text, site.namespaces(), default_namespace=ns)
        if title is None:
            continue
        key = key_part(title.text, title.namespace) if title.text else ""
        found = graph.all_pages(title.namespace, prefix=key, limit=limit, previous=False)
        out.extend(pages.title_of(p).prefixed_text for p in found.pages)
    return out[:limit]
