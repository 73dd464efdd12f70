"""Special pages of the link graph: WhatLinksHere, WantedPages, AllPages, PrefixIndex, Random,
ListRedirects, DoubleRedirects, BrokenRedirects. Thin: the queries live in wiki.pages.graph."""

from __future__ import annotations

from flask import abort, redirect, render_template

from wiki import pages, site, titles
from wiki.pages import graph
from wiki.web import common, special
from wiki.web.special.params import bool_arg, int_arg, namespace_arg, private, text_arg, title_arg

KINDS = (
    ("link", "hidelinks"),
    ("redirect", "hideredirs"),
    ("transclusion", "hidetrans"),
    ("file", "hideimages"),
)
LIMITS = (20, 50, 100, 250, 500)


def respond(template: str, **context):
    """A special page's HTML. Its lists change with other pages' edits, so shared caches skip it."""
    return private(render_template(template, namespaces=_namespace_choices(), **context))


def _namespace_choices() -> list[tuple[int, str]]:
    names = site.namespaces().names
    return [(ns, names[ns] or "(Main)") for ns in sorted(names) if ns >= 0]


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _target_arg(sub: str, name: str = "target") -> titles.Title | None:
    text = text_arg(name) or sub
    if not text.strip():
        return None
    return title_arg(text, name)


@special.register("WhatLinksHere", "What links here")
def what_links_here(sub: str):
    target = _target_arg(sub)
    hidden = {kind for kind, param in KINDS if bool_arg(param)}
    namespace = namespace_arg()
    limit = int_arg("limit", 50, 1, 5000)
    from_id = int_arg("from", 0, 0, 2**31 - 1)
    context = {
        "title": site.parse_title("Special:WhatLinksHere"),
        "target": target,
        "hidden": hidden,
        "namespace": namespace,
        "limit": limit,
        "limits": LIMITS,
        "from_id": from_id,
        "kinds": KINDS,
        "result": None,
    }
    if target is None:
        return respond("whatlinkshere.html", **context)
    if target.interwiki:
        abort(
            common.error_page(400, "Bad title", f'"{target}" is on another wiki; no page here links to it.')
        )
    kinds = tuple(kind for kind, _ in KINDS if kind not in hidden)
    context["result"] = graph.what_links_here(
        (target.namespace, target.dbkey), kinds=kinds, namespace=namespace, from_id=from_id, limit=limit
    )
    context["target_exists"] = target.namespace < 0 or pages.get(target) is not None
    context["title_of"] = pages.title_of
    return respond("whatlinkshere.html", **context)


@special.register("WantedPages", "Wanted pages")
def wanted_pages(_sub: str):
    limit, offset = int_arg("limit", 50, 1, 5000), int_arg("offset", 0, 0, 10**7)
    rows = graph.wanted_pages(limit + 1, offset)
    items = [(_title(ns, key), count) for ns, key, count in rows[:limit]]
    return respond(
        "querypage.html",
        title=site.parse_title("Special:WantedPages"),
        report="wanted",
        heading="Wanted pages",
        intro="Pages that do not exist yet, most-linked first. Each is a red link somewhere in the wiki.",
        items=items,
        limit=limit,
        offset=offset,
        more=len(rows) > limit,
        limits=LIMITS,
    )


def _report(name: str, heading: str, intro: str, report: str, fetch):
    limit, offset = int_arg("limit", 50, 1, 5000), int_arg("offset", 0, 0, 10**7)
    rows = fetch(limit + 1, offset)
    return respond(
        "querypage.html",
        title=site.parse_title(f"Special:{name}"),
        report=report,
        heading=heading,
        intro=intro,
        items=rows[:limit],
        limit=limit,
        offset=offset,
        more=len(rows) > limit,
        limits=LIMITS,
        title_of=pages.title_of,
        target_of=lambda r: _title(r.namespace, r.title),
    )


@special.register("ListRedirects", "List of redirects")
def list_redirects(_sub: str):
    return _report(
        "ListRedirects",
        "List of redirects",
        "Redirect pages of this wiki and where they lead.",
        "redirects",
        graph.list_redirects,
    )


@special.register("DoubleRedirects", "Double redirects")
def double_redirects(_sub: str):
    return _report(
        "DoubleRedirects",
        "Double redirects",
        "Each of these redirects points to another redirect. Readers follow only one redirect, so each "
        "should point straight to the final page (shown last on its line).",
        "double",
        graph.double_redirects,
    )


@special.register("BrokenRedirects", "Broken redirects")
def broken_redirects(_sub: str):
    return _report(
        "BrokenRedirects",
        "Broken redirects",
        "These redirects point to pages that do not exist.",
        "broken",
        graph.broken_redirects,
    )


def _start_key(text: str, name: str, namespace: int) -> str:
    """A from/to parameter as a dbkey in `namespace` ("" when empty)."""
    if not text.strip():
        return ""
    title = title_arg(text, name, namespace)
    return title.dbkey if title.namespace == namespace else title.prefixed_dbkey


def _page_list(
    special_name: str,
    heading: str,
    *,
    namespace: int,
    start_text: str,
    prefix: str = "",
    prefix_text: str = "",
):
    end_text = text_arg("to")
    start = _start_key(start_text, "from", namespace)
    end = _start_key(end_text, "to", namespace)
    hide = bool_arg("hideredirects")
    limit = int_arg("limit", 345, 1, 5000)
    found = graph.all_pages(
        namespace, start=max(start, prefix), end=end, prefix=prefix, limit=limit, hide_redirects=hide
    )
    return respond(
        "allpages.html",
        title=site.parse_title(f"Special:{special_name}"),
        heading=heading,
        special_name=special_name,
        entries=[(p, pages.title_of(p)) for p in found.pages],
        found=found,
        namespace=namespace,
        start=start_text,
        end=end_text,
        prefix=prefix_text,
        hide=hide,
        limit=limit,
    )


@special.register("AllPages", "All pages")
def all_pages(sub: str):
    namespace = namespace_arg(default=titles.MAIN)
    return _page_list("AllPages", "All pages", namespace=namespace, start_text=text_arg("from") or sub)


@special.register("PrefixIndex", "All pages with prefix")
def prefix_index(sub: str):
    namespace = namespace_arg(default=titles.MAIN)
    text = text_arg("prefix") or sub
    prefix = ""
    if text.strip():
        title = title_arg(text, "prefix", namespace)
        namespace, prefix = title.namespace, title.dbkey
    return _page_list(
        "PrefixIndex",
        "All pages with prefix",
        namespace=namespace,
        start_text=text_arg("from"),
        prefix=prefix,
        prefix_text=text,
    )


@special.register("Random", "Random page")
def random_page(sub: str):
    namespace = titles.MAIN
    if sub:
        found = site.namespaces().lookup(sub) if sub.strip().lower() not in ("main", "(main)") else 0
        if found is None or found < 0:
            abort(common.error_page(400, "Bad namespace", f'"{sub}" is not a namespace of this wiki.'))
        namespace = found
    page = graph.random_page((namespace,))
    if page is None:
        name = site.namespaces().name(namespace) or "main"
        abort(common.error_page(404, "No pages", f"There is no page in the {name} namespace to pick from."))
    resp = redirect(common.page_url(pages.title_of(page)), code=302)
    resp.headers["Cache-Control"] = "no-store"
    return resp
