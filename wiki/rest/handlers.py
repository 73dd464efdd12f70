"""The routes of /w/rest.php/v1: pages (read, create, update), revisions, compare, search, and the
preview summary."""

from __future__ import annotations

import html
from typing import Any

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from wiki import pages, search, site, titles
from wiki.models import Page, Revision
from wiki.pages import graph, reads, revdelete
from wiki.rest import compare, edit, output, params, summary
from wiki.rest.errors import RestError, bad_param, json_body, missing_param
from wiki.rest.errors import response as error_response

bp = Blueprint("rest", __name__)

HISTORY_LIMIT = 20  # MediaWiki's REVISIONS_RETURN_LIMIT
DESCRIBE_RENDERS = 10  # search results described by rendering a page not in the parser cache


@bp.errorhandler(RestError)
def _rest_error(error: RestError) -> Response:
    return error_response(error)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    code = error.code or 500
    return error_response(RestError(code, error.description or error.name))


@bp.route("/", defaults={"rest": ""})
@bp.route("/<path:rest>")
def no_match(rest: str) -> Response:
    raise RestError(404, f"The requested relative path (/{rest}) did not match any known handler")


@bp.route("/", defaults={"rest": ""}, methods=["POST", "PUT", "DELETE", "PATCH"])
@bp.route("/<path:rest>", methods=["POST", "PUT", "DELETE", "PATCH"])
def read_only(rest: str) -> Response:
    """Other methods than the writing routes' get a JSON 405, not the web's HTML error page."""
    error = RestError(405, f"The request method ({request.method}) is not supported by /{rest}")
    response = error_response(error)
    response.headers["Allow"] = "GET, HEAD"
    return response


@bp.route("/v1/page", methods=["POST"])
def page_create() -> Response:
    body = edit.read_body(("source", "title", "comment"))
    return edit.save(str(body["title"]), body, base_id=None, create_only=True, locate=True)


@bp.route("/v1/page/", methods=["PUT"], defaults={"name": ""})
@bp.route("/v1/page/<path:name>", methods=["PUT"])
def page_update(name: str) -> Response:
    if name == "":
        raise missing_param("title")
    body = edit.read_body(("source", "comment"))
    base = edit.base_revision(body)
    return edit.save(name, body, base_id=base, create_only=base is None)


def _page(name: str) -> tuple[titles.Title, Page, Revision]:
    title = params.title(name)
    page = pages.get(title)
    latest = pages.latest(page) if page is not None else None
    if page is None or latest is None:
        raise RestError(404, f"The specified title ({name}) does not exist")
    return title, page, latest


def _follow(page: Page, suffix: str) -> Response | None:
    """307 to the redirect's target for the same endpoint, unless ?redirect=no (MediaWiki's
    PageRedirectHelper); None when the page is not a redirect."""
    if not page.is_redirect or request.args.get("redirect") == "no":
        return None
    target = graph.redirect_of(page.id)
    if target is None:
        return None
    key = titles.Title(target.namespace, target.title.replace("_", " "), ns_name=_ns_name(target.namespace))
    query = request.query_string.decode("latin-1")
    # Path-absolute, so a preview's fetch stays on the host it asked even if WIKI_SERVER differs.
    url = output.route_path(f"/page/{output.title_path(key)}{suffix}") + (f"?{query}" if query else "")
    response = Response(status=307, headers={"Location": url})
    response.headers["Cache-Control"] = f"max-age={output.MAX_AGE}"
    return response


def _ns_name(namespace: int) -> str:
    return site.namespaces().name(namespace)


@bp.route("/v1/page/<path:name>")
def page_source(name: str) -> Response:
    _title, page, latest = _page(name)
    body = output.page_bare(page, latest) | {"source": latest.text}
    return output.cacheable(json_body(body), latest, page, "source")


@bp.route("/v1/page/<path:name>/bare")
def page_bare(name: str) -> Response:
    title, page, latest = _page(name)
    body = output.page_bare(page, latest) | {
        "html_url": output.route_url(f"/page/{output.text_path(title)}/html")
    }
    return output.cacheable(json_body(body), latest, page, "bare")


