"""The link graph tables: what a page links to, transcludes, is categorised in, redirects to.

Written in the caller's transaction on every save, move, delete and import, so the graph never
disagrees with the revision it was derived from.
"""

from __future__ import annotations

from sqlalchemy import delete, tuple_, update

from . import titles
from .extensions import db
from .markup import Rendered
from .models import CategoryLink, Page, PageLink, ParserCache, Redirect, TemplateLink, utcnow


def _targets(prefixed: list[str], namespaces: titles.Namespaces) -> set[tuple[int, str]]:
    out = set()
    for text in prefixed:
        title = titles.try_parse(text, namespaces)
        if title is not None and not title.interwiki and title.namespace >= 0 and title.text:
            out.add((title.namespace, title.dbkey))
    return out


def store(page: Page, rendered: Rendered, namespaces: titles.Namespaces) -> None:
    """Replace the page's rows in the links tables with what `rendered` says."""
    clear(page.id)
    for ns, key in _targets(rendered.links, namespaces):
        db.session.add(PageLink(from_id=page.id, namespace=ns, title=key))
    for ns, key in _targets(rendered.templates, namespaces):
        db.session.add(TemplateLink(from_id=page.id, namespace=ns, title=key))
    seen = set()
    for name, sortkey in rendered.categories:
        key = name.replace(" ", "_")
        if key and key not in seen:
            seen.add(key)
            db.session.add(CategoryLink(from_id=page.id, category=key, sortkey=sortkey or ""))
    if rendered.redirect is not None and not rendered.redirect.interwiki:
        target = rendered.redirect
        db.session.add(
            Redirect(
                page_id=page.id,
                namespace=target.namespace,
                title=target.dbkey,
                fragment=target.fragment or "",
            )
        )


def clear(page_id: int) -> None:
    for model in (PageLink, TemplateLink, CategoryLink):
        db.session.execute(delete(model).where(model.from_id == page_id))
    db.session.execute(delete(Redirect).where(Redirect.page_id == page_id))


def invalidate_dependents(targets: list[tuple[int, str]], *, links: bool, templates: bool) -> None:
    """Drop cached HTML of pages that link to or transclude these titles and touch them."""
    if not targets:
        return
    ids = set()
    if links:
        ids.update(
            db.session.scalars(
                db.select(PageLink.from_id).where(tuple_(PageLink.namespace, PageLink.title).in_(targets))
            )
        )
    if templates:
        ids.update(
            db.session.scalars(
                db.select(TemplateLink.from_id).where(
                    tuple_(TemplateLink.namespace, TemplateLink.title).in_(targets)
                )
            )
        )
    if ids:
        db.session.execute(delete(ParserCache).where(ParserCache.page_id.in_(ids)))
        db.session.execute(update(Page).where(Page.id.in_(ids)).values(touched=utcnow()))
