"""Deleting a file with its page, and bringing both back.

The file's versions follow its page: wiki.pages' deletion and undeletion call `archive` and
`restore` in their transaction (hooks installed by `install`), so a file page and its versions
are deleted, and restored, together or not at all. The current version's bytes are copied to
`deleted/` (a new upload of the name will reuse its MediaWiki key); older versions keep their
unique archive/ keys. Restoring refuses while another file of the name exists.
"""

from __future__ import annotations

from sqlalchemy import delete

from wiki import titles
from wiki.extensions import db
from wiki.files import reads, sniff, thumbs
from wiki.files import store as stores
from wiki.markup.filepaths import hash_dir
from wiki.models import File, FileArchive, OldFile, utcnow
from wiki.pages import deletion as page_deletion
from wiki.pages import linktables as links
from wiki.pages import revisions


class FileExists(page_deletion.NothingToDo):
    """Undeletion refused: another file has the name now."""


def install() -> None:
    """Make page deletion and undeletion carry a file's versions along (idempotent)."""
    if archive not in page_deletion.ON_DELETE:
        page_deletion.ON_DELETE.append(archive)
    if restore not in page_deletion.ON_UNDELETE:
        page_deletion.ON_UNDELETE.append(restore)


def archive(title: titles.Title, actor: revisions.Actor) -> None:
    """Move every version of the file at `title` to the file archive (in the caller's transaction)."""
    if title.namespace != titles.FILE:
        return
    current = reads.get(title.dbkey)
    if current is None:
        return
    store = stores.current()
    now = utcnow()
    key = f"deleted/{hash_dir(current.sha1)}/{current.sha1}.{sniff.extension_of(current.name)}"
    store.copy(current.storage_key, key)
    rows = [(current, True, key, "")]
    olds = db.session.scalars(db.select(OldFile).where(OldFile.name == title.dbkey))
    rows += [(old, False, old.storage_key, old.archive_name) for old in olds]
    for version, is_current, storage_key, archive_name in rows:
        values = {c: getattr(version, c) for c in reads.VERSION_COLUMNS}
        values["storage_key"] = storage_key
        db.session.add(
            FileArchive(
                **values,
                current=is_current,
                archive_name=archive_name,
                deleted_timestamp=now,
                deleted_by=actor.name,
            )
        )
    db.session.execute(delete(OldFile).where(OldFile.name == title.dbkey))
    db.session.execute(delete(File).where(File.name == title.dbkey))
    links.file_changed([title.dbkey])
    thumbs.forget(title.dbkey)


def restore(title: titles.Title, actor: revisions.Actor) -> None:
    """Bring back the archived versions of the file at `title` (in the caller's transaction)."""
    if title.namespace != titles.FILE:
        return
    archived = reads.archived(title.dbkey)
    if not archived:
        return
    if reads.get(title.dbkey) is not None:
        raise FileExists(
            f'A file named "{title.text}" exists now: its deleted versions cannot be restored over it.'
        )
    newest = next((a for a in archived if a.current), archived[0])
    for row in archived:
        values = {c: getattr(row, c) for c in reads.VERSION_COLUMNS}
        if row is newest:
            db.session.add(File(**values))
        else:
            name = row.archive_name or f"{reads.timestamp_key(row.timestamp)}!{row.name}"
            db.session.add(OldFile(**values, archive_name=name))
    db.session.execute(delete(FileArchive).where(FileArchive.name == title.dbkey))
    links.file_changed([title.dbkey])
