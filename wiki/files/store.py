"""Where the bytes of uploaded files live, behind one small interface.

`LocalStore` keeps them in a folder (WIKI_UPLOAD_DIR) under MediaWiki's layout: originals at
`a/ab/Name.jpg`, older versions at `archive/a/ab/20261206101500!Name.jpg`, deleted ones at
`deleted/<sha1>.ext`. `DatabaseStore` keeps them as 1 MiB chunks in the `file_chunk` table of the
wiki's database (PostgreSQL when several app hosts serve one wiki), written in the caller's
transaction and read one chunk at a time: no file is ever held whole in memory by either store.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, func, insert, select, text

from wiki.extensions import db
from wiki.models import FileChunk

CHUNK = 1024 * 1024


class BadKey(ValueError):
    """A storage key that would leave the store (absolute, '..', empty parts)."""


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts) or "\x00" in key:
        raise BadKey(f"bad storage key: {key!r}")
    return key


def staging_key(extension: str) -> str:
    """A fresh key for bytes not yet committed (an upload in progress)."""
    return f"temp/{uuid.uuid4().hex}.{extension}"


class Readable(Protocol):
    """What a store reads bytes from: an open file, an upload's stream."""

    def read(self, size: int = -1, /) -> bytes: ...


class Store(Protocol):
    def put(self, key: str, source: Readable) -> int:
        """Write the stream under `key` (replacing what was there); returns the bytes written."""

    def chunks(self, key: str) -> Iterator[bytes]:
        """The bytes under `key`, a chunk at a time (FileNotFoundError when missing)."""

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def copy(self, src: str, dst: str) -> None:
        """Copy `src` to `dst` (replacing it); the copy appears whole or not at all."""

    def delete(self, key: str) -> None:
        """Remove `key` if present."""


class LocalStore:
    """Files in a folder, each written to a temporary name and renamed into place."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, source: Readable) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".put-")
        written = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while block := source.read(CHUNK):
                    out.write(block)
                    written += len(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return written

    def chunks(self, key: str) -> Iterator[bytes]:
        with open(self.path(key), "rb") as handle:
            while block := handle.read(CHUNK):
                yield block

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def copy(self, src: str, dst: str) -> None:
        source, target = self.path(src), self.path(dst)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".copy-{uuid.uuid4().hex}"
        try:
            os.link(source, tmp)  # same folder tree: a hard link costs nothing
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class DatabaseStore:
    """Files as chunks in the wiki's database; writes join the caller's transaction."""

    def put(self, key: str, source: Readable) -> int:
        self.delete(check_key(key))
        connection = db.session.connection()
        written, seq = 0, 0
        while block := source.read(CHUNK):
            connection.execute(insert(FileChunk.__table__).values(key=key, seq=seq, data=block))
            written += len(block)
            seq += 1
        return written

    def chunks(self, key: str) -> Iterator[bytes]:
        # Its own connection: a response streams after the request's session has ended.
        with db.engine.connect() as connection:
            seq = 0
            while True:
                block = connection.scalar(
                    select(FileChunk.data).where(FileChunk.key == key, FileChunk.seq == seq)
                )
                if block is None:
                    if seq == 0:
                        raise FileNotFoundError(key)
                    return
                yield bytes(block)
                seq += 1

    def exists(self, key: str) -> bool:
        found = db.session.scalar(select(FileChunk.seq).where(FileChunk.key == key, FileChunk.seq == 0))
        return found is not None

    def size(self, key: str) -> int:
        total = db.session.scalar(select(func.sum(func.length(FileChunk.data))).where(FileChunk.key == key))
        if total is None:
            raise FileNotFoundError(key)
        return int(total)

    def copy(self, src: str, dst: str) -> None:
        self.delete(check_key(dst))
        # Copied inside the database: the bytes never pass through this process.
        db.session.execute(
            text(
                "INSERT INTO file_chunk (key, seq, data) "
                "SELECT :dst, seq, data FROM file_chunk WHERE key = :src"
            ),
            {"src": src, "dst": dst},
        )

    def delete(self, key: str) -> None:
        db.session.execute(delete(FileChunk).where(FileChunk.key == key))


def current() -> Store:
    """The store the configuration names (WIKI_FILE_STORE: "local" or "database")."""
    kind = current_app.config["WIKI_FILE_STORE"]
    if kind == "database":
        return DatabaseStore()
    if kind != "local":
        raise ValueError(f'WIKI_FILE_STORE is "{kind}"; use "local" or "database".')
    return LocalStore(current_app.config["WIKI_UPLOAD_DIR"])


@contextmanager
def local_copy(store: Store, key: str, suffix: str = "") -> Iterator[Path]:
    """A path to the bytes on local disk (the file itself for a LocalStore, else a temporary copy)."""
    if isinstance(store, LocalStore):
        yield store.path(key)
        return
    fd, tmp = tempfile.mkstemp(suffix=suffix, prefix="wiki-file-")
    try:
        with os.fdopen(fd, "wb") as out:
            for block in store.chunks(key):
                out.write(block)
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
