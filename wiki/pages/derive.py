"""The one derive step: what a new current revision changes besides the revision row.

Every writer of page state (save, undo, move, undelete, dump import) calls `derive` inside its
write transaction: the redirect flag, the links tables and categories, the parser cache, the
cached HTML of pages that link to or transclude the title, and a search-outbox row. After commit,
the writer calls `after_commit`, which runs the hooks (the search index) on the outbox rows.

Rendering is the slow part, so a save renders before it takes the write lock (`prepare`) and
hands the result to `derive`; other writers let `derive` render.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from wiki import site, titles
from wiki.concepts import store as concepts
from wiki.extensions import db
from wiki.markup import Rendered, render
from wiki.models import Page, Revision, SearchOutbox
from wiki.pages import linktables as links
from wiki.pages import parsercache, reads

log = logging.getLogger(__name__)


def render_text(title: titles.Title, text: str, **kw: Any) -> Rendered:
    """Render wikitext as it would appear on `title` (used for previews and saves)."""
    return render(text, site.context(title, **kw))


def public_user(rev: Revision) -> str:
    """{{REVISIONUSER}}: empty when revision deletion hides the editor (cached HTML is for everyone)."""
    return "" if (rev.deleted or 0) & 4 else rev.user_text  # revdelete.USER


def view(page: Page) -> parsercache.CachedPage:
    """The rendered latest revision, from the parser cache when it is fresh."""
    cached = parsercache.get(page.id, page.latest)
    if cached is not None:
        return cached
    rev = db.session.get_one(Revision, page.latest)
    title = reads.title_of(page)
    rendered = render_text(
        title, rev.text, revision_id=rev.id, revision_timestamp=rev.timestamp, revision_user=public_user(rev)
    )
    cached = parsercache.to_cached(rendered)
    if rendered.limit_error == "render-time":
        return cached  # out of time on a busy machine: the next view tries again
    try:
        parsercache.put(page.id, rev.id, cached)
        db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()  # another worker stored it first, or the database is busy: serve anyway
    return cached


@dataclass
class Prepared:
    """A render of a revision's text made before its id is known (outside the write lock)."""

    title: titles.Title
    text: str
    timestamp: datetime
    rendered: Rendered
    # The output may show the revision's id ({{REVISIONID}}): derive renders again with the id.
    wants_revision_id: bool

    def fits(self, rev: Revision, title: titles.Title) -> bool:
        """The render is the one `rev` at `title` would get."""
        return (
            not self.wants_revision_id
            and self.text == rev.text
            and self.timestamp == rev.timestamp
            and (self.title.namespace, self.title.dbkey) == (title.namespace, title.dbkey)
        )


def prepare(title: titles.Title, text: str, timestamp: datetime) -> Prepared:
    """Render `text` for a save at `timestamp`, before the write transaction starts.

    Only {{REVISIONID}} depends on the id the revision gets in the transaction. As MediaWiki does,
    the render is made without it and redone once the id is known if the page or a template it
    transcludes names the magic word (the check reads every template text the render fetched).
    """
    fetched: list[str] = []

    def template_text(prefixed: str) -> str | None:
        found = site.template_text(prefixed)
        if found:
            fetched.append(found)
        return found

    rendered = render_text(title, text, revision_timestamp=timestamp, template_text=template_text)
    # {{REVISIONID}} and {{REVISIONUSER}} are known only once the revision is: render again then
    wants_id = any(
        word in source.lower() for source in [text, *fetched] for word in ("revisionid", "revisionuser")
    )
    return Prepared(title, text, timestamp, rendered, wants_id)


@dataclass
class Batch:
    """What derive leaves to the end of a batch of pages (a dump import): the invalidation of other
    pages and category touches, in a few queries for the batch; and no parser-cache rows (most of
    a large dump's pages are never viewed, and a view renders them)."""

    templates: site.TemplateMemo = field(default_factory=lambda: site.TemplateMemo())
    categories: set[str] = field(default_factory=set)
    appeared: set[tuple[int, str]] = field(default_factory=set)
    changed: set[tuple[int, str]] = field(default_factory=set)

    def finish(self) -> None:
        links.touch_categories(self.categories)
        links.invalidate_dependents(sorted(self.appeared), links=True, templates=True)
        links.invalidate_dependents(sorted(self.changed - self.appeared), links=False, templates=True)


def derive(
    page: Page,
    title: titles.Title,
    rev: Revision,
    *,
    created: bool,
    appeared: bool | None = None,
    prepared: Prepared | None = None,
    batch: Batch | None = None,
) -> None:
    """Everything that follows from `rev` becoming the current revision of `page` at `title`.

    `created`: the page row is new (it has no rows in the links tables yet). `appeared`: the title
    has just come to exist (created, moved here, undeleted), so links to it turn blue; it defaults
    to `created`. `prepared`: a render made before the transaction (see `prepare`).
    """
    appeared = created if appeared is None else appeared
    if batch is not None:
        batch.templates.changed(title.namespace, title.dbkey)
    if prepared is not None and prepared.fits(rev, title):
        rendered = prepared.rendered
    else:
        extra = {"template_text": batch.templates} if batch is not None else {}
        rendered = render_text(
            title,
            rev.text,
            revision_id=rev.id,
            revision_timestamp=rev.timestamp,
            revision_user=rev.user_text,
            **extra,
        )
    page.is_redirect = rendered.redirect is not None
    categories = links.store(page, rendered, site.namespaces(), created=created, touch=batch is None)
    concepts.update(page, title, rev.text, is_redirect=page.is_redirect)
    target = (title.namespace, title.dbkey)
    if batch is None:
        if rendered.limit_error != "render-time":  # a render out of time is not kept (views retry)
            parsercache.put(page.id, rev.id, parsercache.to_cached(rendered))
        links.invalidate_dependents([target], links=appeared, templates=True)
    else:
        batch.categories |= categories
        (batch.appeared if appeared else batch.changed).add(target)
    db.session.add(SearchOutbox(page_id=page.id))


def after_commit(page_ids: list[int]) -> None:
    """Run the after-commit hooks (the search index) for pages whose change just committed."""
    for hook in current_app.extensions.get("wiki.after_commit", []):
        try:
            hook(page_ids)
        except Exception:  # the outbox row keeps the update; check-index applies it later
            log.exception("after-commit hook failed for pages %s", page_ids)
