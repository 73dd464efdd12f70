"""The recentchanges table's rows: one per edit, page creation or logged action, written in the
change's own transaction (by wiki.pages' save and by wiki.logs.record), with its change tags."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, false, func, insert, literal, null, or_, select, union_all, update
from sqlalchemy.orm import aliased

from wiki.extensions import db
from wiki.models import ChangeTag, ChangeTagDef, LogEntry, Page, RecentChange, Revision, WatchedItem

UNPATROLLED, PATROLLED, AUTOPATROLLED = 0, 1, 2
# Rows a save purges at most ($wgUpdateRowsPerQuery): a save stays fast however far behind the purge is.
PURGE_BATCH = 100
NEVER = datetime(1970, 1, 1)  # watchlist.changed of a title without a recent change


@dataclass(frozen=True)
class Flags:
    """How an edit is marked, decided by the edge from the editor's rights (pages never reads rights):
    `bot` only when asked for and allowed, `autopatrol` for those with the right."""

    bot: bool = False
    autopatrol: bool = False
    tags: tuple[str, ...] = ()


PLAIN = Flags()


def edit(
    *,
    timestamp: datetime,
    namespace: int,
    title: str,
    page_id: int,
    rev_id: int,
    old_rev_id: int | None,
    user_id: int | None,
    user_text: str,
    comment: str,
    minor: bool,
    old_len: int,
    new_len: int,
    flags: Flags | None = None,
) -> int:
    """Add the row of a saved revision (type "new" when it created the page); returns its id."""
    flags = flags or PLAIN
    values = {
        "timestamp": timestamp,
        "type": "edit" if old_rev_id else "new",
        "namespace": namespace,
        "title": title,
        "page_id": page_id,
        "rev_id": rev_id,
        "old_rev_id": old_rev_id,
        "user_id": user_id,
        "user_text": user_text[:255],
        "comment": comment[:767],
        "minor": bool(minor) and bool(old_rev_id),
        "bot": flags.bot,
        "patrolled": AUTOPATROLLED if flags.autopatrol else UNPATROLLED,
        "old_len": old_len,
        "new_len": new_len,
    }
    rc_id: int = (
        db.session.connection()
        .execute(insert(RecentChange.__table__).values(**values))
        .inserted_primary_key[0]
    )
    add_tags(flags.tags, rc_id=rc_id, rev_id=rev_id)
    _changed_at(namespace, title, timestamp)
    return rc_id


def logged(entry: LogEntry, *, bot: bool = False, tags: Iterable[str] = ()) -> int:
    """Add the row of a log entry (flushed, so it has its id); logged actions are not patrollable."""
    row = RecentChange(
        timestamp=entry.timestamp,
        type="log",
        namespace=entry.namespace,
        title=entry.title,
        page_id=entry.page_id,
        log_id=entry.id,
        log_type=entry.type,
        log_action=entry.action,
        user_id=entry.user_id,
        user_text=entry.user_text,
        comment=entry.comment,
        bot=bot,
        patrolled=AUTOPATROLLED,
        deleted=entry.deleted or 0,
    )
    db.session.add(row)
    db.session.flush()
    add_tags(tags, rc_id=row.id, log_id=entry.id)
    _changed_at(entry.namespace, entry.title, entry.timestamp)
    return row.id


def _changed_at(namespace: int, title: str, when: datetime) -> None:
    """A change of the title at `when` was recorded: its watchers' `changed` moves up to it, never
    down (two changes of a title committed in the other order than their times leave the later
    time); a row without one yet gets the title's latest change."""
    wl = WatchedItem.__table__
    latest = (
        select(func.max(RecentChange.timestamp))
        .where(RecentChange.namespace == wl.c.namespace, RecentChange.title == wl.c.title)
        .scalar_subquery()
    )
    db.session.execute(
        update(wl)
        .where(
            wl.c.namespace == namespace, wl.c.title == title, or_(wl.c.changed.is_(None), wl.c.changed < when)
        )
        .values(changed=case((wl.c.changed.is_(None), func.coalesce(latest, when)), else_=when))
    )


def refresh_watch_times(
    *,
    namespace: int | None = None,
    title: str | None = None,
    user_id: int | None = None,
    unknown: bool = False,
) -> None:
    """Set `watchlist.changed` (the time of the title's latest recent change, NEVER without one) of
    the watchers of a title, or of a user's rows, or (`unknown`) only of rows that have none yet; no
    condition: every row. Runs in the caller's transaction."""
    wl = WatchedItem.__table__
    where: list[Any] = []
    if namespace is not None and title is not None:
        where += [wl.c.namespace == namespace, wl.c.title == title]
    if user_id is not None:
        where.append(wl.c.user_id == user_id)
    if unknown:
        where.append(wl.c.changed.is_(None))
    latest = (
        select(func.max(RecentChange.timestamp))
        .where(RecentChange.namespace == wl.c.namespace, RecentChange.title == wl.c.title)
        .scalar_subquery()
    )
    db.session.execute(update(wl).where(*where).values(changed=func.coalesce(latest, NEVER)))


def add_tags(
    tags: Iterable[str], *, rc_id: int | None = None, rev_id: int | None = None, log_id: int | None = None
) -> None:
    """Tag a change (its rc row, revision and/or log entry), defining software tags on first use."""
    names = list(dict.fromkeys(t for t in tags if t))
    if not names:
        return
    known = set(db.session.scalars(select(ChangeTagDef.name).where(ChangeTagDef.name.in_(names))))
    for name in names:
        if name not in known:
            db.session.add(ChangeTagDef(name=name, user_defined=False, active=True))
        db.session.add(ChangeTag(tag=name, rc_id=rc_id, rev_id=rev_id, log_id=log_id))


