"""Special:Export: pages as a MediaWiki XML dump (current revision or full history), as in MediaWiki.

The form takes titles one per line (and optionally the pages of a category); Special:Export/Title
exports one page directly. The dump streams, so a long history is never held in memory.
"""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context

from wiki import pages, site, titles
from wiki.dumps import export
from wiki.extensions import db
from wiki.models import CategoryLink, Page, TemplateLink
from wiki.web import special

MAX_PAGES = 5000


def _titles(text: str) -> tuple[list[Page], list[str]]:
    """The existing pages named in `text` (one per line), and the lines that name none."""
    found: list[Page] = []
    unknown: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if not line:
            continue
        title = titles.try_parse(line, site.namespaces())
        page = (
            pages.get(title) if title is not None and title.namespace >= 0 and not title.interwiki else None
        )
        if page is None:
            unknown.append(line)
        elif all(p.id != page.id for p in found):
            found.append(page)
    return found[:MAX_PAGES], unknown


def _category_titles(name: str) -> list[str]:
    title = titles.try_parse(name, site.namespaces(), default_namespace=titles.CATEGORY)
    if title is None or title.namespace != titles.CATEGORY:
        return []
    rows = db.session.scalars(
        db.select(Page)
        .join(CategoryLink, CategoryLink.from_id == Page.id)
        .where(CategoryLink.category == title.dbkey)
    )
    return [pages.title_of(p).prefixed_text for p in rows]


def _templates_of(found: list[Page]) -> list[Page]:
    """The existing pages these pages transclude ("Include templates")."""
    ids = [p.id for p in found]
    return list(
        db.session.scalars(
            db.select(Page)
            .join(
                TemplateLink,
                (TemplateLink.namespace == Page.namespace) & (TemplateLink.title == Page.title),
            )
            .where(TemplateLink.from_id.in_(ids))
            .distinct()
            .order_by(Page.id)
        )
    )


def _dump(found: list[Page], *, full_history: bool, download: bool) -> Response:
    ids = [p.id for p in found]

    def chunks():
        rows = (db.session.get(Page, page_id) for page_id in ids)
        for chunk in export.stream((p for p in rows if p is not None), full_history=full_history):
            yield chunk.encode("utf-8")

    resp = Response(stream_with_context(chunks()), mimetype="application/xml")
    resp.headers["Content-Type"] = "application/xml; charset=utf-8"
    resp.headers["Cache-Control"] = "private, must-revalidate, max-age=0"
    if download:
        name = site.settings().name.replace(" ", "_")
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}-export.xml"'
    return resp


@special.register("Export", "Export pages")
def export_pages(sub: str):
    values = request.values
    text = values.get("pages", "")
    if sub and not text:
        text = sub.replace("_", " ")
        return _dump(_titles(text)[0], full_history=False, download=False)
    category = values.get("catname", "").strip()
    if values.get("addcat") and category:
        added = _category_titles(category)
        text = "\n".join([text.strip(), *added]).strip()
        return _form(text)
    if request.method == "POST" or values.get("action") == "submit":
        found, unknown = _titles(text)
        if not found:
            return _form(
                text, error="None of the titles given is an existing page.", unknown=unknown, status=400
            )
        if values.get("templates"):
            found += [p for p in _templates_of(found) if all(p.id != f.id for f in found)]
        full_history = not values.get("curonly") and values.get("history") is not None
        return _dump(found, full_history=full_history, download=bool(values.get("wpDownload")))
    return _form(text)


def _form(text: str, *, error: str | None = None, unknown: list[str] | None = None, status: int = 200):
    body = render_template(
        "special_export.html",
        title=site.parse_title("Special:Export"),
        pages_text=text,
        error=error,
        unknown=unknown or [],
    )
    return body, status
