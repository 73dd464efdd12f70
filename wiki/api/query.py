"""action=query: meta, prop and list modules, generators, titles/pageids/revids, redirects and
continuation, put together as MediaWiki's ApiQuery does."""

from __future__ import annotations

# The submodules register themselves on import.
from wiki.api import linkprops, lists, logevents, meta, props, search, tags, usercontribs  # noqa: F401
from wiki.api.lists import Listing
from wiki.api.output import PageMap
from wiki.api.pageset import PageSet, from_pageids, from_pages, from_revids, from_titles, resolve_redirects
from wiki.api.params import multi, param
from wiki.api.registry import SUBMODULES, Submodule, group, register

GROUPS = ("prop", "list", "meta")


def generators() -> tuple[str, ...]:
    return tuple(sorted(n for n, s in SUBMODULES.items() if s.generator))


def query_params() -> list:
    """action=query's own parameters (the submodules' names come from the registry)."""
    return [
        *(multi(g, tuple(sorted(group(g))), help=f"Which {g} modules to use.") for g in GROUPS),
        param("generator", generators(), help="Get the list of pages to work on by executing this module."),
        multi("titles", help="A list of titles to work on."),
        multi("pageids", "integer", min=0, help="A list of page ids to work on."),
        multi("revids", "integer", min=0, help="A list of revision ids to work on."),
        param("redirects", "boolean", help="Resolve redirects in the pages worked on."),
        param("continue", help="Where to continue (returned by the previous request)."),
        param("indexpageids", "boolean", help="Include a list of the page ids in the result."),
    ]


@register("query", "Fetch data from and about the wiki.", params=query_params())
def query(api) -> dict:
    params = api.params
    chosen = {g: params.list(g) for g in GROUPS}
    for g in GROUPS:
        for name in chosen[g]:
            sub = SUBMODULES[name]
            params.declare(sub.params, sub.prefix, name)
    result: dict = {}
    for name in chosen["meta"]:
        data = SUBMODULES[name].handler(api)
        if name == "siteinfo":
            result.update(data)
        else:
            result[name] = data
    pageset, gen_cont = _pageset(api)
    prop_cont = _pages(api, pageset, chosen["prop"], result) if pageset is not None else {}
    list_cont: dict = {}
    for name in chosen["list"]:
        sub = SUBMODULES[name]
        listing = sub.handler(api, sub.prefix)
        result[name] = listing.items
        if listing.info:
            result["searchinfo"] = listing.info
        list_cont.update(listing.cont)
    if gen_cont and prop_cont:
        # The prop modules have not finished this batch: the generator stays where it started.
        gen_cont = {k: params.values[k] for k in gen_cont if params.values.get(k)}
    cont = {**list_cont, **gen_cont, **prop_cont}
    out: dict = {}
    if cont:
        out["continue"] = {**cont, "continue": "-||" if prop_cont else "||"}
    if not prop_cont:
        out["batchcomplete"] = True
    if result:
        out["query"] = result
    return out


def _pageset(api) -> tuple[PageSet | None, dict]:
    params = api.params
    source = params.one_of("titles", "pageids", "revids")
    generator = params.get("generator")
    if source is None and generator is None:
        return None, {}
    pageset = PageSet()
    if source == "titles":
        from_titles(params.list("titles"), pageset)
    elif source == "pageids":
        from_pageids(params.list("pageids"), pageset)
    elif source == "revids":
        from_revids(params.list("revids"), pageset)
    gen_cont: dict = {}
    if generator is not None:
        pageset, gen_cont = _generate(api, generator, pageset if source else None)
    if params.flag("redirects"):
        resolve_redirects(pageset)
    return pageset, gen_cont


def _generate(api, name: str, source: PageSet | None) -> tuple[PageSet, dict]:
    sub: Submodule = SUBMODULES[name]
    prefix = "g" + sub.prefix
    api.params.declare(sub.params, prefix, name)
    out = PageSet()
    if sub.group == "list":
        listing: Listing = sub.handler(api, prefix)
        from_pages(listing.pages, out)
        return out, listing.cont
    if source is None:
        return out, {}
    kind = linkprops.GENERATOR_KINDS[name]
    rows, cont = linkprops.outgoing_rows(api, source, kind, prefix)
    from_pages([linkprops.target_title(kind, r) for r in rows], out)
    out.normalized = source.normalized
    return out, cont


def _pages(api, pageset: PageSet, chosen: list[str], result: dict) -> dict:
    out = {e.key: e.base() for e in pageset.entries}
    cont: dict = {}
    for name in chosen:
        cont.update(SUBMODULES[name].handler(api, pageset, out))
    if pageset.normalized:
        result["normalized"] = pageset.normalized
    if pageset.redirects:
        result["redirects"] = pageset.redirects
    if pageset.badrevids:
        result["badrevids"] = {str(r): {"revid": r, "missing": True} for r in pageset.badrevids}
    if pageset.entries:
        pages = [out[e.key] for e in pageset.entries]
        result["pages"] = PageMap(pages)
        if api.params.flag("indexpageids"):
            result["pageids"] = list(_keys(pages))
    return cont


def _keys(pages: list[dict]):
    negative = 0
    for page in pages:
        if page.get("pageid") and not page.get("missing"):
            yield str(page["pageid"])
        else:
            negative -= 1
            yield str(negative)