def mark_bot_edits(user_ids: Iterable[int]) -> int:
    """Flag the edits of these accounts as bot edits (as rebuildrecentchanges.php does for the
    accounts that are bots now); answers how many rows; the caller commits."""
    ids = list(user_ids)
    if not ids:
        return 0
    done = db.session.execute(
        update(RecentChange).where(RecentChange.user_id.in_(ids), RecentChange.type != "log").values(bot=True)
    )
    return int(getattr(done, "rowcount", 0) or 0)


def cutoff(max_age_days: int, now: datetime) -> datetime | None:
    """The oldest time a row may have ($wgRCMaxAge); None when rows are kept forever (0 days)."""
    return now - timedelta(days=max_age_days) if max_age_days > 0 else None


def purge(before: datetime | None, limit: int = PURGE_BATCH) -> int:
    """Delete the oldest rows older than `before`, at most `limit` (MediaWiki's purge of rows past
    $wgRCMaxAge); answers how many; the caller commits. The tags stay on their revision or log entry."""
    if before is None:
        return 0
    ids = list(
        db.session.scalars(
            select(RecentChange.id)
            .where(RecentChange.timestamp < before)
            .order_by(RecentChange.timestamp, RecentChange.id)
            .limit(limit)
        )
    )
    if not ids:
        return 0
    db.session.execute(
        delete(ChangeTag).where(
            ChangeTag.rc_id.in_(ids), ChangeTag.rev_id.is_(None), ChangeTag.log_id.is_(None)
        )
    )
    db.session.execute(update(ChangeTag).where(ChangeTag.rc_id.in_(ids)).values(rc_id=None))
    db.session.execute(delete(RecentChange).where(RecentChange.id.in_(ids)))
    return len(ids)


def rebuild(batch: int = 5000, since: datetime | None = None) -> int:
    """Refill the table from the revisions and the log (`flask rebuild-recentchanges`); returns rows.
    Changes older than `since` (the max age) are not listed again.

    Rebuilt rows are marked autopatrolled and not bot edits: who was a bot then is not recorded.
    Null revisions (a move's, same text as their parent) are left out, as MediaWiki never lists them."""
    parent = aliased(Revision)
    edits = (
        select(
            Revision.timestamp,
            literal("edit").label("type"),
            Page.namespace,
            Page.title,
            Page.id.label("page_id"),
            Revision.id.label("rev_id"),
            Revision.parent_id.label("old_rev_id"),
            null().label("log_id"),
            null().label("log_type"),
            null().label("log_action"),
            Revision.user_id,
            Revision.user_text,
            Revision.comment,
            Revision.minor,
            Revision.size.label("new_len"),
            parent.size.label("old_len"),
            Revision.deleted,
        )
        .join(Page, Page.id == Revision.page_id)
        .outerjoin(parent, parent.id == Revision.parent_id)
        .where(or_(parent.id.is_(None), parent.sha1 != Revision.sha1))
    )
    if since is not None:
        edits = edits.where(Revision.timestamp >= since)
    logged_rows = select(
        LogEntry.timestamp,
        literal("log"),
        LogEntry.namespace,
        LogEntry.title,
        LogEntry.page_id,
        null(),
        null(),
        LogEntry.id,
        LogEntry.type,
        LogEntry.action,
        LogEntry.user_id,
        LogEntry.user_text,
        LogEntry.comment,
        false(),
        null(),
        null(),
        LogEntry.deleted,
    ).where(
        # Published without a recent-changes row: patrol and page creation entries, and the
        # suppression log (restricted to suppressors, as MediaWiki never publishes it).
        LogEntry.type.not_in(("patrol", "create", "suppress"))
    )
    if since is not None:
        logged_rows = logged_rows.where(LogEntry.timestamp >= since)
    both = union_all(edits, logged_rows).subquery()
    db.session.execute(delete(RecentChange))
    table, rows, pending = RecentChange.__table__, 0, []
    for row in db.session.execute(select(both).order_by(both.c.timestamp, both.c.rev_id, both.c.log_id)):
        kind = "log" if row.type == "log" else "edit" if row.old_rev_id else "new"
        pending.append(
            {
                "timestamp": row.timestamp,
                "type": kind,
                "namespace": row.namespace,
                "title": row.title,
                "page_id": row.page_id,
                "rev_id": row.rev_id,
                "old_rev_id": row.old_rev_id,
                "log_id": row.log_id,
                "log_type": row.log_type,
                "log_action": row.log_action,
                "user_id": row.user_id,
                "user_text": row.user_text,
                "comment": row.comment,
                "minor": bool(row.minor) and kind == "edit",
                "bot": False,
                "patrolled": AUTOPATROLLED,
                "old_len": None if kind == "log" else row.old_len or 0,
                "new_len": row.new_len,
                "deleted": row.deleted or 0,
            }
        )
        if len(pending) >= batch:
            db.session.execute(insert(table), pending)
            rows, pending = rows + len(pending), []
    if pending:
        db.session.execute(insert(table), pending)
        rows += len(pending)
    refresh_watch_times()
    db.session.commit()
    return rows
