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
from collections.abc import Iterable

from sqlalchemy import select, text

from wiki import titles
from wiki.extensions import db
from wiki.models import Page

TitleKey = tuple[int, str]


def key(title: titles.Title) -> TitleKey:
    return (title.namespace, title.dbkey)


def begin_write(keys: Iterable[TitleKey]) -> None:
    """Start (or join) the write transaction that owns these titles until it ends."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        # pysqlite opens a transaction only before the first INSERT/UPDATE/DELETE: when one is
        # open, this connection already holds SQLite's write lock.
        if not connection.connection.driver_connection.in_transaction:
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
