"""Deleting and restoring pages (MediaWiki's delete and Special:Undelete).

A deletion is one transaction: every revision moves to the Archive table, the page's rows in the
links tables, its redirect row, parser cache and protections go, pages that link to or transclude
it lose their cached HTML (their links turn red), a LogEntry records it and a SearchOutbox row asks
the search index to drop the page. Undeletion is the same in reverse: archived revisions become
revisions again (keeping their ids), the page is re-derived from its newest revision.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete as sql_delete
from sqlalchemy import func

from wiki import logs, pages, site, titles
from wiki.access import protection
from wiki.extensions import db
from wiki.models import Archive, LogEntry, Page, Revision, SearchOutbox, utcnow
from wiki.pages import linktables as links
from wiki.pages import parsercache

log = logging.getLogger(__name__)


class NothingToDo(ValueError):
    """The page does not exist (delete) or has no archived revisions (undelete)."""


@dataclass(frozen=True)
class ArchivedRevision:
    rev_id: int
    timestamp: object
    user_text: str
    comment: str
    size: int
    minor: bool


def delete_page(title: titles.Title, *, actor: pages.Actor, reason: str = "") -> int:
    """Delete `title`, archiving its revisions; returns the log entry id. Raises NothingToDo."""
    page = pages.get(title)
    if page is None:
        raise NothingToDo(f'"{title}" cannot be deleted: it does not exist (perhaps it was deleted already).')
    page_id = page.id
    revisions = db.session.scalars(
        db.select(Revision).where(Revision.page_id == page_id).order_by(Revision.id)
    )
    count = 0
    for rev in revisions:
        db.session.add(archive_row(rev, title, page_id))
        count += 1
    db.session.flush()
    links.clear(page_id)
    parsercache.drop(page_id)
    protection.drop(page_id)
    db.session.execute(sql_delete(Revision).where(Revision.page_id == page_id))
    db.session.execute(sql_delete(Page).where(Page.id == page_id))
    links.invalidate_dependents([(title.namespace, title.dbkey)], links=True, templates=True)
    db.session.add(SearchOutbox(page_id=page_id))
    entry = _log("delete", title, page_id, actor, reason, count)
    db.session.commit()
    _after_commit([page_id])
    return entry.id


def delete(title: titles.Title, *, actor: pages.Actor, reason: str = "") -> int:
    """Alias of delete_page, the name the API uses."""
    return delete_page(title, actor=actor, reason=reason)


def archive_row(rev: Revision, title: titles.Title, page_id: int) -> Archive:
    """The Archive row that keeps a deleted revision."""
    return Archive(
        namespace=title.namespace,
        title=title.dbkey,
        rev_id=rev.id,
        parent_id=rev.parent_id,
        page_id=page_id,
        text=rev.text,
        sha1=rev.sha1,
        size=rev.size,
        comment=rev.comment,
        user_id=rev.user_id,
        user_text=rev.user_text,
        timestamp=rev.timestamp,
        minor=rev.minor,
    )


def archived(title: titles.Title) -> list[ArchivedRevision]:
    """Deleted revisions of `title`, newest first (for Special:Undelete)."""
    rows = db.session.scalars(
        db.select(Archive)
        .where(Archive.namespace == title.namespace, Archive.title == title.dbkey)
        .order_by(Archive.rev_id.desc())
    )
    return [ArchivedRevision(r.rev_id, r.timestamp, r.user_text, r.comment, r.size, r.minor) for r in rows]


def archived_text(title: titles.Title, rev_id: int) -> str | None:
    row = db.session.execute(
        db.select(Archive.text).where(
            Archive.namespace == title.namespace, Archive.title == title.dbkey, Archive.rev_id == rev_id
        )
    ).scalar_one_or_none()
    return row


def archived_titles(prefix: str = "", limit: int = 100) -> list[tuple[int, str, int]]:
    """(namespace, dbkey, revision count) of titles with deleted revisions."""
    query = (
        db.select(Archive.namespace, Archive.title, func.count(Archive.id))
        .group_by(Archive.namespace, Archive.title)
        .order_by(Archive.namespace, Archive.title)
        .limit(limit)
    )
    if prefix:
        query = query.where(Archive.title.startswith(prefix.replace(" ", "_")))
    return [tuple(row) for row in db.session.execute(query)]


def undelete(
    title: titles.Title, *, actor: pages.Actor, reason: str = "", rev_ids: list[int] | None = None
) -> int:
    """Restore archived revisions (all, or `rev_ids`) of `title`; returns how many were restored."""
    query = db.select(Archive).where(Archive.namespace == title.namespace, Archive.title == title.dbkey)
    if rev_ids:
        query = query.where(Archive.rev_id.in_(rev_ids))
    rows = list(db.session.scalars(query.order_by(Archive.rev_id)))
    if not rows:
        raise NothingToDo(f'"{title}" has no deleted revisions to restore.')
    page = pages.get(title)
    created = page is None
    if created:
        page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
        db.session.add(page)
        db.session.flush()
    # SQLite may have given an archived revision's id to a newer revision (it reuses the highest
    # rowid after a delete); such revisions come back under a new id, as MediaWiki does.
    taken = set(db.session.scalars(db.select(Revision.id).where(Revision.id.in_([r.rev_id for r in rows]))))
    for row in rows:
        db.session.add(_restored(row, page.id, keep_id=row.rev_id not in taken))
    db.session.execute(sql_delete(Archive).where(Archive.id.in_([r.id for r in rows])))
    db.session.flush()
    newest = db.session.execute(
        db.select(Revision)
        .where(Revision.page_id == page.id)
        .order_by(Revision.timestamp.desc(), Revision.id.desc())
        .limit(1)
    ).scalar_one()
    page.latest, page.length, page.touched = newest.id, newest.size, utcnow()
    rendered = pages.render_text(
        title, newest.text, revision_id=newest.id, revision_timestamp=newest.timestamp
    )
    page.is_redirect = rendered.redirect is not None
    links.store(page, rendered, site.namespaces())
    parsercache.put(page.id, newest.id, parsercache.to_cached(rendered))
    links.invalidate_dependents([(title.namespace, title.dbkey)], links=created, templates=True)
    db.session.add(SearchOutbox(page_id=page.id))
    _log("restore", title, page.id, actor, reason, len(rows))
    db.session.commit()
    _after_commit([page.id])
    return len(rows)


def _restored(row: Archive, page_id: int, *, keep_id: bool = True) -> Revision:
    sha1 = row.sha1 or hashlib.sha1(row.text.encode("utf-8")).hexdigest()
    return Revision(
        id=row.rev_id if keep_id else None,
        page_id=page_id,
        parent_id=row.parent_id,
        text=row.text,
        sha1=sha1,
        size=row.size,
        comment=row.comment,
        user_id=row.user_id,
        user_text=row.user_text,
        timestamp=row.timestamp,
        minor=row.minor,
    )


def _log(action: str, title: titles.Title, page_id: int, actor, reason: str, count: int) -> LogEntry:
    entry = logs.record(
        "delete",
        action,
        namespace=title.namespace,
        title=title.dbkey,
        actor=actor,
        comment=reason,
        page_id=page_id,
        params={"count": count},
    )
    db.session.flush()
    return entry


def _after_commit(page_ids: list[int]) -> None:
    for hook in current_app.extensions.get("wiki.after_commit", []):
        try:
            hook(page_ids)
        except Exception:  # the outbox row keeps the update for check-index to apply
            log.exception("after-commit hook failed for pages %s", page_ids)
