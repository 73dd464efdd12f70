"""The URLs whose cached copies a change to a title makes wrong (MediaWiki's getCdnUrls plus the
HTMLCacheUpdate of backlinks): the title's view, history and raw text; its subject/talk
counterpart's view (the tab turns red or blue); and the views of redirects to it, pages linking to
it and pages transcluding it. Only the canonical forms the wiki itself links to are purged."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app

from wiki import site, titles
from wiki.extensions import db
from wiki.models import Page, PageLink, Redirect, TemplateLink
from wiki.pages.linktables import titles_in

Key = tuple[int, str]  # (namespace, dbkey)


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def view_url(key: Key) -> str:
    return current_app.config["WIKI_ARTICLE_PATH"].replace("$1", _title(*key).url_key)


def action_url(key: Key, action: str) -> str:
    name = titles.url_encode(_title(*key).prefixed_dbkey)
    return f"{current_app.config['WIKI_SCRIPT_PATH']}/index.php?title={name}&action={action}"


def dependents(keys: list[Key]) -> set[Key]:
    """Titles of the pages that redirect to, link to or transclude any of `keys`."""
    found: set[Key] = set()
    for table in (Redirect, PageLink, TemplateLink):
        source = Redirect.page_id if table is Redirect else table.from_id
        for start in range(0, len(keys), 200):
            chunk = keys[start : start + 200]
            rows = db.session.execute(
                db.select(Page.namespace, Page.title)
                .join(table, source == Page.id)
                .where(titles_in(table.namespace, table.title, chunk))
            )
            found.update((ns, title) for ns, title in rows)
    return found


def for_titles(keys: Iterable[Key]) -> list[str]:
    """Every URL to purge after the pages at `keys` changed, without repeats."""
    changed = sorted(set(keys))
    views = set(changed) | {(ns ^ 1, title) for ns, title in changed if ns >= 0}
    views |= dependents(changed)
    urls = [action_url(key, action) for key in changed for action in ("history", "raw")]
    urls += [view_url(key) for key in sorted(views)]
    return urls
