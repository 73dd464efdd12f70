"""Categories: the member listing under a category page (also when the page is missing) and
Special:Categories. Members are listed by sort key with letter headings, a page at a time."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from wiki import pages, site, titles
from wiki.models import Page
from wiki.pages import graph
from wiki.web import special
from wiki.web.special import params as special_params

PAGING_LIMIT = 200  # MediaWiki's $wgCategoryPagingLimit


def _section(category: str, kind: str, limit: int) -> dict:
    start = special_params.text_arg(f"{kind}from").upper()
    until = special_params.text_arg(f"{kind}until").upper()
    members = graph.category_members(category, kind, start=start, until=until, limit=limit)
    groups: list[tuple[str, list[tuple[Page, titles.Title]]]] = []
    for page, sortkey in members.rows:
        letter = sortkey[:1] or " "
        if not groups or groups[-1][0] != letter:
            groups.append((letter, []))
        groups[-1][1].append((page, pages.title_of(page)))
    return {
        "kind": kind,
        "groups": groups,
        "shown": len(members.rows),
        "total": members.total,
        "next_from": members.next_from,
        "prev_until": members.prev_until,
    }


def _sections(title: titles.Title) -> list[dict]:
    limit = special_params.int_arg("limit", PAGING_LIMIT, 1, 5000)
    return [_section(title.dbkey, kind, limit) for kind in graph.MEMBER_KINDS]


def listing(title: titles.Title, sections: list[dict] | None = None) -> Markup:
    """The subcategories, pages and files of the category `title`, as HTML."""
    sections = sections if sections is not None else _sections(title)
    return Markup(render_template("_category_listing.html", title=title, sections=sections))


def missing_category(title: titles.Title):
    """A category page nobody wrote: "no text" plus its members, which exist all the same."""
    sections = _sections(title)
    body = listing(title, sections)
    has_members = any(section["total"] for section in sections)
    # Private: its members change without any row of its own that a cache could check.
    return special_params.private(
        render_template("category_missing.html", title=title, listing=body), 200 if has_members else 404
    )


@special.register("Categories", "Categories")
def categories(sub: str):
    start_text = special_params.text_arg("from") or sub
    start = special_params.title_arg(start_text, "from", titles.CATEGORY).dbkey if start_text else ""
    limit = special_params.int_arg("limit", 50, 1, 5000)
    rows, next_from = graph.categories(start=start, limit=limit)
    ns = site.namespaces()
    entries = [
        (titles.Title(titles.CATEGORY, name.replace("_", " "), ns_name=ns.name(titles.CATEGORY)), count)
        for name, count in rows
    ]
    existing = {p.title for p in graph.pages_named(titles.CATEGORY, [name for name, _ in rows])}
    return special_params.private(
        render_template(
            "categories.html",
            title=site.parse_title("Special:Categories"),
            entries=entries,
            existing=existing,
            start=start_text,
            next_from=next_from,
            limit=limit,
        )
    )
