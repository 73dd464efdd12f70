"""The write lock every writer of page state takes first, so saves, moves, deletions, undeletions
and imports of one title happen one after the other, never interleaved.

On SQLite the whole database has one writer: `BEGIN IMMEDIATE` takes its write lock before the
writer reads anything, so what it reads cannot change before it commits. On PostgreSQL each title
gets a transaction-scoped advisory lock (a title that does not exist yet has no row to lock), taken
in one order so two writers of the same titles cannot deadlock, and the page row itself is read
`FOR UPDATE`. Everything is released by the commit or rollback that ends the transaction.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from wiki import titles
from wiki.extensions import db
from wiki.models import Page

log = logging.getLogger(__name__)
TitleKey = tuple[int, str]
T = TypeVar("T")
ATTEMPTS = 4


def key(title: titles.Title) -> TitleKey:
    return (title.namespace, title.dbkey)


def begin_write(keys: Iterable[TitleKey]) -> None:
    """Start (or join) the write transaction that owns these titles until it ends."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # pysqlite opens a transaction only before the first INSERT/UPDATE/DELETE: when one is
        # open, this connection already holds SQLite's write lock.
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection in use always has its DB-API connection
        if not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    for namespace, dbkey in sorted(set(keys)):
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_id(namespace, dbkey)})


def lock_id(namespace: int, dbkey: str) -> int:
    digest = hashlib.blake2b(f"{namespace}:{dbkey}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def page_for_update(title: titles.Title) -> Page | None:
    """The page at `title` as it is now, its row locked until commit (call `begin_write` first)."""
    return db.session.execute(
        select(Page)
        .where(Page.namespace == title.namespace, Page.title == title.dbkey)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def write(keys: Iterable[TitleKey], work: Callable[[], T], *, what: str, give_up: Exception) -> T:
    """Run `work` in a write transaction that holds these titles, and commit.

    A transient failure (SQLite busy beyond its timeout, a deadlock PostgreSQL broke, a conflict
    the last guards caught) rolls back and runs `work` again; any other exception rolls back and
    propagates. After ATTEMPTS failures `give_up` is raised."""
    keys = list(keys)
    for attempt in range(ATTEMPTS):
        try:
            begin_write(keys)
            result = work()
            db.session.commit()
            return result
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            log.info("%s retried (%s): %s", what, attempt, exc.__class__.__name__)
        except Exception:
            db.session.rollback()
            raise
    raise give_up