def _document(title: titles.Title, body_html: str) -> str:
    """A whole HTML document around a page's rendered content (Parsoid answers a document)."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        f"{html.escape(title.prefixed_text)}</title></head>"
        f'<body class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">{body_html}</body></html>'
    )


# A redirect page answers as itself on every page endpoint, as in MediaWiki 1.39 (which has no
# redirect following in its REST API); only the preview summary follows redirects.
@bp.route("/v1/page/<path:name>/html")
def page_html(name: str) -> Response:
    title, page, latest = _page(name)
    response = Response(_document(title, pages.view(page).html), mimetype="text/html")
    response.headers["Content-Type"] = "text/html;charset=UTF-8"
    return output.cacheable(response, latest, page, "html")


@bp.route("/v1/page/<path:name>/with_html")
def page_with_html(name: str) -> Response:
    title, page, latest = _page(name)
    body = output.page_bare(page, latest) | {"html": _document(title, pages.view(page).html)}
    return output.cacheable(json_body(body), latest, page, "with_html")


@bp.route("/v1/page/<path:name>/summary")
def page_summary(name: str) -> Response:
    # The hot path of previews: one query for the page row; the revision's timestamp is memoised.
    title = params.title(name)
    page = pages.get(title)
    stamp = summary.latest_timestamp(page) if page is not None else None
    if page is None or stamp is None:
        raise RestError(404, f"The specified title ({name}) does not exist")
    moved = _follow(page, "/summary")
    if moved is not None:
        return moved
    latest = (page.latest, stamp)
    extract = summary.lead_sentence(page) or ""
    kind = "standard" if extract else "no-extract"
    if summary.is_disambiguation(page):
        kind = "disambiguation"
    path = output.title_path(title)
    cfg_article = _article_url(path)
    urls = {
        "page": cfg_article,
        "revisions": _index_url(path, "history"),
        "edit": _index_url(path, "edit"),
        "talk": None,
    }
    body: dict[str, Any] = {
        "type": kind,
        "title": title.prefixed_dbkey,
        "displaytitle": html.escape(title.prefixed_text),
        "namespace": {"id": title.namespace, "text": title.ns_name},
        "titles": {
            "canonical": title.prefixed_dbkey,
            "normalized": title.prefixed_text,
            "display": html.escape(title.prefixed_text),
        },
        "pageid": page.id,
        "lang": "en",
        "dir": "ltr",
        "revision": str(page.latest),
        "timestamp": output.iso(stamp),
        "content_urls": {"desktop": urls, "mobile": urls},
        "extract": extract,
        "extract_html": f"<p>{html.escape(extract)}</p>" if extract else "",
    }
    return output.cacheable(json_body(body), latest, page, "summary")


def _article_url(path: str) -> str:
    cfg = current_app.config
    return cfg["WIKI_SERVER"] + cfg["WIKI_ARTICLE_PATH"].replace("$1", path)


def _index_url(path: str, action: str) -> str:
    cfg = current_app.config
    return f"{cfg['WIKI_SERVER']}{cfg['WIKI_SCRIPT_PATH']}/index.php?title={path}&action={action}"


@bp.route("/v1/page/<path:name>/history")
def page_history(name: str) -> Response:
    older = params.integer("older_than", request.args.get("older_than"))
    newer = params.integer("newer_than", request.args.get("newer_than"))
    kind = params.choice("filter", reads.HISTORY_FILTERS)
    if older is not None and newer is not None:
        raise RestError(400, 'Parameters "older_than" and "newer_than" cannot both be specified')
    if (older is not None and older < 1) or (newer is not None and newer < 1):
        raise RestError(400, "Revision id must be greater than 0")
    title, page, latest = _page(name)
    relative = older if older is not None else newer
    if relative is not None:
        rev = reads.revision(relative) if relative <= params.MAX_REV_ID else None
        if rev is None:
            raise RestError(404, f"The specified revision ({relative}) does not exist")
        if rev.page_id != page.id:
            raise RestError(
                404, f"The specified revision ({relative}) does not belong to {title.prefixed_text}"
            )
    rows = reads.history_slice(page, older_than=older, newer_than=newer, kind=kind, limit=HISTORY_LIMIT + 1)
    more = len(rows) > HISTORY_LIMIT
    rows = rows[:HISTORY_LIMIT]
    if newer is not None:
        rows.reverse()
    sizes = reads.sizes([r.parent_id for r in rows if r.parent_id])
    revisions = []
    for rev in rows:
        parent = sizes.get(rev.parent_id) if rev.parent_id else None
        revisions.append(
            {
                "id": rev.id,
                "timestamp": output.iso(rev.timestamp),
                "minor": bool(rev.minor),
                "size": rev.size,
                "comment": output.comment_of(rev),
                "user": output.user_of(rev),
                "delta": rev.size - parent if parent is not None else None,
            }
        )
    path = f"/page/{output.title_path(title)}/history"
    base = {"filter": kind} if kind else {}
    body: dict[str, Any] = {"revisions": revisions, "latest": output.route_url(path, base)}
    if rows:
        if newer is not None or more:
            body["older"] = output.route_url(path, base | {"older_than": rows[-1].id})
        if older is not None or (newer is not None and more):
            body["newer"] = output.route_url(path, base | {"newer_than": rows[0].id})
    response = json_body(body)
    response.set_etag(str(latest.id))
    response.last_modified = latest.timestamp
    response.headers["Cache-Control"] = f"max-age={output.MAX_AGE}"
    return response


COUNT_LIMITS = {
    "anonymous": 10000,
    "bot": 10000,
    "editors": 25000,
    "edits": 30000,
    "minor": 1000,
    "reverted": 30000,
}
OLD_COUNT_TYPES = {"anonedits": "anonymous", "botedits": "bot", "revertededits": "reverted"}
COUNTS_MAX_AGE = 60


@bp.route("/v1/page/<path:name>/history/counts/<kind>")
def page_history_count(name: str, kind: str) -> Response:
    """How many edits (editors) of one kind a page has, capped (MediaWiki's PageHistoryCountHandler)."""
    wanted = OLD_COUNT_TYPES.get(kind, kind)
    if wanted not in COUNT_LIMITS:
        allowed = [*COUNT_LIMITS, *OLD_COUNT_TYPES]
        raise bad_param(
            "type", kind, "badvalue", f'Unrecognized value for parameter "type": {kind}.', allowed
        )
    low = params.integer("from", request.args.get("from"))
    high = params.integer("to", request.args.get("to"))
    if (low or high) and (wanted not in ("edits", "editors") or not (low and high)):
        raise RestError(
            400, "Parameters 'from' and 'to' are only for edits and editors, and need each other."
        )
    _title, page, latest = _page(name)
    between = None
    if low and high:
        for rev_id in (low, high):
            rev = reads.revision(rev_id) if 0 < rev_id <= params.MAX_REV_ID else None
            if rev is None:
                raise RestError(404, f"The specified revision ({rev_id}) does not exist")
        between = (low, high)
    limit = COUNT_LIMITS[wanted]
    count = reads.history_count(page, wanted, between=between, limit=limit)
    response = json_body({"count": min(count, limit), "limit": count > limit})
    response.last_modified = latest.timestamp
    response.headers["Cache-Control"] = f"max-age={COUNTS_MAX_AGE}"
    if wanted != kind:
        response.headers["Deprecation"] = 'version="v1"'
    return response


def _revision(raw: str) -> tuple[Revision, Page]:
    rev_id = params.rev_id("id", raw)
    rev = reads.revision(rev_id) if 0 < rev_id <= params.MAX_REV_ID else None
    page = reads.get_by_id(rev.page_id) if rev is not None else None
    if rev is None or page is None:
        raise RestError(404, f"The specified revision ({raw}) does not exist")
    return rev, page


def _public_text(rev: Revision) -> None:
    """403 for a revision whose text is hidden: REST answers are public (MediaWiki's FOR_PUBLIC)."""
    if not revdelete.public(rev.deleted, revdelete.TEXT):
        raise RestError(403, f"User doesn't have access to the requested revision ({rev.id}).")


def _parent_size(rev: Revision) -> int | None:
    if not rev.parent_id:
        return None
    return reads.sizes([rev.parent_id]).get(rev.parent_id)


@bp.route("/v1/revision/<raw>")
def revision_source(raw: str) -> Response:
    rev, page = _revision(raw)
    _public_text(rev)
    body = output.revision_bare(rev, page, _parent_size(rev)) | {"source": rev.text}
    return output.cacheable(json_body(body), rev, page, "rev-source")


@bp.route("/v1/revision/<raw>/bare")
def revision_bare(raw: str) -> Response:
    rev, page = _revision(raw)
    body = output.revision_bare(rev, page, _parent_size(rev)) | {
        "html_url": output.route_url(f"/revision/{rev.id}/html")
    }
    return output.cacheable(json_body(body), rev, page, "rev-bare")


@bp.route("/v1/revision/<raw>/html")
def revision_html(raw: str) -> Response:
    rev, page = _revision(raw)
    _public_text(rev)
    title = reads.title_of(page)
    response = Response(_document(title, _revision_html(title, rev, page)), mimetype="text/html")
    response.headers["Content-Type"] = "text/html;charset=UTF-8"
    return output.cacheable(response, rev, page, "rev-html")


def _revision_html(title: titles.Title, rev: Revision, page: Page) -> str:
    if rev.id == page.latest:
        return pages.view(page).html
    return pages.render_text(title, rev.text, revision_id=rev.id, revision_timestamp=rev.timestamp).html


@bp.route("/v1/revision/<raw>/with_html")
def revision_with_html(raw: str) -> Response:
    rev, page = _revision(raw)
    _public_text(rev)
    title = reads.title_of(page)
    body = output.revision_bare(rev, page, _parent_size(rev)) | {
        "html": _document(title, _revision_html(title, rev, page))
    }
    return output.cacheable(json_body(body), rev, page, "rev-with_html")


@bp.route("/v1/revision/<raw_from>/compare/", defaults={"raw_to": ""})
@bp.route("/v1/revision/<raw_from>/compare/<raw_to>")
def revision_compare(raw_from: str, raw_to: str) -> Response:
    ids = params.rev_id("from", raw_from), params.rev_id("to", raw_to)
    found = []
    for name, rev_id in zip(("from", "to"), ids, strict=True):
        rev = reads.revision(rev_id) if 0 < rev_id <= params.MAX_REV_ID else None
        if rev is None or reads.get_by_id(rev.page_id) is None:
            raise RestError(404, f"The revision specified by the {name} parameter does not exist.")
        if not revdelete.public(rev.deleted, revdelete.TEXT):
            raise RestError(
                403, f"The revision specified by the {name} parameter is not publicly accessible."
            )
        found.append(rev)
    old, new = found
    if old.page_id != new.page_id:
        raise RestError(400, "The specified revisions belong to different pages; refusing to compare them.")
    body = {
        "from": {"id": old.id, "slot_role": "main", "sections": compare.sections(old.text)},
        "to": {"id": new.id, "slot_role": "main", "sections": compare.sections(new.text)},
        "diff": compare.diff(old.text, new.text),
    }
    return json_body(body)


def _described(page_ids: list[int]) -> dict[int, str | None]:
    """page id -> its lead sentence (None past the render budget or for a missing page)."""
    rows = graph.pages_by_id(page_ids)
    out: dict[int, str | None] = {}
    renders = 0
    for page_id in page_ids:
        page = rows.get(page_id)
        if page is None:
            out[page_id] = None
            continue
        text = summary.lead_sentence(page, render=False)
        if text is None and renders < DESCRIBE_RENDERS:
            renders += 1
            text = summary.lead_sentence(page)
        out[page_id] = text or None
    return out


@bp.route("/v1/search/page")
def search_page() -> Response:
    q = params.query()
    limit = params.limit()
    try:
        results = search.search(q, namespaces=(0,), limit=limit)
    except search.IndexUnavailable:
        raise RestError(
            503, "Error when returning search results: the search index is being rebuilt."
        ) from None
    except search.BadQuery as exc:
        raise RestError(400, f"Error when returning search results: {exc}") from None
    described = _described([h.page_id for h in results.hits])
    found = [
        {
            "id": hit.page_id,
            "key": hit.prefixed.replace(" ", "_"),
            "title": hit.prefixed,
            # Only text that matched is an excerpt: a title-only match has none (MediaWiki's null).
            "excerpt": hit.snippet_html if "searchmatch" in hit.snippet_html else None,
            "matched_title": hit.redirect_from,
            "description": described.get(hit.page_id),
            "thumbnail": None,
        }
        for hit in results.hits
    ]
    return json_body({"pages": found})


@bp.route("/v1/search/title")
def search_title() -> Response:
    q = params.query()
    limit = params.limit()
    suggestions = [(s.page_id, s.prefixed) for s in search.suggest(q, limit=limit)]
    if not suggestions:  # the index is rebuilding or missed: a prefix scan of the titles, as opensearch
        suggestions = _title_prefix(q, limit)
    matches = _resolved(suggestions)
    described = _described([page_id for page_id, _name, _via in matches])
    found = [
        {
            "id": page_id,
            "key": name.replace(" ", "_"),
            "title": name,
            "excerpt": via or name,
            "matched_title": via,
            "description": described.get(page_id),
            "thumbnail": None,
        }
        for page_id, name, via in matches
    ]
    response = json_body({"pages": found})
    response.headers["Cache-Control"] = "public, max-age=1200"
    return response


def _resolved(suggestions: list[tuple[int, str]]) -> list[tuple[int, str, str | None]]:
    """(page id, title, matched redirect title): a suggestion shown under its redirect's target
    answers with the target's id and names the redirect that matched, once per target."""
    rows = graph.pages_by_id([page_id for page_id, _name in suggestions])
    out: list[tuple[int, str, str | None]] = []
    seen: set[int] = set()
    for page_id, name in suggestions:
        row = rows.get(page_id)
        own = reads.title_of(row).prefixed_text if row is not None else name
        target_id, via = page_id, None
        if own != name:
            title = titles.try_parse(name, site.namespaces())
            target = pages.get(title) if title is not None else None
            if target is not None:
                target_id, via = target.id, own
        if target_id not in seen:
            seen.add(target_id)
            out.append((target_id, name, via))
    return out


def _title_prefix(q: str, limit: int) -> list[tuple[int, str]]:
    title = titles.try_parse(q, site.namespaces())
    if title is None or title.interwiki or title.namespace < 0:
        return []
    found = graph.all_pages(title.namespace, prefix=title.dbkey, limit=limit, previous=False)
    return [(p.id, reads.title_of(p).prefixed_text) for p in found.pages]
