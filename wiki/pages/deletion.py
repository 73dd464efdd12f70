"""Deleting and restoring pages (MediaWiki's delete and Special:Undelete).

A deletion is one transaction under the title's write lock (`locks`): the page row is read and
locked, exactly the revisions it then has move to the Archive table and are deleted by id, the
page's rows in the links tables, its parser cache and protections go, pages that link to or
transclude it lose their cached HTML (their links turn red), a LogEntry records it and a
SearchOutbox row asks the search index to drop the page. A save that raced the deletion either
committed first (its revision is archived) or waits for the lock and then finds the page gone.
Undeletion is the same in reverse: archived revisions become revisions again (keeping their ids),
and the page goes through the derive step with its newest revision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import func, insert

from wiki import logs, titles
from wiki.access import protection
from wiki.extensions import db
from wiki.models import Archive, LogEntry, Page, Revision, SearchOutbox
from wiki.pages import derive, locks, revisions
from wiki.pages import linktables as links

# What goes and comes back with a page besides its revisions (a file's versions, wiki.files):
# called in the deletion's or undeletion's transaction with the title and who acts; raising
# undoes the whole change.
ON_DELETE: list[Callable[[titles.Title, revisions.Actor], None]] = []
ON_UNDELETE: list[Callable[[titles.Title, revisions.Actor], None]] = []


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
    deleted: int = 0  # revision deletion's bits, kept in the archive


def delete_page(title: titles.Title, *, actor: revisions.Actor, reason: str = "") -> int:
    """Delete `title`, archiving its revisions; returns the log entry id. Raises NothingToDo."""

    def work() -> tuple[int, int]:
        page = locks.page_for_update(title)
        if page is None:
            raise NothingToDo(
                f'"{title}" cannot be deleted: it does not exist (perhaps it was deleted already).'
            )
        page_id = page.id
        count = remove(page, title)
        for hook in ON_DELETE:
            hook(title, actor)
        return page_id, _log("delete", title, page_id, actor, reason, count).id

    page_id, log_id = locks.write(
        [locks.key(title)],
        work,
        what=f"deletion of {title}",
        give_up=NothingToDo(
            f'"{title}" could not be deleted because other changes got in the way; try again.'
        ),
    )
    derive.after_commit([page_id])
    return log_id


def delete(title: titles.Title, *, actor: revisions.Actor, reason: str = "") -> int:
    """Alias of delete_page, the name the API uses."""
    return delete_page(title, actor=actor, reason=reason)


def remove(page: Page, title: titles.Title) -> int:
    """Archive every revision of `page` (locked by the caller) and delete it; returns how many.

    Only the revisions archived here are deleted (by id): if another had appeared, the page row
    could not be deleted (its foreign key) and the transaction would fail rather than lose it."""
    page_id = page.id
    rows = db.session.scalars(db.select(Revision).where(Revision.page_id == page_id).order_by(Revision.id))
    archived = [_archive_values(rev, title, page_id) for rev in rows]
    if archived:
        db.session.connection().execute(insert(Archive.__table__), archived)
    ids = [row["rev_id"] for row in archived]
    links.title_vanished(title.namespace, title.dbkey, page_id)
    protection.drop(page_id)
    db.session.execute(sql_delete(Revision).where(Revision.id.in_(ids)))
    db.session.add(SearchOutbox(page_id=page_id))
    db.session.delete(page)
    db.session.flush()
    return len(ids)


def _archive_values(rev: Revision, title: titles.Title, page_id: int) -> dict[str, Any]:
    return {
        "namespace": title.namespace,
        "title": title.dbkey,
        "rev_id": rev.id,
        "parent_id": rev.parent_id,
        "page_id": page_id,
        "text": rev.text,
        "sha1": rev.sha1,
        "size": rev.size,
        "comment": rev.comment,
        "user_id": rev.user_id,
        "user_text": rev.user_text,
        "timestamp": rev.timestamp,
        "minor": rev.minor,
        "deleted": rev.deleted,
    }


def archived(title: titles.Title) -> list[ArchivedRevision]:
    """Deleted revisions of `title`, newest first (for Special:Undelete)."""
    rows = db.session.scalars(
        db.select(Archive)
        .where(Archive.namespace == title.namespace, Archive.title == title.dbkey)
        .order_by(Archive.rev_id.desc())
    )
    return [
        ArchivedRevision(r.rev_id, r.timestamp, r.user_text, r.comment, r.size, r.minor, r.deleted)
        for r in rows
    ]


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
    title: titles.Title, *, actor: revisions.Actor, reason: str = "", rev_ids: list[int] | None = None
) -> int:
    """Restore archived revisions (all, or `rev_ids`) of `title`; returns how many were restored."""
    page_id, count = locks.write(
        [locks.key(title)],
        lambda: _undelete_once(title, actor, reason, rev_ids),
        what=f"undeletion of {title}",
        give_up=NothingToDo(
            f'"{title}" could not be restored because other changes got in the way; try again.'
        ),
    )
    derive.after_commit([page_id])
    return count


def _undelete_once(
    title: titles.Title, actor: revisions.Actor, reason: str, rev_ids: list[int] | None
) -> tuple[int, int]:
    query = db.select(Archive).where(Archive.namespace == title.namespace, Archive.title == title.dbkey)
    if rev_ids:
        query = query.where(Archive.rev_id.in_(rev_ids))
    rows = list(db.session.scalars(query.order_by(Archive.rev_id)))
    if not rows:
        raise NothingToDo(f'"{title}" has no deleted revisions to restore.')
    page = locks.page_for_update(title)
    created = page is None
    if page is None:
        # The page comes back under its old id, as MediaWiki restores ar_page_id: ids are never
        # given to another page, so it is free unless the revisions came from several pages.
        old_id = rows[-1].page_id
        free = old_id is not None and db.session.get(Page, old_id) is None
        page = Page(id=old_id if free else None, namespace=title.namespace, title=title.dbkey, length=0)
        db.session.add(page)
        db.session.flush()
    # An archived revision's id can be taken only in a database from before revision ids were
    # never reused (migration 0002): such a revision comes back under a new id, as MediaWiki does.
    taken = set(db.session.scalars(db.select(Revision.id).where(Revision.id.in_([r.rev_id for r in rows]))))
    for row in rows:
        revisions.add(
            page.id,
            row.text,
            user_id=row.user_id,
            user_text=row.user_text,
            comment=row.comment,
            minor=row.minor,
            timestamp=row.timestamp,
            parent_id=row.parent_id,
            rev_id=row.rev_id if row.rev_id not in taken else None,
            sha1=row.sha1 or None,
            deleted=row.deleted,
        )
    db.session.execute(sql_delete(Archive).where(Archive.id.in_([r.id for r in rows])))
    newest = db.session.execute(
        db.select(Revision)
        .where(Revision.page_id == page.id)
        .order_by(Revision.timestamp.desc(), Revision.id.desc())
        .limit(1)
    ).scalar_one()
    if newest.id != page.latest:
        revisions.advance(page, newest.id, newest.size, expected=page.latest)
        derive.derive(page, title, newest, created=created)
    for hook in ON_UNDELETE:
        hook(title, actor)
    _log("restore", title, page.id, actor, reason, len(rows))
    return page.id, len(rows)


def _log(
    action: str, title: titles.Title, page_id: int, actor: revisions.Actor, reason: str, count: int
) -> LogEntry:
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
