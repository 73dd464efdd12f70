"""Saving a page: merge on conflict, render outside the write lock, then one short transaction.

A save reads the page and decides the text to store (merging with edits made since the editor's
base revision), renders it, and only then opens the write transaction (`locks.begin_write`). In
it, the page row is read again under the lock: if it is no longer the one the text was prepared
for (an edit, move, deletion or undeletion got in first), nothing is written and the save starts
over against the new state. The revision row, page.latest (compare-and-swap), the links tables,
the parser cache, the dependants' invalidation and a search-outbox row then commit together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from wiki import diffs, logs, recent, titles
from wiki.extensions import db
from wiki.models import LogEntry, Page, Revision, utcnow
from wiki.pages import autotags, derive, locks, reads, revisions, watchlist

log = logging.getLogger(__name__)
SAVE_ATTEMPTS = 6
LOCK_FIRST_AFTER = 2


class TextTooLong(ValueError):
    """The text is over the configured limit (MediaWiki's $wgMaxArticleSize)."""


@dataclass
class SaveResult:
    status: str  # "created" | "saved" | "merged" | "nochange" | "conflict" | "deleted"
    page: Page | None = None
    revision: Revision | None = None
    current_text: str | None = None  # on conflict: the latest text the user must merge with
    current_rev_id: int | None = None
    deletion: LogEntry | None = None  # "deleted": the deletion made after the editor started

    @property
    def ok(self) -> bool:
        return self.status not in ("conflict", "deleted")


@dataclass
class _Plan:
    """What a save will write, decided from the page as it was read before the lock."""

    page_id: int | None
    latest: int | None
    text: str
    status: str
    old_text: str | None = None  # the current text the new one replaces (None: a new page)


def normalise_text(text: str) -> str:
    """What MediaWiki stores: Unix newlines, no trailing whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip()


def _manual_revert(page: Page, rev: Revision, tags: tuple[str, ...]) -> tuple[str, ...]:
    """("mw-manual-revert",) when the edit restores the text of one of the page's previous
    MANUAL_REVERT_RADIUS revisions and is not a rollback or undo (MediaWiki's detectManualRevert)."""
    if rev.parent_id is None or "mw-rollback" in tags or "mw-undo" in tags:
        return ()
    recent_sha1s = db.session.scalars(
        db.select(Revision.sha1)
        .where(Revision.page_id == page.id, Revision.id < rev.id)
        .order_by(Revision.id.desc())
        .limit(autotags.MANUAL_REVERT_RADIUS)
    )
    return ("mw-manual-revert",) if rev.sha1 in set(recent_sha1s) else ()


def save(
    title: titles.Title,
    text: str,
    *,
    actor: revisions.Actor,
    summary: str = "",
    minor: bool = False,
    base_rev_id: int | None = None,
    timestamp: datetime | None = None,
    started: datetime | None = None,
    flags: recent.Flags = recent.PLAIN,
    merge: bool = True,
    also: Callable[[Page, Revision], None] | None = None,
) -> SaveResult:
    """Save `text` as the new revision of `title`, merging or refusing if the page moved on.

    `merge=False`: a page that moved on past `base_rev_id` is a conflict, never merged (rollback).
    `also`: more writes made in the save's transaction, given the page and the new revision.
    `flags`: how the edit is marked in recent changes (bot, autopatrolled, tags), decided by the caller.
    `started`: when the editor loaded the page; if the page was deleted since, nothing is saved
    (status "deleted", MediaWiki's "deleted while you were editing") until they confirm (None).
    """
    text = normalise_text(text)
    limit = current_app.config["WIKI_MAX_TEXT_BYTES"]
    if len(text.encode("utf-8")) > limit:
        raise TextTooLong(f"The text is {len(text.encode('utf-8')):,} bytes; the limit is {limit:,} bytes.")
    for attempt in range(SAVE_ATTEMPTS):
        # After losing the race twice, read and render under the lock: slower for others, but
        # this save then cannot lose again (no editor starves on a busy page).
        locked = attempt >= LOCK_FIRST_AFTER
        if locked:
            locks.begin_write([locks.key(title)])
        page = locks.page_for_update(title) if locked else reads.get(title)
        outcome = _plan(page, text, base_rev_id, merge)
        if isinstance(outcome, SaveResult):
            if locked:  # nothing to write: release the lock, keep the rows the answer shows
                for row in (outcome.page, outcome.revision):
                    if row is not None:
                        db.session.expunge(row)
                db.session.rollback()
            return outcome
        stamp = timestamp or utcnow()
        prepared = derive.prepare(title, outcome.text, stamp)
        try:
            result = _write(title, outcome, prepared, actor, summary, minor, started, flags, also)
        except (IntegrityError, OperationalError) as exc:
            # Another writer changed the page between the read and the lock (or SQLite was busy
            # beyond its timeout): redo against the new state.
            db.session.rollback()
            log.info("save of %s retried (%s): %s", title, attempt, exc.__class__.__name__)
            continue
        if result.ok and result.page is not None:  # a written save always has its page
            derive.after_commit([result.page.id])
        return result
    raise RuntimeError(f"Could not save {title} after {SAVE_ATTEMPTS} attempts")


def _plan(page: Page | None, text: str, base_rev_id: int | None, merge: bool = True) -> _Plan | SaveResult:
    """The text to store (merged with edits since `base_rev_id`), or the answer without a write."""
    current = reads.latest(page) if page is not None and page.latest else None
    if page is None or current is None:
        page_id = page.id if page is not None else None
        return _Plan(page_id, None, text, "created" if page is None else "saved")
    status = "saved"
    if base_rev_id != current.id:
        if not merge:
            return SaveResult("conflict", page, None, current.text, current.id)
        base = db.session.get(Revision, base_rev_id) if base_rev_id else None
        base_text = base.text if base is not None and base.page_id == page.id else ""
        merged = diffs.merge3(base_text, text, current.text) if base is not None else None
        if merged is None and text != current.text:
            return SaveResult("conflict", page, None, current.text, current.id)
        text, status = (merged if merged is not None else text), "merged"
    if text == current.text:
        return SaveResult("nochange", page, current)
    return _Plan(page.id, current.id, text, status, current.text)


class _Moved(IntegrityError):
    def __init__(self) -> None:
        super().__init__("the page changed before the write lock", None, Exception("stale plan"))


def _write(
    title: titles.Title,
    plan: _Plan,
    prepared: derive.Prepared,
    actor: revisions.Actor,
    summary: str,
    minor: bool,
    started: datetime | None,
    flags: recent.Flags,
    also: Callable[[Page, Revision], None] | None,
) -> SaveResult:
    locks.begin_write([locks.key(title)])
    page = locks.page_for_update(title)
    if (page.id if page else None, page.latest if page else None) != (plan.page_id, plan.latest):
        raise _Moved()
    if page is None and started is not None:
        # Checked under the lock: a deletion cannot slip in between the check and the save.
        deleted = reads.deletion_since(title, started)
        if deleted is not None:
            db.session.rollback()
            return SaveResult("deleted", deletion=deleted)
    created = page is None
    if page is None:
        page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
        db.session.add(page)
        db.session.flush()
    old_len, old_rev_id = page.length, page.latest
    rev = revisions.make(
        page, plan.text, actor, comment=summary, minor=minor and not created, timestamp=prepared.timestamp
    )
    recent.edit(
        timestamp=rev.timestamp,
        namespace=page.namespace,
        title=page.title,
        page_id=page.id,
        rev_id=rev.id,
        old_rev_id=old_rev_id,
        user_id=actor.user_id,
        user_text=actor.name,
        comment=rev.comment,
        minor=rev.minor,
        old_len=old_len,
        new_len=rev.size,
        flags=replace(
            flags,
            tags=flags.tags
            + autotags.for_edit(plan.old_text, plan.text)
            + _manual_revert(page, rev, flags.tags),
        ),
    )
    # MediaWiki purges rows past $wgRCMaxAge in a job after edits; a bounded delete in the save's own
    # transaction costs one index probe when nothing is due and adds no commit.
    recent.purge(recent.cutoff(current_app.config["WIKI_RC_MAX_AGE_DAYS"], utcnow()))
    watchlist.notify(page.namespace, page.title, actor.user_id, rev.timestamp)
    derive.derive(page, title, rev, created=created, prepared=prepared)
    if also is not None:
        also(page, rev)
    if created:  # MediaWiki's page creation log (letype=create), in the save's transaction
        entry = logs.record(
            "create",
            "create",
            namespace=title.namespace,
            title=title.dbkey,
            actor=actor,
            comment=summary,
            page_id=page.id,
            rc=False,  # the creation edit is in recent changes already (MediaWiki publishes it to udp only)
        )
        entry.timestamp = prepared.timestamp
    # The caller answers with these rows as saved: detached, they are not reloaded after commit
    # (by then a deletion may have archived them).
    db.session.flush()
    db.session.expunge(rev)
    db.session.expunge(page)
    db.session.commit()
    return SaveResult("created" if created else plan.status, page, rev)
