"""An upload, a new version or a revert: it lands whole or not at all.

`stage` streams the body to a temporary file (counting its bytes against WIKI_MAX_UPLOAD_BYTES and
hashing them) and checks it (`sniff`); `warnings` says what MediaWiki would warn about; `publish`
stores it. Publishing writes the bytes under a staging key of the store, then one database
transaction holding the file page's write lock writes the file row (pointing at the staging key),
keeps the previous version (copied under archive/ before the commit), the file page revision
(through wiki.pages), the links tables, the upload log entry and the search outbox row. Only after
the commit are the bytes copied to their MediaWiki key and the row pointed there; a process killed
at any moment leaves a row pointing at bytes that exist, or no row and a stray staging file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import update

from wiki import logs, site, titles
from wiki.extensions import db
from wiki.files import reads, sniff, thumbs
from wiki.files import store as stores
from wiki.files.sniff import Refused
from wiki.markup.filepaths import hash_dir, original_path
from wiki.models import File, OldFile, utcnow
from wiki.pages import attached, derive, locks, revisions
from wiki.pages import linktables as links

MAX_NAME_BYTES = 240  # MediaWiki's limit for file names
BAD_NAME = re.compile(r"[/\\:\x00-\x1f\x7f]")


@dataclass
class Staged:
    """An uploaded body on local disk, checked: what it is and what it will be called."""

    path: Path
    name: str  # dbkey
    facts: sniff.Facts
    sha1: str
    size: int
    requested: str = ""  # the name as given, when normalising changed it


@dataclass
class Published:
    name: str
    page_id: int
    overwrote: bool
    log_id: int
    warnings: dict[str, Any] = field(default_factory=dict)


def normalise_name(raw: str) -> str:
    """The dbkey of a file name as given (no namespace prefix needed), or Refused."""
    text = unicodedata.normalize("NFC", raw.strip())
    if text.lower().startswith(("file:", "image:")):
        text = text.split(":", 1)[1]
    if not text:
        raise Refused("missingparam", "Give the file a name.")
    if BAD_NAME.search(text):
        raise Refused(
            "illegal-filename",
            f'"{text[:80]}" is not a valid file name: it may not contain "/", '
            '"\\", ":" or control characters.',
        )
    if "." not in text.strip(".") or text.endswith("."):
        raise Refused("filetype-missing", 'The file name has no extension (such as ".jpg").')
    stem, ext = text.rsplit(".", 1)
    text = f"{stem}.{ext.lower()}"
    try:
        title = site.parse_title(text, default_namespace=titles.FILE)
    except titles.InvalidTitle as exc:
        raise Refused("illegal-filename", f'"{text[:80]}" is not a valid file name. {exc}') from None
    if title.namespace != titles.FILE or title.interwiki or title.fragment:
        raise Refused("illegal-filename", f'"{text[:80]}" is not a valid file name.')
    if len(title.dbkey.encode("utf-8")) > MAX_NAME_BYTES:
        raise Refused("filename-toolong", f"File names may be at most {MAX_NAME_BYTES} bytes long.")
    return str(title.dbkey)


def file_title(name: str) -> titles.Title:
    return site.parse_title(name, default_namespace=titles.FILE)


def max_bytes() -> int:
    return int(current_app.config["WIKI_MAX_UPLOAD_BYTES"])


@contextmanager
def stage(source: stores.Readable, raw_name: str) -> Iterator[Staged]:
    """The body streamed to a temporary file and checked; the file is removed on leaving."""
    name = normalise_name(raw_name)
    limit = max_bytes()
    fd, tmp = tempfile.mkstemp(prefix="wiki-upload-", dir=_staging_dir())
    path = Path(tmp)
    try:
        digest, size = hashlib.sha1(), 0  # noqa: S324 - MediaWiki's file identity, not security
        with os.fdopen(fd, "wb") as out:
            while block := source.read(stores.CHUNK):
                size += len(block)
                if size > limit:
                    raise Refused("file-too-large", f"The file is larger than the limit of {limit:,} bytes.")
                digest.update(block)
                out.write(block)
        facts = sniff.check(
            path,
            name,
            allowed=set(str(current_app.config["WIKI_FILE_EXTENSIONS"]).lower().split()),
            max_pixels=int(current_app.config["WIKI_MAX_IMAGE_PIXELS"]),
        )
        requested = raw_name.strip().replace(" ", "_")
        yield Staged(path, name, facts, digest.hexdigest(), size, requested if requested != name else "")
    finally:
        path.unlink(missing_ok=True)


STALE_SECONDS = 24 * 3600


def _staging_dir() -> str:
    """incoming/ of the upload folder (bodies being checked); files a killed process left there over
    a day ago are removed. Not the store's temp/: a row may name a staging key there for good."""
    folder = Path(current_app.config["WIKI_UPLOAD_DIR"]) / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STALE_SECONDS
    for left in folder.iterdir():
        if left.stat().st_mtime < cutoff:
            left.unlink(missing_ok=True)
    return str(folder)


