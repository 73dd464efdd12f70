"""prop= modules that read the link tables: categories, links, templates, categoryinfo.

Each pages through the rows of its table for the set's pages, ordered by (page id, target), with
the continue value naming the next row.
"""

from __future__ import annotations

from wiki import site, titles
from wiki.api.errors import ApiError
from wiki.api.output import iso
from wiki.api.pageset import PageSet
from wiki.extensions import db
from wiki.models import CategoryLink, Page, PageLink, TemplateLink


def categories(api, pageset: PageSet, out: dict) -> dict:
    params = api.params
    props = params.set("clprop", {"sortkey", "timestamp", "hidden"}, "categories", api.warn)
    limit = params.limit("cllimit", 10, 500, api.warn, "categories")
    wanted = {t.dbkey for t in _category_titles(params.list("clcategories"))}
    params.get("clshow")
    params.get("cldir")
    rows, cont = link_rows(
        pageset,
        params.get("clcontinue"),
        limit,
        lambda ids: db.select(CategoryLink)
        .where(CategoryLink.from_id.in_(ids))
        .order_by(CategoryLink.from_id, CategoryLink.category),
        lambda r: (r.from_id, r.category),
    )
    ns_name = site.namespaces().name(titles.CATEGORY)
    for row in rows:
        if wanted and row.category not in wanted:
            continue
        item = {"ns": titles.CATEGORY, "title": f"{ns_name}:{row.category.replace('_', ' ')}"}
        if "sortkey" in props:
            item["sortkey"] = (row.sortkey or "").upper().encode().hex()
            item["sortkeyprefix"] = row.sortkey or ""
        if "timestamp" in props:
            item["timestamp"] = iso(row.timestamp)
        out[("page", row.from_id)].setdefault("categories", []).append(item)
    return {"clcontinue": cont} if cont else {}


def _category_titles(raw: list[str]) -> list[titles.Title]:
    out = []
    for text in raw:
        title = titles.try_parse(text, site.namespaces())
        if title is not None and title.namespace == titles.CATEGORY:
            out.append(title)
    return out


def _title_links(api, pageset: PageSet, out: dict, model, prefix: str, key: str) -> dict:
    """prop=links / prop=templates: the rows of `model` (PageLink or TemplateLink) per page."""
    params = api.params
    limit = params.limit(f"{prefix}limit", 10, 500, api.warn, key)
    namespaces = {int(n) for n in params.list(f"{prefix}namespace") if n.lstrip("-").isdigit()}
    params.get(f"{prefix}{'titles' if prefix == 'pl' else 'templates'}")
    params.get(f"{prefix}dir")
    rows, cont = link_rows(
        pageset,
        params.get(f"{prefix}continue"),
        limit,
        lambda ids: db.select(model)
        .where(model.from_id.in_(ids))
        .order_by(model.from_id, model.namespace, model.title),
        lambda r: (r.from_id, r.namespace, r.title),
    )
    names = site.namespaces()
    for row in rows:
        if namespaces and row.namespace not in namespaces:
            continue
        title = titles.Title(row.namespace, row.title.replace("_", " "), ns_name=names.name(row.namespace))
        out[("page", row.from_id)].setdefault(key, []).append(
            {"ns": row.namespace, "title": title.prefixed_text}
        )
    return {f"{prefix}continue": cont} if cont else {}


def links(api, pageset: PageSet, out: dict) -> dict:
    return _title_links(api, pageset, out, PageLink, "pl", "links")


def templates(api, pageset: PageSet, out: dict) -> dict:
    return _title_links(api, pageset, out, TemplateLink, "tl", "templates")


def categoryinfo(api, pageset: PageSet, out: dict) -> dict:
    """Member counts of category pages (existing or not), as MediaWiki's category table has them."""
    api.params.get("cicontinue")
    wanted = {
        e.title.dbkey: e
        for e in pageset.entries
        if e.title is not None and e.title.namespace == titles.CATEGORY
    }
    if not wanted:
        return {}
    rows = db.session.execute(
        db.select(CategoryLink.category, Page.namespace, db.func.count())
        .join(Page, Page.id == CategoryLink.from_id)
        .where(CategoryLink.category.in_(list(wanted)))
        .group_by(CategoryLink.category, Page.namespace)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for category, namespace, count in rows:
        kind = "subcats" if namespace == titles.CATEGORY else "files" if namespace == titles.FILE else "pages"
        bucket = counts.setdefault(category, {"size": 0, "pages": 0, "files": 0, "subcats": 0})
        bucket[kind] += count
        bucket["size"] += count
    for key, entry in wanted.items():
        if key in counts:
            out[entry.key]["categoryinfo"] = counts[key]
    return {}


def link_rows(pageset: PageSet, cont: str | None, limit: int, select, key) -> tuple[list, str | None]:
    """Rows of a links table for the set's pages, from `cont` on, at most `limit`; and the next `cont`."""
    ids = sorted(e.page.id for e in pageset.good)
    if not ids:
        return [], None
    rows = list(db.session.scalars(select(ids)))
    if cont:
        rows = [r for r in rows if key(r) >= _typed(cont, key(r))]
    if len(rows) > limit:
        return rows[:limit], "|".join(str(k) for k in key(rows[limit]))
    return rows, None


def _typed(cont: str, like: tuple) -> tuple:
    """A continue value split and typed like the key it was made from."""
    parts = cont.split("|", len(like) - 1)
    try:
        return tuple(type(k)(p) for k, p in zip(like, parts, strict=True))
    except ValueError:
        raise ApiError(
            "badcontinue",
            "Invalid continue param. You should pass the original value returned by the previous query.",
        ) from None
