"""Log entry deletion (MediaWiki's RevisionDelete of type=logging): hide the action and target, the
summary and/or the performer of log entries, and who may still see them.

`log_entry.deleted` is MediaWiki's log_deleted, with revision deletion's bit layout; the entry's
recentchange row keeps its own copy of the summary and performer, so its `deleted` changes with it,
in the same transaction as the `delete/event` (or `suppress/event`) log entry. Who may see a hidden
part is `can_see`, MediaWiki's LogEventsList::userCanBitfield; readers hand it the reader's rights.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select, update

from wiki import logs
from wiki.extensions import db
from wiki.models import LogEntry, RecentChange
from wiki.pages import locks, revdelete, revisions

ACTION, COMMENT, USER, RESTRICTED = 1, 2, 4, 8
# The API's names of the parts (hide=, show=): "content" is the action and target of a log entry.
FIELDS: dict[str, int] = {"content": ACTION, "comment": COMMENT, "user": USER}
# What a reader without the right sees instead (MediaWiki's rev-deleted-* messages).
REMOVED = {ACTION: "(log details removed)", COMMENT: "(edit summary removed)", USER: "(username removed)"}
MAX_IDS = 500  # log entries changed by one request (the API's multi-value limit for sysops)


def can_see(bits: int, part: int, rights: Collection[str]) -> bool:
    """Whether a holder of `rights` may see `part` (ACTION, COMMENT or USER, or RESTRICTED: the
    entry itself when suppressed) of a log entry with these deletion bits: suppressed parts need
    suppressrevision or viewsuppressed, hidden ones deletedhistory."""
    if not bits & part:
        return True
    if bits & RESTRICTED:
        return "suppressrevision" in rights or "viewsuppressed" in rights
    return "deletedhistory" in rights


def public(bits: int, part: int) -> bool:
    """Whether `part` is shown to everyone (feeds, and notices shared by all readers)."""
    return not bits & part


def hidden_mask(part: int, rights: Collection[str]) -> int | None:
    """The bits that, all set, leave an entry out of a list filtered by this part (its performer,
    its target or namespace) for this reader, so nobody finds a hidden name by searching for it
    (MediaWiki's LogPager and ApiQueryLogEvents): `part` without deletedhistory, `part|RESTRICTED`
    without the suppression rights, None for suppressors."""
    if "suppressrevision" in rights or "viewsuppressed" in rights:
        return None
    return part | RESTRICTED if "deletedhistory" in rights else part


def _numeric(ids: Iterable[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit() and len(i) < 12]


def entries_of(ids: Iterable[str], rights: Collection[str]) -> list[LogEntry]:
    """The log entries among these ids that the reader may know of (not of a log restricted from
    them, such as the suppression log), newest first."""
    numeric = _numeric(ids)[:MAX_IDS]
    if not numeric:
        return []
    query = select(LogEntry).where(LogEntry.id.in_(numeric))
    hidden = logs.hidden_types(list(rights))
    if hidden:
        query = query.where(LogEntry.type.not_in(hidden))
    return list(db.session.scalars(query.order_by(LogEntry.timestamp.desc(), LogEntry.id.desc())))


def target_of(entries: Iterable[LogEntry]) -> str:
    """The page MediaWiki names the change after: Special:Log/TYPE when every entry is of one log,
    else Special:Log (RevDelLogList::suggestTarget)."""
    kinds = {entry.type for entry in entries}
    return f"Special:Log/{kinds.pop()}" if len(kinds) == 1 else "Special:Log"


@dataclass
class LogItem(revdelete.ItemStatus):
    """A requested log entry."""

    entry: LogEntry | None = None


@dataclass
class LogOutcome:
    """What `change` did: the target named in the log, each item, the log entry (None: no change)."""

    target: str
    items: list[LogItem]
    log_id: int | None = None


def _refusal(old: int, new: int, rights: Collection[str]) -> tuple[str, str] | None:
    """Why this entry's bits may not go from `old` to `new` ((kind, message key)), or None."""
    if old == new:
        return ("warning", "revdelete-no-change")
    if not can_see(old, RESTRICTED, rights):
        return ("error", "revdelete-show-no-access" if new == 0 else "revdelete-modify-no-access")
    if new == RESTRICTED:
        return ("warning", "revdelete-only-restricted")
    return None


def _plan(
    wanted: list[str], rows: Mapping[int, LogEntry], value: Mapping[int, int], rights: Collection[str]
) -> tuple[list[LogItem], list[tuple[LogEntry, int, int]]]:
    """Each requested id as an item, and the entries to change with their old and new bits."""
    items: list[LogItem] = []
    changed: list[tuple[LogEntry, int, int]] = []
    for raw in wanted:
        numeric = raw.isdigit() and len(raw) < 12
        entry = rows.get(int(raw)) if numeric else None
        item = LogItem(int(raw) if numeric else raw, entry=entry)
        items.append(item)
        if entry is None:
            item.errors.append(("revdelete-modify-missing", [item.id]))
            continue
        old = entry.deleted or 0
        new = revdelete.new_bits(old, value)
        refused = _refusal(old, new, rights)
        if refused is None:
            changed.append((entry, old, new))
            continue
        kind, key = refused
        (item.errors if kind == "error" else item.warnings).append((key, revdelete.stamp(entry.timestamp)))
    return items, changed


def change(
    ids: list[str],
    value: Mapping[int, int],
    *,
    actor: revisions.Actor,
    rights: Collection[str],
    reason: str = "",
) -> LogOutcome:
    """Set the deletion bits of these log entries (bit -> 1 set, 0 clear, -1 keep), of their
    recent-changes rows, and log it, in one transaction; items that cannot change say why."""
    wanted = list(dict.fromkeys(i for i in ids if i))[:MAX_IDS]

    def work() -> LogOutcome:
        numeric = _numeric(wanted)
        rows: dict[int, LogEntry] = {}
        if numeric:
            query = select(LogEntry).where(LogEntry.id.in_(numeric))
            hidden = logs.hidden_types(list(rights))
            if hidden:  # an entry of a log the actor may not read is "missing", not described
                query = query.where(LogEntry.type.not_in(hidden))
            locked = query.with_for_update().execution_options(populate_existing=True)
            rows = {e.id: e for e in db.session.scalars(locked)}
        items, changed = _plan(wanted, rows, value, rights)
        target = target_of(e for e in (item.entry for item in items) if e is not None)
        if not changed:
            return LogOutcome(target, items)
        added = removed = 0
        for entry, old, new in changed:
            db.session.execute(update(LogEntry).where(LogEntry.id == entry.id).values(deleted=new))
            db.session.execute(
                update(RecentChange).where(RecentChange.log_id == entry.id).values(deleted=new)
            )
            entry.deleted = new
            added |= (old ^ new) & new
            removed |= (old ^ new) & old
        suppressed = any((old | new) & RESTRICTED for _entry, old, new in changed)
        logged = logs.record(
            "suppress" if suppressed else "delete",
            "event",
            namespace=-1,
            title=target.removeprefix("Special:").replace(" ", "_"),
            actor=actor,
            comment=reason,
            params={"ids": [entry.id for entry, _old, _new in changed], "ofield": removed, "nfield": added},
            rc=not suppressed,
        )
        db.session.flush()
        return LogOutcome(target, items, logged.id)

    return locks.write(
        [],
        work,
        what="log entry deletion",
        give_up=revdelete.RevDelError(
            "revdelete-concurrent-change", "Other changes got in the way; try again."
        ),
    )