def warnings(staged: Staged) -> dict[str, Any]:
    """MediaWiki's upload warnings: exists, duplicate, duplicate-archive, was-deleted, badfilename."""
    found: dict[str, Any] = {}
    current = reads.get(staged.name)
    if current is not None:
        found["exists"] = staged.name
        if current.sha1 == staged.sha1:  # MediaWiki's "nochange": the same bytes as the current version
            found["nochange"] = {"timestamp": current.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")}
    duplicates = reads.duplicates(staged.sha1, besides=staged.name)
    if duplicates:
        found["duplicate"] = duplicates
    elif reads.deleted_duplicates(staged.sha1):
        found["duplicate-archive"] = reads.deleted_duplicates(staged.sha1)[0]
    if "exists" not in found and reads.archived(staged.name):
        found["was-deleted"] = staged.name
    if staged.requested and staged.requested.lower() != staged.name.lower():
        found["badfilename"] = staged.name
    return found


class ChunkReader:
    """A file-like `read` over a store's chunks (to stage bytes already in the store)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._left) < size:
            block = next(self._chunks, None)
            if block is None:
                break
            self._left += block
        if size < 0:
            size = len(self._left)
        out, self._left = self._left[:size], self._left[size:]
        return out


class NoSuchVersion(LookupError):
    """filerevert: the file or the archived version named does not exist."""


def revert(name: str, archive_name: str, actor: revisions.Actor, *, comment: str = "") -> Published:
    """Make an older version current again (as a new version, the way MediaWiki reverts)."""
    old = reads.old_version(name, archive_name)
    if old is None or reads.get(name) is None:
        raise NoSuchVersion(f'There is no version "{archive_name}" of "{name.replace("_", " ")}".')
    when = old.timestamp.strftime("%H:%M, %-d %B %Y")
    comment = comment or f"Reverted to version as of {when}"
    with stage(ChunkReader(stores.current().chunks(old.storage_key)), name) as staged:
        return publish(staged, actor, comment=comment, action="revert")


class NoChange(Refused):
    """A new version with the bytes of the current one."""

    def __init__(self) -> None:
        super().__init__("fileexists-no-change", "The upload is an exact duplicate of the current version.")


def publish(
    staged: Staged, actor: revisions.Actor, *, text: str = "", comment: str = "", action: str = ""
) -> Published:
    """Store the staged file under its name as the new current version (see the module doc)."""
    current = reads.get(staged.name)
    if current is not None and current.sha1 == staged.sha1:
        raise NoChange()
    store = stores.current()
    staging = stores.staging_key(sniff.extension_of(staged.name))
    transactional = isinstance(store, stores.DatabaseStore)
    if not transactional:
        with open(staged.path, "rb") as source:
            store.put(staging, source)
    title = file_title(staged.name)

    def work() -> Published:
        if transactional:
            with open(staged.path, "rb") as source:
                store.put(staging, source)
        return _write_rows(store, staged, staging, title, actor, text, comment, action)

    try:
        done = locks.write(
            [locks.key(title)],
            work,
            what=f"upload of {title}",
            give_up=Refused(
                "internal_api_error_DBQueryError",
                "The upload could not be saved because other changes got in the way.",
            ),
        )
    except BaseException:
        if not transactional:
            store.delete(staging)
        raise
    _promote(store, staged.name, staging)
    derive.after_commit([done.page_id])
    return done


def _write_rows(
    store: stores.Store,
    staged: Staged,
    staging: str,
    title: titles.Title,
    actor: revisions.Actor,
    text: str,
    comment: str,
    action: str,
) -> Published:
    now = utcnow().replace(microsecond=0)  # MediaWiki's file timestamps are whole seconds
    current = reads.get(staged.name)
    if current is not None and now <= current.timestamp:
        now = current.timestamp + timedelta(seconds=1)  # versions are told apart by their second
    values = {
        "storage_key": staging,
        "size": staged.size,
        "width": staged.facts.width,
        "height": staged.facts.height,
        "pages": staged.facts.pages,
        "mime": staged.facts.mime,
        "media_type": staged.facts.media_type,
        "sha1": staged.sha1,
        "meta": _json(staged.facts.meta),
        "comment": comment[:767],
        "user_id": actor.user_id,
        "user_text": actor.name[:255],
        "timestamp": now,
    }
    if current is not None:
        archive_old(store, current, now)
        for key, value in values.items():
            setattr(current, key, value)
    else:
        db.session.add(File(name=staged.name, **values))
    page, _rev, _created = attached.write(title, text, actor, summary=comment, null_if_exists=True)
    action = action or ("overwrite" if current is not None else "upload")
    entry = logs.record(
        "upload",
        action,
        namespace=titles.FILE,
        title=staged.name,
        actor=actor,
        comment=comment,
        page_id=page.id,
        params={"img_sha1": staged.sha1, "img_timestamp": reads.timestamp_key(now)},
    )
    links.file_changed([staged.name])
    db.session.flush()
    return Published(staged.name, page.id, current is not None, entry.id)


def archive_old(store: stores.Store, current: File, now: Any) -> OldFile:
    """Keep the current version as an older one: its bytes copied under archive/, a row for it."""
    stamp = now
    while True:
        archive_name = f"{reads.timestamp_key(stamp)}!{current.name}"
        if reads.old_version(current.name, archive_name) is None:
            break
        stamp += timedelta(seconds=1)
    key = f"archive/{hash_dir(current.name)}/{archive_name}"
    store.copy(current.storage_key, key)
    old = OldFile(
        archive_name=archive_name,
        **{c: getattr(current, c) for c in reads.VERSION_COLUMNS},
    )
    old.storage_key = key
    db.session.add(old)
    return old


def _promote(store: stores.Store, name: str, staging: str) -> None:
    """After the commit: the bytes to their MediaWiki key, the row pointed there, staging removed."""
    final = original_path(name)
    store.copy(staging, final)
    db.session.execute(
        update(File).where(File.name == name, File.storage_key == staging).values(storage_key=final)
    )
    db.session.commit()
    store.delete(staging)
    db.session.commit()
    thumbs.forget(name)


def _json(meta: dict[str, Any]) -> str:
    import json

    return json.dumps(meta, sort_keys=True)
