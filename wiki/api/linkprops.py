"""prop= modules that read the link tables: categories, links, templates, categoryinfo; the first
three are also generators.

Each pages through the rows of its table for the set's pages, ordered by (page id, target), with
the continue value naming the next row (wiki.pages.graph.outgoing pages by that key in SQL).
"""

from __future__ import annotations

from wiki import site, titles
from wiki.api.output import iso
from wiki.api.pageset import PageSet
from wiki.api.params import bad_continue, continue_int, limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.pages import graph

CONTINUE = param("continue", help="Where to continue (returned by the previous request).")
CATEGORIES = [
    multi(
        "prop", ("sortkey", "timestamp", "hidden"), help="Which properties to get (no category is hidden)."
    ),
    multi("show", ("hidden", "!hidden"), help="Which kind of categories to show (no category is hidden)."),
    limit(help="How many categories to return."),
    CONTINUE,
    multi("categories", "title", help="Only list these categories."),
]
LINKS = [
    namespaces(help="Only links to these namespaces."),
    limit(help="How many links to return."),
    CONTINUE,
    multi("titles", "title", help="Only list links to these titles."),
]
TEMPLATES = [
    namespaces(help="Only templates in these namespaces."),
    limit(help="How many templates to return."),
    CONTINUE,
    multi("templates", "title", help="Only list these templates."),
]


def _wanted(raw: list[str], namespace: int | None = None) -> list[tuple[int, str]] | None:
    """The (namespace, dbkey) pairs a title filter names (None: no filter)."""
    if not raw:
        return None
    out = []
    for text in raw:
        title = titles.try_parse(text, site.namespaces())
        if title is not None and (namespace is None or title.namespace == namespace):
            out.append((title.namespace, title.dbkey))
    return out


def _start(kind: str, cont: str | None) -> tuple | None:
    """The key a continue value names ("12|0|Title" or "12|Category"), or badcontinue."""
    if not cont:
        return None
    parts = cont.split("|", 1 if kind == "category" else 2)
    if len(parts) != (2 if kind == "category" else 3):
        raise bad_continue()
    key: list = [continue_int(parts[0])] + parts[1:]
    if kind != "category":
        key[1] = continue_int(parts[1])
    return tuple(key)


def outgoing_rows(api, pageset: PageSet, kind: str, prefix: str) -> tuple[list, dict]:
    """The rows of one page of `kind` for the set's pages, filtered by the module's parameters, and
    the continuation; shared by the prop modules and their generators (prefix "g" + theirs)."""
    params = api.params
    ids = sorted(e.page.id for e in pageset.good)
    if not ids:
        return [], {}
    if kind == "category":
        if "hidden" in params.list(prefix + "show") and "!hidden" not in params.list(prefix + "show"):
            return [], {}
        spaces: tuple[int, ...] = ()
        targets = _wanted(params.list(prefix + "categories"), titles.CATEGORY)
    else:
        spaces = tuple(params.namespaces(prefix + "namespace"))
        targets = _wanted(params.list(prefix + ("titles" if kind == "link" else "templates")))
    rows, following = graph.outgoing(
        kind,
        ids,
        start=_start(kind, params.get(prefix + "continue")),
        limit=params.int(prefix + "limit"),
        namespaces=spaces,
        targets=targets,
    )
    cont = {prefix + "continue": "|".join(str(k) for k in following)} if following else {}
    return rows, cont


def target_title(kind: str, row) -> titles.Title:
    if kind == "category":
        ns, key = titles.CATEGORY, row.category
    else:
        ns, key = row.namespace, row.title
    return titles.Title(ns, key.replace("_", " "), ns_name=site.namespaces().name(ns))


@submodule("categories", "prop", "cl", "List all categories the pages belong to.", CATEGORIES, generator=True)
def categories(api, pageset: PageSet, out: dict) -> dict:
    props = set(api.params.list("clprop"))
    rows, cont = outgoing_rows(api, pageset, "category", "cl")
    for row in rows:
        item = {"ns": titles.CATEGORY, "title": target_title("category", row).prefixed_text}
        if "sortkey" in props:
            item["sortkey"] = (row.sortkey or "").upper().encode().hex()
            item["sortkeyprefix"] = row.sortkey or ""
        if "timestamp" in props:
            item["timestamp"] = iso(row.timestamp)
        out[("page", row.from_id)].setdefault("categories", []).append(item)
    return cont


def _title_links(api, pageset: PageSet, out: dict, kind: str, prefix: str, key: str) -> dict:
    rows, cont = outgoing_rows(api, pageset, kind, prefix)
    for row in rows:
        title = target_title(kind, row)
        out[("page", row.from_id)].setdefault(key, []).append(
            {"ns": row.namespace, "title": title.prefixed_text}
        )
    return cont


@submodule("links", "prop", "pl", "Returns all links from the given pages.", LINKS, generator=True)
def links(api, pageset: PageSet, out: dict) -> dict:
    return _title_links(api, pageset, out, "link", "pl", "links")


@submodule(
    "templates", "prop", "tl", "Returns all pages transcluded on the given pages.", TEMPLATES, generator=True
)
def templates(api, pageset: PageSet, out: dict) -> dict:
    return _title_links(api, pageset, out, "template", "tl", "templates")


GENERATOR_KINDS = {"links": "link", "templates": "template", "categories": "category"}


@submodule("categoryinfo", "prop", "ci", "Returns information about the given categories.", [])
def categoryinfo(api, pageset: PageSet, out: dict) -> dict:
    """Member counts of category pages (existing or not), as MediaWiki's category table has them."""
    wanted = {
        e.title.dbkey: e
        for e in pageset.entries
        if e.title is not None and e.title.namespace == titles.CATEGORY
    }
    counts = graph.category_sizes(list(wanted))
    for key, entry in wanted.items():
        if key in counts:
            out[entry.key]["categoryinfo"] = counts[key]
    return {}
