"""The renderer's view of this wiki: site settings and render contexts built from the app config."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from flask import current_app

from . import links, titles
from .extensions import db
from .markup import RenderContext, SiteSettings
from .markup.redirects import redirect_target
from .models import Page, Revision

# Pages the renderer treats as existing in the Special namespace; web.special registers them.
SPECIAL_PAGES_KEY = "wiki.special_pages"


def namespaces() -> titles.Namespaces:
    app = current_app._get_current_object()
    ns = app.extensions.get("wiki.namespaces")
    if ns is None:
        ns = titles.Namespaces.for_site(app.config["WIKI_PROJECT_NAMESPACE"])
        app.extensions["wiki.namespaces"] = ns
    return ns


def parse_title(text: str, default_namespace: int = titles.MAIN) -> titles.Title:
    """Parse a title with this wiki's namespaces; raises titles.InvalidTitle."""
    return titles.parse(text, namespaces(), default_namespace=default_namespace)


def settings() -> SiteSettings:
    app = current_app._get_current_object()
    cached = app.extensions.get("wiki.site_settings")
    if cached is None:
        cfg = app.config
        ns = namespaces()
        cached = SiteSettings(
            parse_title=functools.partial(titles.try_parse, namespaces=ns),
            namespace_names=dict(ns.names),
            name=cfg["WIKI_SITE_NAME"],
            server=cfg["WIKI_SERVER"],
            article_path=cfg["WIKI_ARTICLE_PATH"],
            script=cfg["WIKI_SCRIPT_PATH"] + "/index.php",
        )
        app.extensions["wiki.site_settings"] = cached
    return cached


def existing_titles(prefixed: Iterable[str]) -> set[str]:
    """The subset of these titles that exist as pages (one query), plus known special pages."""
    wanted: dict[tuple[int, str], str] = {}
    found: set[str] = set()
    specials = {name.lower() for name in current_app.extensions.get(SPECIAL_PAGES_KEY, ())}
    for text in prefixed:
        title = titles.try_parse(text, namespaces())
        if title is None or title.interwiki:
            continue
        if title.namespace == titles.SPECIAL:
            if title.text.split("/", 1)[0].lower() in specials:
                found.add(text)
            continue
        wanted[(title.namespace, title.dbkey)] = text
    if wanted:
        rows = db.session.execute(
            db.select(Page.namespace, Page.title).where(
                links.titles_in(Page.namespace, Page.title, list(wanted))
            )
        )
        found.update(wanted[(ns, key)] for ns, key in rows)
    return found


def template_text(prefixed: str) -> str | None:
    """Wikitext of a page for transclusion, following one redirect."""
    title = titles.try_parse(prefixed, namespaces())
    for _hop in range(2):
        if title is None or title.interwiki or title.namespace < 0:
            return None
        row = db.session.execute(
            db.select(Page.is_redirect, Revision.text)
            .join(Revision, Revision.id == Page.latest)
            .where(Page.namespace == title.namespace, Page.title == title.dbkey)
        ).first()
        if row is None:
            return None
        if not row.is_redirect:
            return row.text
        target = redirect_target(row.text)
        title = titles.try_parse(target, namespaces()) if target else None
    return None


def context(title: titles.Title, **kw) -> RenderContext:
    return RenderContext(
        title=title,
        site=settings(),
        existing_titles=existing_titles,
        template_text=template_text,
        **kw,
    )
