"""Special:Search (Go and full-text results) and /w/opensearch_desc.php."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request

from wiki import search, site, titles
from wiki.concepts import aliases, searching, store
from wiki.search import nearmatch
from wiki.search.limits import MAX_LIMIT, MAX_RESULTS
from wiki.web import common, special

bp = Blueprint("search", __name__)

# Namespaces offered as filters, as MediaWiki's search form does.
FILTER_NAMESPACES = (
    titles.MAIN,
    titles.TALK,
    titles.USER,
    titles.PROJECT,
    titles.FILE,
    titles.TEMPLATE,
    titles.HELP,
    titles.CATEGORY,
)
LIMITS = (20, 50, 100, 250, 500)
UNBOUNDED = 2**62  # limit and offset are checked against wiki.search.limits, not clamped
PRIVATE = "private, must-revalidate, max-age=0"


def _namespaces() -> list[int]:
    """The nsN=1 parameters (MediaWiki's), or the main namespace; every namespace for profile=all."""
    names = site.namespaces().names
    if request.args.get("profile") == "all":
        return sorted(ns for ns in names if ns >= 0)
    chosen = []
    for key, value in request.args.items():
        if key.startswith("ns") and key[2:].isdigit() and value not in ("", "0"):
            ns = int(key[2:])
            if ns in names and ns >= 0:
                chosen.append(ns)
    return sorted(set(chosen)) or [titles.MAIN]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{round(size / 1024):,} KB"


@special.register("Search", "Search")
def search_page(sub: str):
    raw = request.args.get("search")
    if raw is None:
        raw = sub.replace("_", " ")
    text = raw.strip()
    namespaces = _namespaces()
    context = {
        "query": text,
        "namespaces": namespaces,
        "filter_namespaces": [(ns, site.namespaces().name(ns) or "(Main)") for ns in FILTER_NAMESPACES],
        "size": _size,
    }
    if not text:
        return _page(render_template("search.html", **context))
    if not request.args.get("fulltext"):
        target = nearmatch.exact_page(text)
        if target is not None:
            return redirect(common.page_url(target))
        go = _go_alias(text)
        if go is not None:
            return go
    # Read unclamped: past a bound the page says so (400) instead of showing other results.
    limit = common.int_arg("limit", 20, 1, UNBOUNDED)
    offset = common.int_arg("offset", 0, 0, UNBOUNDED)
    existing = nearmatch.exact_page(text)
    context.update(
        limit=limit, offset=offset, existing=existing, create=None, limits=LIMITS, max_results=MAX_RESULTS
    )
    if existing is None:
        context["create"] = nearmatch.creatable(text)
    try:
        if limit > MAX_LIMIT:
            raise search.QueryRefused(f"Up to {MAX_LIMIT} results can be shown on one page.")
        results = search.search(text, namespaces, limit, offset)
        if offset == 0:
            results = searching.promote(results, text, namespaces)
        if not results.hits and results.suggestion and offset == 0:
            results = _instead(text, results, namespaces, limit)
    except search.QueryRefused as exc:
        return _page(render_template("search.html", error=str(exc), **context), 400)
    except search.BadQuery as exc:
        return _page(render_template("search.html", error=str(exc), **context))
    except search.IndexUnavailable:
        body = render_template(
            "search.html",
            error="The search index is being rebuilt; search again in a minute. Pages can be read as usual.",
            **context,
        )
        return _page(body, 503, {"Retry-After": "30"})
    return _page(render_template("search.html", results=results, **context))


def _go_alias(text: str) -> Response | None:
    """Go on a concept's AKA term or another spelling of its title ("gpt3"): open it, or list the
    concepts sharing the alias (never a silent pick)."""
    found = aliases.matches(text)
    if len(found) == 1:
        match = found[0]
        params = {"alias": match.name} if match.kind == "aka" else {}
        return redirect(site.page_url(match.title, **params))
    if len(found) > 1:
        entries = [(m, store.summary(m.page_id)[0]) for m in found]
        return _page(render_template("concept_alias_list.html", query=text, entries=entries))
    return None


def _instead(text: str, empty: search.Results, namespaces: list[int], limit: int) -> search.Results:
    """No results: search the "did you mean" text instead, and say so."""
    suggestion = empty.suggestion or ""
    try:
        other = search.search(suggestion, namespaces, limit, 0)
    except (search.BadQuery, search.IndexUnavailable):
        return empty
    if not other.hits:
        return empty
    other.message = f"Showing results for {suggestion}. No results found for {text}."
    other.suggestion, other.suggestion_html = None, ""
    return other


def _page(body: str, status: int = 200, headers: dict | None = None) -> Response:
    """Results change with every save: no shared or front cache may keep them."""
    return Response(body, status=status, headers={"Cache-Control": PRIVATE, **(headers or {})})


@bp.route("/w/opensearch_desc.php")
def opensearch_description():
    """Lets browsers add the wiki as a search engine (OpenSearch 1.1)."""
    cfg = current_app.config
    body = render_template(
        "search_opensearch_desc.xml",
        server=cfg["WIKI_SERVER"].rstrip("/"),
        script=cfg["WIKI_SCRIPT_PATH"],
    )
    return Response(body, mimetype="application/opensearchdescription+xml")
