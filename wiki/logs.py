"""The log of page and user actions (moves, deletions, protections, blocks): Special:Log's table."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased

from wiki import recent
from wiki.extensions import db
from wiki.models import LogEntry


def record(
    type_: str,
    action: str,
    *,
    namespace: int,
    title: str,
    actor,
    comment: str = "",
    page_id: int | None = None,
    params: dict | None = None,
    rc: bool = True,
) -> LogEntry:
    """Add a log entry (in the caller's transaction); `title` is a dbkey, `actor` a pages.Actor.

    With `rc` (as MediaWiki publishes most log entries) it also gets its recent-changes row, a bot
    action's when the actor says so (`actor.bot`); patrol entries are published without one."""
    entry = LogEntry(
        type=type_,
        action=action,
        namespace=namespace,
        title=title,
        page_id=page_id,
        user_id=actor.user_id,
        user_text=actor.name,
        comment=comment[:767],
        params=json.dumps(params or {}),
    )
    db.session.add(entry)
    if rc:
        db.session.flush()
        recent.logged(entry, bot=bool(getattr(actor, "bot", False)))
    return entry


# Reading the log: Special:Log and list=logevents. -----------------------------------------------

# MediaWiki's log types, each with the name of its log and what it lists.
LOG_TYPES: dict[str, tuple[str, str]] = {
    "block": ("Block log", "Users and IP addresses blocked from editing, and blocks lifted."),
    "create": ("Page creation log", "Pages created by an edit (not by a move, an import or an undeletion)."),
    "delete": ("Deletion log", "Pages deleted, and deleted pages restored."),
    "managetags": ("Tag management log", "Change tags created, deleted, activated or deactivated."),
    "move": ("Move log", "Pages renamed: the old title, the new one, and whether a redirect was left."),
    "newusers": ("User creation log", "Accounts created on this wiki."),
    "patrol": ("Patrol log", "Changes marked as checked by patrollers."),
    "protect": ("Protection log", "Pages protected against editing or moving, and protections changed."),
    "renameuser": ("User rename log", "Accounts renamed (`flask rename-user`)."),
    "rights": ("User rights log", "Changes to the groups of users."),
    "suppress": ("Suppression log", "Revisions hidden from administrators too (suppressors only)."),
    "tag": ("Tag log", "Change tags added to or removed from single edits and log entries."),
    "upload": ("Upload log", "Files uploaded, and new versions of files (wiki.files)."),
    "spamblacklist": (
        "Spam blacklist log",
        "Saves refused because they added a link on MediaWiki:Spam-blacklist.",
    ),
    "titleblacklist": (
        "Title blacklist log",
        "Creations, moves and account names refused by MediaWiki:Titleblacklist.",
    ),
}
# Logs only some may read, as MediaWiki's $wgLogRestrictions: log type -> the right needed.
RESTRICTED: dict[str, str] = {
    "spamblacklist": "spamblacklistlog",
    "titleblacklist": "titleblacklistlog",
    "suppress": "suppressionlog",
}


def hidden_types(rights: list[str]) -> tuple[str, ...]:
    """The log types a holder of `rights` may not read."""
    return tuple(kind for kind, right in RESTRICTED.items() if right not in rights)


CURSOR = re.compile(r"^(\d{14})(?:\|(\d{1,10}))?$")


class BadCursor(ValueError):
    """An offset or continuation that is not "YYYYMMDDHHMMSS" or "YYYYMMDDHHMMSS|id"."""


@dataclass(frozen=True)
class Cursor:
    """A position in the log, as MediaWiki writes it: a timestamp, and the id of the entry there."""

    timestamp: datetime
    entry_id: int | None = None

    @classmethod
    def parse(cls, text: str) -> Cursor:
        match = CURSOR.match(text.strip())
        if match is None:
            raise BadCursor(
                f'"{text[:40]}" is not a log position: YYYYMMDDHHMMSS, or that, "|" and a log id.'
            )
        try:
            when = datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
        except ValueError:
            raise BadCursor(f'"{match.group(1)}" is not a valid date and time (YYYYMMDDHHMMSS).') from None
        return cls(when, int(match.group(2)) if match.group(2) else None)

    @classmethod
    def of(cls, entry: LogEntry) -> Cursor:
        return cls(entry.timestamp, entry.id)

    def __str__(self) -> str:
        stamp = self.timestamp.strftime("%Y%m%d%H%M%S")
        return stamp if self.entry_id is None else f"{stamp}|{self.entry_id}"


@dataclass(frozen=True)
class LogFilter:
    types: tuple[str, ...] = ()
    actions: tuple[tuple[str, str], ...] = ()  # (type, action) pairs
    user: str | None = None  # the performer's name, as stored (spaces, not underscores)
    target: tuple[int, str] | None = None  # (namespace, dbkey)
    namespace: int | None = None
    start: datetime | None = None  # newest timestamp wanted
    end: datetime | None = None  # oldest timestamp wanted
    hidden: tuple[str, ...] = ()  # types the reader may not see (RESTRICTED)
    # With `user` / with `target` or `namespace`: leave out entries whose performer / action is
    # hidden from the reader (these bits all set; wiki.pages.logdelete.hidden_mask).
    hidden_user_mask: int | None = None
    hidden_action_mask: int | None = None


@dataclass
class LogWindow:
    """Entries newest first; whether more exist beyond each end of the window."""

    entries: list[LogEntry] = field(default_factory=list)
    more_newer: bool = False
    more_older: bool = False


def window(where: LogFilter, *, limit: int, cursor: Cursor | None = None, newer: bool = False) -> LogWindow:
    """Up to `limit` entries older than `cursor` (newer ones with `newer`), in one query.

    As MediaWiki's pager: `newer` without a cursor starts at the oldest entries; the window is
    always returned newest first."""
    query = db.select(LogEntry)
    if where.types:
        query = query.where(LogEntry.type.in_(where.types))
    if where.hidden:
        query = query.where(LogEntry.type.not_in(where.hidden))
    if where.actions:
        query = query.where(or_(*(and_(LogEntry.type == t, LogEntry.action == a) for t, a in where.actions)))
    if where.user is not None:
        query = query.where(LogEntry.user_text == where.user)
        if where.hidden_user_mask:
            query = query.where(_not_all(where.hidden_user_mask))
    if where.target is not None:
        query = query.where(LogEntry.namespace == where.target[0], LogEntry.title == where.target[1])
    elif where.namespace is not None:
        query = query.where(LogEntry.namespace == where.namespace)
    if where.hidden_action_mask and (where.target is not None or where.namespace is not None):
        query = query.where(_not_all(where.hidden_action_mask))
    if where.start is not None:
        query = query.where(LogEntry.timestamp <= where.start)
    if where.end is not None:
        query = query.where(LogEntry.timestamp >= where.end)
    if cursor is not None:
        query = query.where(_beyond(cursor, newer))
    order = (LogEntry.timestamp, LogEntry.id) if newer else (LogEntry.timestamp.desc(), LogEntry.id.desc())
    rows = list(db.session.scalars(query.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    if newer:
        rows.reverse()
        return LogWindow(rows, more_newer=more, more_older=cursor is not None)
    return LogWindow(rows, more_newer=cursor is not None, more_older=more)


def _not_all(mask: int):
    """Entries whose deletion bits do not include all of `mask`."""
    return LogEntry.deleted.op("&")(mask) != mask


def _beyond(cursor: Cursor, newer: bool):
    """Entries strictly past the cursor, in (timestamp, id) order."""
    if cursor.entry_id is None:
        return LogEntry.timestamp > cursor.timestamp if newer else LogEntry.timestamp < cursor.timestamp
    # Stored timestamps have microseconds, the cursor only seconds: the entry it names gives the
    # exact time (a subquery of the same statement), the cursor's own time when that entry is gone.
    named = aliased(LogEntry)  # not correlated with the outer rows
    exact = db.select(named.timestamp).where(named.id == cursor.entry_id).scalar_subquery()
    anchor = func.coalesce(exact, cursor.timestamp)
    if newer:
        return or_(
            LogEntry.timestamp > anchor, and_(LogEntry.timestamp == anchor, LogEntry.id > cursor.entry_id)
        )
    return or_(LogEntry.timestamp < anchor, and_(LogEntry.timestamp == anchor, LogEntry.id < cursor.entry_id))


def params_of(entry: LogEntry) -> dict:
    """The entry's details (the move target, the protection levels, the block expiry, ...)."""
    try:
        value = json.loads(entry.params or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
