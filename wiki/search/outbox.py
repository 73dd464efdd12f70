"""Applying the search outbox: the rows a save committed with its revision, to the index.

The database is the truth. A save commits its revision and a SearchOutbox row together; this
module applies pending rows and deletes them only after the index commit, so a crash, a lock
held elsewhere or a killed worker delays an update and never loses it (the rows wait for the
next drain). One process writes at a time: the drainer takes the index's writer lock without
waiting; whoever holds it drains everything pending, so a busy lock never fails a save.
Re-applying a row is harmless: a page's document is rebuilt from its latest revision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import delete

from wiki.extensions import db
from wiki.models import SearchOutbox
from wiki.search import documents
from wiki.search.base import Document, SearchIndex

BATCH = 200
BULK_COMMIT_ROWS = 25_000  # a bulk catch-up commits (and deletes its rows) this often
Writer = Callable[[Sequence[Document], Iterable[int]], None]


def pending() -> bool:
    found = db.session.execute(db.select(SearchOutbox.id).limit(1)).first() is not None
    db.session.rollback()  # end the read transaction: a worker must not pin an old snapshot
    return found


def apply_pages(index: SearchIndex, page_ids: Iterable[int], write: Writer | None = None) -> None:
    """Bring these pages' documents (and the redirect targets they touch) up to date, through
    `write` (a bulk writer's) or else in one index commit."""
    ids = set(page_ids)
    docs, gone = documents.for_pages(ids)
    before = index.indexed(ids)
    related = documents.related_pages(docs, before) - ids
    if related:
        more, _gone = documents.for_pages(related)
        docs.extend(more)
    # End the read transaction before the slow index commit: SQLite cannot turn a snapshot that
    # a save has overtaken into the write transaction that deletes the applied rows.
    db.session.rollback()
    (write or index.update)(docs, gone)


def drain(index: SearchIndex, *, wait: bool = False, batch: int = BATCH) -> int | None:
    """Apply every pending row, `batch` rows per index commit; the number applied, or None when
    another process is the writer."""
    with index.exclusive(wait=wait) as held:
        if not held:
            return None
        done = 0
        while True:
            rows = db.session.execute(
                db.select(SearchOutbox.id, SearchOutbox.page_id).order_by(SearchOutbox.id).limit(batch)
            ).all()
            if not rows:
                db.session.rollback()
                return done
            apply_pages(index, {page_id for _id, page_id in rows})
            done_ids = [row_id for row_id, _page in rows]
            db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(done_ids)))
            db.session.commit()
            done += len(rows)


def follow(index: SearchIndex, stopping: Callable[[], bool], idle: Callable[[float], object]) -> int:
    """Apply rows as they are committed, through one bulk writer, until `stopping()` is true and
    none are left (an import's catch-up on another core); the number applied. Rows are deleted
    only after the commit that holds them, so a failure leaves them for the next drain."""
    done, last = 0, 0
    held: list[int] = []
    with index.exclusive(wait=True), index.bulk() as bulk:
        while True:
            final = stopping()  # read before the rows: everything committed before stopping is seen
            rows = db.session.execute(
                db.select(SearchOutbox.id, SearchOutbox.page_id)
                .where(SearchOutbox.id > last)
                .order_by(SearchOutbox.id)
                .limit(BATCH * 5)
            ).all()
            if rows:
                apply_pages(index, {page_id for _id, page_id in rows}, bulk.write)
                held.extend(row_id for row_id, _page in rows)
                last = rows[-1][0]
                if len(held) >= BULK_COMMIT_ROWS:
                    bulk.commit()
                    done, held = done + _delete(held), []
            else:
                db.session.rollback()
                if final:
                    break
                idle(0.2)
        bulk.commit()
        done += _delete(held)
    return done


def _delete(row_ids: list[int]) -> int:
    for start in range(0, len(row_ids), 1000):
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(row_ids[start : start + 1000])))
    db.session.commit()
    return len(row_ids)
