"""The link graph tables: what a page links to, transcludes, is categorised in, redirects to.

Written in the caller's transaction on every save, move, delete and import, so the graph never
disagrees with the revision it was derived from.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import ColumnElement, and_, delete, false, insert, or_, update

from wiki import titles
from wiki.concepts import store as concepts
from wiki.extensions import db
from wiki.inlists import values_in
from wiki.markup import Rendered
from wiki.models import (
    CategoryLink,
    ExternalLink,
    ImageLink,
    Page,
    PageLink,
    ParserCache,
    Redirect,
    TemplateLink,
    utcnow,
)
from wiki.pages import extlinks


def targets(prefixed: list[str], namespaces: titles.Namespaces) -> set[tuple[int, str]]:
    out = set()
    for text in prefixed:
        title = titles.try_parse(text, namespaces)
        if title is not None and not title.interwiki and title.namespace >= 0 and title.text:
            out.add((title.namespace, title.dbkey))
    return out


def store(
    page: Page,
    rendered: Rendered,
    namespaces: titles.Namespaces,
    *,
    created: bool = False,
    touch: bool = True,
) -> set[str]:
    """Replace the page's rows in the links tables with what `rendered` says.

    Returns the categories the page joined or left; their pages are touched unless `touch` is
    False (an import touches them once per batch). `created`: the page is new, it has no rows.
    """
    before: set[str] = set()
    if not created:
        before = set(
            db.session.scalars(db.select(CategoryLink.category).where(CategoryLink.from_id == page.id))
        )
        clear(page.id)
    # One multi-row INSERT per table instead of an ORM object per row: saves of link-heavy pages
    # and dump imports spend most of their database time here.
    link_rows = [
        {"from_id": page.id, "namespace": ns, "title": key} for ns, key in targets(rendered.links, namespaces)
    ]
    template_rows = [
        {"from_id": page.id, "namespace": ns, "title": key}
        for ns, key in targets(rendered.templates, namespaces)
    ]
    image_rows = [{"from_id": page.id, "title": key} for key in dict.fromkeys(rendered.images) if key]
    category_rows = []
    seen: set[str] = set()
    now = utcnow()
    for name, sortkey in rendered.categories:
        key = name.replace(" ", "_")
        if key and key not in seen:
            seen.add(key)
            prefix = sortkey or rendered.default_sort or ""
            category_rows.append(
                {
                    "from_id": page.id,
                    "category": key,
                    "sortkey": category_sortkey(page, prefix),
                    "timestamp": now,
                }
            )
    external_rows = [
        {"from_id": page.id, "url": url, "index_key": key}
        for url in rendered.external_links[: extlinks.MAX_LINKS_PER_PAGE]
        for key in extlinks.index_keys(url)
    ]
    connection = db.session.connection()  # Core executemany: the ORM's bulk path costs more than the insert
    tables = (
        (PageLink, link_rows),
        (TemplateLink, template_rows),
        (CategoryLink, category_rows),
        (ImageLink, image_rows),
        (ExternalLink, external_rows),
    )
    for model, rows in tables:
        if rows:
            connection.execute(insert(model.__table__), rows)
    changed = before ^ seen
    if touch:
        touch_categories(changed)
    if rendered.redirect is not None and not rendered.redirect.interwiki:
        target = rendered.redirect
        connection.execute(
            insert(Redirect.__table__).values(
                page_id=page.id,
                namespace=target.namespace,
                title=target.dbkey,
                fragment=target.fragment or "",
            )
        )
    return changed


def touch_categories(names: set[str]) -> None:
    """Category pages whose member list changed: their listing is not in the parser cache, but
    HTTP caches validate against page.touched (MediaWiki touches them too)."""
    if names:
        db.session.execute(
            update(Page)
            .where(Page.namespace == titles.CATEGORY, Page.title.in_(sorted(names)))
            .values(touched=utcnow())
            .execution_options(synchronize_session=False)
        )


def category_sortkey(page: Page, prefix: str = "") -> str:
    """The key a category lists the page by, as MediaWiki's "uppercase" collation builds it.

    Without a sort key it is the title without namespace; with one, "KEY\nTITLE", so pages
    sharing a key still sort by title. Upper-cased, so letter headings ignore case.
    """
    text = page.title.replace("_", " ")
    key = f"{prefix}\n{text}" if prefix else text
    return key.upper()[:255]


def clear(page_id: int) -> None:
    for model in (PageLink, TemplateLink, CategoryLink, ImageLink, ExternalLink):
        db.session.execute(delete(model).where(model.from_id == page_id))
    db.session.execute(delete(Redirect).where(Redirect.page_id == page_id))


def titles_in(
    namespace_column: ColumnElement[int], title_column: ColumnElement[str], targets: list[tuple[int, str]]
) -> ColumnElement[bool]:
    """(namespace, title) in `targets`, as `namespace = n AND title IN (...)` per namespace: SQLite
    scans the whole table for a row-value IN list, but uses the (namespace, title) index for this."""
    if not targets:
        return false()
    by_namespace: dict[int, list[str]] = defaultdict(list)
    for ns, key in targets:
        by_namespace[ns].append(key)
    return or_(
        *(and_(namespace_column == ns, values_in(title_column, keys)) for ns, keys in by_namespace.items())
    )


def invalidate_dependents(targets: list[tuple[int, str]], *, links: bool, templates: bool) -> None:
    """Drop cached HTML of pages that link to or transclude these titles and touch them."""
    if not targets:
        return
    ids: set[int] = set()
    if links:
        ids.update(
            db.session.scalars(
                db.select(PageLink.from_id).where(titles_in(PageLink.namespace, PageLink.title, targets))
            )
        )
    if templates:
        ids.update(
            db.session.scalars(
                db.select(TemplateLink.from_id).where(
                    titles_in(TemplateLink.namespace, TemplateLink.title, targets)
                )
            )
        )
    if ids:
        db.session.execute(delete(ParserCache).where(ParserCache.page_id.in_(ids)))
        db.session.execute(update(Page).where(Page.id.in_(ids)).values(touched=utcnow()))
    categories = [key for ns, key in targets if ns == titles.CATEGORY]
    if links and categories:
        # Members show the category red or blue in their category box, drawn at view time (not in
        # the cached HTML): touching them is enough for HTTP caches to notice.
        members = db.select(CategoryLink.from_id).where(CategoryLink.category.in_(categories))
        db.session.execute(
            update(Page)
            .where(Page.id.in_(members))
            .values(touched=utcnow())
            .execution_options(synchronize_session=False)
        )


def title_appeared(namespace: int, dbkey: str) -> None:
    """A page now exists at this title (created, moved here, undeleted): its red links turn blue."""
    invalidate_dependents([(namespace, dbkey)], links=True, templates=True)


def title_vanished(namespace: int, dbkey: str, page_id: int | None = None) -> None:
    """The page at this title is gone (deleted, moved away without a redirect).

    Drops the page's own rows in the links tables and its cached HTML (when `page_id` is given),
    and the cached HTML of every page that links to or transcludes the title, so their links
    turn red again. Call it in the transaction that removes the page.
    """
    if page_id is not None:
        clear(page_id)
        concepts.forget(page_id)
        db.session.execute(delete(ParserCache).where(ParserCache.page_id == page_id))
    invalidate_dependents([(namespace, dbkey)], links=True, templates=True)


def file_changed(names: list[str]) -> None:
    """Files were uploaded, replaced or deleted: drop the cached HTML of pages that show them
    (imagelinks) and touch them, so they are drawn again with the file's new size or as missing."""
    if not names:
        return
    users = db.select(ImageLink.from_id).where(ImageLink.title.in_(sorted(set(names))))
    db.session.execute(delete(ParserCache).where(ParserCache.page_id.in_(users)))
    db.session.execute(
        update(Page)
        .where(Page.id.in_(users))
        .values(touched=utcnow())
        .execution_options(synchronize_session=False)
    )
