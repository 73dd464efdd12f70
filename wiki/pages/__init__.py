"""The one service for pages: read, render, save (with merge on conflict), history, undo.

A save is one unit of work: the revision row, page.latest, the links tables, the parser cache
of the new revision, the invalidation of pages that depend on this one and a search-outbox row
commit in one transaction. Applying the outbox to the search index happens after commit
(hooks in app.extensions["wiki.after_commit"]), so a crash there delays an index update but
never loses it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError, OperationalError

from wiki import diffs, site, titles
from wiki.extensions import db
from wiki.markup import Rendered, render
from wiki.models import Page, Revision, SearchOutbox, User, utcnow
from wiki.pages import linktables as links
from wiki.pages import parsercache

log = logging.getLogger(__name__)
SAVE_ATTEMPTS = 6


class TextTooLong(ValueError):
    """The text is over the configured limit (MediaWiki's $wgMaxArticleSize)."""


@dataclass(frozen=True)
class Actor:
    """Who makes an edit: an account, or an anonymous IP address."""

    name: str
    user_id: int | None = None

    @classmethod
    def of(cls, user: User | None, ip: str) -> Actor:
        if user is not None and getattr(user, "is_authenticated", False):
            return cls(user.name, user.id)
        return cls(ip or "127.0.0.1")


@dataclass
class SaveResult:
    status: str  # "created" | "saved" | "merged" | "nochange" | "conflict"
    page: Page | None = None
    revision: Revision | None = None
    current_text: str | None = None  # on conflict: the latest text the user must merge with
    current_rev_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status != "conflict"


def normalise_text(text: str) -> str:
    """What MediaWiki stores: Unix newlines, no trailing whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def title_of(page: Page) -> titles.Title:
    ns_name = site.namespaces().name(page.namespace)
    return titles.Title(page.namespace, page.title.replace("_", " "), ns_name=ns_name)


def get(title: titles.Title) -> Page | None:
    return db.session.execute(
        db.select(Page).where(Page.namespace == title.namespace, Page.title == title.dbkey)
    ).scalar_one_or_none()


def get_by_id(page_id: int) -> Page | None:
    return db.session.get(Page, page_id)


def revision(rev_id: int) -> Revision | None:
    return db.session.get(Revision, rev_id)


def latest(page: Page) -> Revision:
    return db.session.get(Revision, page.latest)


def previous(rev: Revision) -> Revision | None:
    return db.session.execute(
        db.select(Revision)
        .where(Revision.page_id == rev.page_id, Revision.id < rev.id)
        .order_by(Revision.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def next_(rev: Revision) -> Revision | None:
    return db.session.execute(
        db.select(Revision)
        .where(Revision.page_id == rev.page_id, Revision.id > rev.id)
        .order_by(Revision.id)
        .limit(1)
    ).scalar_one_or_none()


def history(page: Page, limit: int = 50, offset: int = 0) -> list[Revision]:
    """Revisions newest first."""
    return list(
        db.session.scalars(
            db.select(Revision)
            .where(Revision.page_id == page.id)
            .order_by(Revision.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def revision_count(page: Page) -> int:
    return db.session.scalar(db.select(func.count(Revision.id)).where(Revision.page_id == page.id))


def sizes(rev_ids: list[int]) -> dict[int, int]:
    """Sizes of the given revisions (for signed size changes), in one query."""
    ids = [i for i in rev_ids if i]
    if not ids:
        return {}
    return dict(db.session.execute(db.select(Revision.id, Revision.size).where(Revision.id.in_(ids))).all())


def recent_changes(limit: int = 50, days: int = 30, namespace: int | None = None):
    """(revision, page) pairs of the latest edits, newest first."""
    query = (
        db.select(Revision, Page)
        .join(Page, Page.id == Revision.page_id)
        .where(Revision.timestamp >= utcnow() - timedelta(days=days))
        .order_by(Revision.id.desc())
        .limit(limit)
    )
    if namespace is not None:
        query = query.where(Page.namespace == namespace)
    return list(db.session.execute(query).tuples())


def render_text(title: titles.Title, text: str, **kw) -> Rendered:
    """Render wikitext as it would appear on `title` (used for previews and saves)."""
    return render(text, site.context(title, **kw))


def view(page: Page) -> parsercache.CachedPage:
    """The rendered latest revision, from the parser cache when it is fresh."""
    cached = parsercache.get(page.id, page.latest)
    if cached is not None:
        return cached
    rev = latest(page)
    rendered = render_text(title_of(page), rev.text, revision_id=rev.id, revision_timestamp=rev.timestamp)
    cached = parsercache.to_cached(rendered)
    if rendered.limit_error == "render-time":
        return cached  # out of time on a busy machine: the next view tries again
    try:
        parsercache.put(page.id, rev.id, cached)
        db.session.commit()
    except (IntegrityError, OperationalError):
        db.session.rollback()  # another worker stored it first, or the database is busy: serve anyway
    return cached


def save(
    title: titles.Title,
    text: str,
    *,
    actor: Actor,
    summary: str = "",
    minor: bool = False,
    base_rev_id: int | None = None,
    timestamp=None,
) -> SaveResult:
    """Save `text` as the new revision of `title`, merging or refusing if the page moved on."""
    text = normalise_text(text)
    limit = current_app.config["WIKI_MAX_TEXT_BYTES"]
    if len(text.encode("utf-8")) > limit:
        raise TextTooLong(f"The text is {len(text.encode('utf-8')):,} bytes; the limit is {limit:,} bytes.")
    for attempt in range(SAVE_ATTEMPTS):
        try:
            result = _save_once(title, text, actor, summary, minor, base_rev_id, timestamp)
        except (IntegrityError, OperationalError) as exc:
            # Another save won the race (unique title, or SQLite busy): redo against the new state.
            db.session.rollback()
            log.info("save of %s retried (%s): %s", title, attempt, exc.__class__.__name__)
            continue
        if result.status in ("created", "saved", "merged"):
            _after_commit([result.page.id])
        return result
    raise RuntimeError(f"Could not save {title} after {SAVE_ATTEMPTS} attempts")


def _save_once(title, text, actor, summary, minor, base_rev_id, timestamp) -> SaveResult:
    page = get(title)
    current = latest(page) if page is not None and page.latest else None
    status = "saved"
    if current is not None and base_rev_id != current.id:
        base = db.session.get(Revision, base_rev_id) if base_rev_id else None
        base_text = base.text if base is not None and base.page_id == page.id else ""
        merged = diffs.merge3(base_text, text, current.text) if base is not None else None
        if merged is None and text != current.text:
            db.session.rollback()
            return SaveResult("conflict", page, None, current.text, current.id)
        text, status = (merged if merged is not None else text), "merged"
    if current is not None and text == current.text:
        db.session.rollback()
        return SaveResult("nochange", page, current)
    created = page is None
    if created:
        page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
        db.session.add(page)
        db.session.flush()
        status = "created"
    data = text.encode("utf-8")
    rev = Revision(
        page_id=page.id,
        parent_id=current.id if current else None,
        text=text,
        sha1=hashlib.sha1(data).hexdigest(),
        size=len(data),
        comment=summary[:767],
        user_id=actor.user_id,
        user_text=actor.name,
        timestamp=timestamp or utcnow(),
        minor=bool(minor) and not created,
    )
    db.session.add(rev)
    db.session.flush()
    # Compare-and-swap on page.latest: a concurrent save makes this update match no row.
    moved = db.session.execute(
        update(Page)
        .where(
            Page.id == page.id,
            Page.latest.is_(None) if current is None else Page.latest == current.id,
        )
        .values(latest=rev.id, length=len(data), touched=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise IntegrityError("page.latest changed during save", None, Exception("cas"))
    db.session.refresh(page)
    _derive(page, title, rev, created=created)
    db.session.commit()
    return SaveResult(status, page, rev)


def _derive(page: Page, title: titles.Title, rev: Revision, *, created: bool) -> None:
    """Links tables, redirect flag, parser cache, dependants and search outbox for a new revision."""
    rendered = render_text(title, rev.text, revision_id=rev.id, revision_timestamp=rev.timestamp)
    page.is_redirect = rendered.redirect is not None
    links.store(page, rendered, site.namespaces())
    if rendered.limit_error != "render-time":  # a render out of time is not kept (views retry)
        parsercache.put(page.id, rev.id, parsercache.to_cached(rendered))
    target = [(title.namespace, title.dbkey)]
    links.invalidate_dependents(target, links=created, templates=True)
    db.session.add(SearchOutbox(page_id=page.id))


def _after_commit(page_ids: list[int]) -> None:
    for hook in current_app.extensions.get("wiki.after_commit", []):
        try:
            hook(page_ids)
        except Exception:  # the outbox keeps the update; it is retried later
            log.exception("after-commit hook failed for pages %s", page_ids)


def undo_text(page: Page, undo: Revision, undo_after: Revision | None) -> str | None:
    """The text after reverting the change made by `undo` (relative to `undo_after`), or None."""
    current = latest(page)
    before = undo_after.text if undo_after is not None else ""
    return diffs.merge3(undo.text, before, current.text)


def revision_at(page: Page, when) -> Revision | None:
    """The last revision of `page` saved within the second `when` (a 14-digit form timestamp)."""
    return db.session.execute(
        db.select(Revision)
        .where(
            Revision.page_id == page.id,
            Revision.timestamp >= when,
            Revision.timestamp < when + timedelta(seconds=1),
        )
        .order_by(Revision.id.desc())
        .limit(1)
    ).scalar_one_or_none()
