"""action=query: meta, prop and list modules, generators, titles/pageids/revids, redirects and
continuation, put together as MediaWiki's ApiQuery does."""

from __future__ import annotations

from wiki import titles

# noqa: F401 - registers list=logevents
from wiki.api import register

# noqa: F401 - registers list=search
# noqa: F401 - registers list=usercontribs
from wiki.api.errors import ApiError
from wiki.api.linkprops import link_rows
from wiki.api.lists import LISTS, Listing
from wiki.api.meta import META
from wiki.api.output import PageMap
from wiki.api.pageset import PageSet, from_pageids, from_pages, from_revids, from_titles, resolve_redirects
from wiki.api.props import PROPS
from wiki.extensions import db
from wiki.models import CategoryLink, PageLink, TemplateLink

PROP_GENERATORS = {"links": "pl", "categories": "cl", "templates": "tl"}
QUERY_PARAMS = (
    "prop, list, meta, generator, titles, pageids, revids, redirects, continue, indexpageids, export"
)


@register("query", "Fetch data from and about the wiki.", params=QUERY_PARAMS)
def query(api) -> dict:
    params = api.params
    props = _modules(api, "prop", set(PROPS))
    lists = _modules(api, "list", set(LISTS))
    metas = _modules(api, "meta", set(META))
    params.get("continue")
    params.get("rawcontinue")
    params.flag("converttitles")
    params.flag("indexpageids")
    params.flag("iwurl")
    result: dict = {}
    for name in metas:
        result.update({"tokens": META[name](api)} if name == "tokens" else {name: META[name](api)})
        if name == "siteinfo":
            result.update(result.pop("siteinfo"))
    pageset, gen_cont = _pageset(api)
    prop_cont = _pages(api, pageset, props, result) if pageset is not None else {}
    list_cont: dict = {}
    for name in lists:
        prefix, handler = LISTS[name]
        listing = handler(api, prefix)
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


def _modules(api, kind: str, known: set[str]) -> list[str]:
    out = []
    for name in api.params.list(kind):
        if name not in known:
            api.warn("query", f'Unrecognized value for parameter "{kind}": {name}')
        elif name not in out:
            out.append(name)
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
    out = PageSet()
    if name in LISTS:
        prefix, handler = LISTS[name]
        listing: Listing = handler(api, "g" + prefix)
        from_pages(listing.pages, out)
        return out, listing.cont
    if name in PROP_GENERATORS:
        if source is None:
            return out, {}
        found, cont = _prop_generator(api, name, source)
        from_pages(found, out)
        if source is not None:
            out.normalized = source.normalized
        return out, cont
    raise ApiError("badvalue", f'Unrecognized value for parameter "generator": {name}.')


def _prop_generator(api, name: str, source: PageSet) -> tuple[list[titles.Title], dict]:
    from wiki import site

    prefix = "g" + PROP_GENERATORS[name]
    limit = api.params.limit(prefix + "limit", 10, 500, api.warn, name)
    api.params.get(prefix + "namespace")
    api.params.get(prefix + "dir")
    names = site.namespaces()
    if name in ("links", "templates"):
        model = PageLink if name == "links" else TemplateLink
        rows, cont = link_rows(
            source,
            api.params.get(prefix + "continue"),
            limit,
            lambda ids: db.select(model)
            .where(model.from_id.in_(ids))
            .order_by(model.from_id, model.namespace, model.title),
            lambda r: (r.from_id, r.namespace, r.title),
        )
        found = [
            titles.Title(r.namespace, r.title.replace("_", " "), ns_name=names.name(r.namespace))
            for r in rows
        ]
    else:
        api.params.get(prefix + "show")
        api.params.get(prefix + "prop")
        rows, cont = link_rows(
            source,
            api.params.get(prefix + "continue"),
            limit,
            lambda ids: db.select(CategoryLink)
            .where(CategoryLink.from_id.in_(ids))
            .order_by(CategoryLink.from_id, CategoryLink.category),
            lambda r: (r.from_id, r.category),
        )
        found = [
            titles.Title(titles.CATEGORY, r.category.replace("_", " "), ns_name=names.name(titles.CATEGORY))
            for r in rows
        ]
    return found, ({prefix + "continue": cont} if cont else {})


def _pages(api, pageset: PageSet, props: list[str], result: dict) -> dict:
    out = {e.key: e.base() for e in pageset.entries}
    cont: dict = {}
    for name in props:
        cont.update(PROPS[name](api, pageset, out))
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
