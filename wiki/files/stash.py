"""Uploads kept aside while their uploader answers a warning (MediaWiki's upload stash).

A stashed file sits under stash/ in WIKI_UPLOAD_DIR named by its owner's id and a random key;
only that user can take it back. Files older than a day are removed when another is stashed.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

from flask import current_app

from wiki.files.store import Readable

MAX_AGE = 24 * 3600
KEY = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{1,8}$")


def _folder() -> Path:
    folder = Path(current_app.config["WIKI_UPLOAD_DIR"]) / "stash"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(path: Path, owner: int, extension: str) -> str:
    """Copy the file at `path` into the stash; returns its key."""
    folder = _folder()
    cutoff = time.time() - MAX_AGE
    for old in folder.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    key = f"{secrets.token_hex(16)}.{extension}"
    shutil.copyfile(path, folder / f"{owner}-{key}")
    return key


def find(key: str, owner: int) -> Path | None:
    """The stashed file with this key if `owner` stashed it."""
    if not KEY.match(key or ""):
        return None
    path = _folder() / f"{owner}-{key}"
    return path if path.is_file() else None


def drop(key: str, owner: int) -> None:
    path = find(key, owner)
    if path is not None:
        path.unlink(missing_ok=True)


def create(owner: int, extension: str) -> str:
    """An empty stashed file to fill chunk by chunk (a chunked upload); returns its key."""
    key = f"{secrets.token_hex(16)}.{extension}"
    (_folder() / f"{owner}-{key}").touch()
    return key


class BadOffset(ValueError):
    """A chunk that does not start where the stashed file ends."""


def append(key: str, owner: int, offset: int, source: Readable, limit: int) -> int:
    """Add a chunk at `offset` (which must be the stashed size); returns the new size."""
    path = find(key, owner)
    if path is None:
        raise FileNotFoundError(key)
    size = path.stat().st_size
    if offset != size:
        raise BadOffset(f"The chunk starts at byte {offset}, but {size} bytes have arrived.")
    with open(path, "ab") as out:
        while block := source.read(1024 * 1024):
            size += len(block)
            if size > limit:
                out.truncate(0)
                raise OverflowError(limit)
            out.write(block)
    return size
