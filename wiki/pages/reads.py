"""Reads of pages and their revisions (no writes: those go through save, moves and deletion)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from wiki import diffs, site, titles
from wiki.access import groups
from wiki.extensions import db
from wiki.inlists import values_in
from wiki.models import ChangeTag, LogEntry, Page, Revision


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


def latest(page: Page) -> Revision | None:
    """The page's current revision; None if it is gone (deleted since `page` was read)."""
    return db.session.get(Revision, page.latest)


def current_revision(page: Page) -> Revision:
    """The page's current revision, where it must exist (read under the page's lock, or with it)."""
    return db.session.get_one(Revision, page.latest)


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
    return db.session.execute(select(func.count(Revision.id)).where(Revision.page_id == page.id)).scalar_one()


def sizes(rev_ids: list[int]) -> dict[int, int]:
    """Sizes of the given revisions (for signed size changes), in one query."""
    ids = [i for i in rev_ids if i]
    if not ids:
        return {}
    rows = db.session.execute(db.select(Revision.id, Revision.size).where(values_in(Revision.id, ids)))
    return {rev_id: size for rev_id, size in rows}


def undo_text(page: Page, undo: Revision, undo_after: Revision | None) -> str | None:
    """The text after reverting the change made by `undo` (relative to `undo_after`), or None."""
    current = current_revision(page)
    before = undo_after.text if undo_after is not None else ""
    return diffs.merge3(undo.text, before, current.text)


def revision_at(page: Page, when: datetime) -> Revision | None:
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


def deletion_since(title: titles.Title, when: datetime) -> LogEntry | None:
    """The newest deletion of `title` logged after `when` (MediaWiki's "deleted while editing").

    As in MediaWiki, times count in whole seconds (the form's start time has no more) and a
    deletion in the same second as `when` does not count: the editor may have seen its result."""
    after = when.replace(microsecond=0) + timedelta(seconds=1)
    return db.session.scalars(
        db.select(LogEntry)
        .where(
            LogEntry.type == "delete",
            LogEntry.action == "delete",
            LogEntry.namespace == title.namespace,
            LogEntry.title == title.dbkey,
            LogEntry.timestamp >= after,
        )
        .order_by(LogEntry.id.desc())
        .limit(1)
    ).first()


# MediaWiki's REST history filters; "reverted" names the change tags that mark a revert.
HISTORY_FILTERS = ("anonymous", "bot", "reverted", "minor")
REVERT_TAGS = ("mw-rollback", "mw-undo", "mw-manual-revert")


def history_slice(
    page: Page,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
    kind: str | None = None,
    limit: int = 20,
) -> list[Revision]:
    """Up to `limit` revisions of `page` around a revision id (newest first, or oldest first after
    `newer_than`), optionally only one kind of HISTORY_FILTERS (keyset paging on ix_revision_page_id_id)."""
    query = db.select(Revision).where(Revision.page_id == page.id)
    if older_than is not None:
        query = query.where(Revision.id < older_than).order_by(Revision.id.desc())
    elif newer_than is not None:
        query = query.where(Revision.id > newer_than).order_by(Revision.id)
    else:
        query = query.order_by(Revision.id.desc())
    if kind is not None:
        query = _of_kind(query, kind)
    return list(db.session.scalars(query.limit(limit)))


HISTORY_COUNTS = ("anonymous", "bot", "editors", "edits", "minor", "reverted")


def history_count(
    page: Page, kind: str, *, between: tuple[int, int] | None = None, limit: int = 30000
) -> int:
    """How many revisions of `page` of one kind of HISTORY_COUNTS ("editors": how many distinct
    editors), at most `limit + 1` (more means truncated); `between`: only revisions strictly
    between these two ids."""
    query = db.select(Revision.id).where(Revision.page_id == page.id)
    if between is not None:
        low, high = sorted(between)
        query = query.where(Revision.id > low, Revision.id < high)
    if kind == "editors":
        query = db.select(Revision.user_text).where(Revision.id.in_(query)).distinct()
    elif kind in HISTORY_FILTERS:
        query = _of_kind(query, kind)
    counted = db.select(func.count()).select_from(query.limit(limit + 1).subquery())
    return int(db.session.scalar(counted) or 0)


def _of_kind(query: Select[Any], kind: str) -> Select[Any]:
    if kind == "anonymous":
        return query.where(Revision.user_id.is_(None))
    if kind == "minor":
        return query.where(Revision.minor.is_(True))
    if kind == "bot":
        return query.where(Revision.user_id.in_(groups.members_with_right("bot")))
    tagged = db.select(ChangeTag.rev_id).where(ChangeTag.tag.in_(REVERT_TAGS), ChangeTag.rev_id.is_not(None))
    return query.where(Revision.id.in_(tagged))
