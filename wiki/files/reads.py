"""Reading the file tables: one file, its versions, its users, the lists, the renderer's facts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import func, select

from wiki.extensions import db
from wiki.markup.context import FileFacts
from wiki.models import File, FileArchive, ImageLink, OldFile, Page

FILE_NS = 6

# The columns every version of a file carries: the current one (file), older ones (oldimage) and
# deleted ones (filearchive) copy them between each other.
VERSION_COLUMNS = (
    "name",
    "storage_key",
    "size",
    "width",
    "height",
    "pages",
    "mime",
    "media_type",
    "sha1",
    "meta",
    "comment",
    "user_id",
    "user_text",
    "timestamp",
)


def get(name: str) -> File | None:
    """The current version of the file with this dbkey."""
    return db.session.scalar(select(File).where(File.name == name))


def old_version(name: str, archive_name: str) -> OldFile | None:
    return db.session.scalar(
        select(OldFile).where(OldFile.name == name, OldFile.archive_name == archive_name)
    )


def history(name: str, limit: int = 50) -> list[File | OldFile]:
    """The current version, then the older ones, newest first."""
    current = get(name)
    if current is None:
        return []
    older = db.session.scalars(
        select(OldFile)
        .where(OldFile.name == name)
        .order_by(OldFile.timestamp.desc(), OldFile.id.desc())
        .limit(limit)
    )
    return [current, *older][:limit]


def facts(names: Iterable[str]) -> dict[str, FileFacts]:
    """The renderer's facts of those of these files that exist (one query)."""
    wanted = sorted({n for n in names if n})
    found: dict[str, FileFacts] = {}
    for start in range(0, len(wanted), 500):
        rows = db.session.scalars(select(File).where(File.name.in_(wanted[start : start + 500])))
        for row in rows:
            found[row.name] = FileFacts(
                row.name, row.width, row.height, row.mime, row.size, row.pages, row.sha1
            )
    return found


def memoized_facts() -> Callable[[Iterable[str]], dict[str, FileFacts]]:
    """`facts` for one render: each name is looked up once however often the renderer asks."""
    known: dict[str, FileFacts | None] = {}

    def lookup(names: Iterable[str]) -> dict[str, FileFacts]:
        names = list(names)
        missing = [n for n in names if n not in known]
        if missing:
            got = facts(missing)
            for n in missing:
                known[n] = got.get(n)
        return {n: f for n in names if (f := known.get(n)) is not None}

    return lookup


def usage(name: str, limit: int = 100) -> list[Page]:
    """Pages that use the file (imagelinks), by title."""
    return list(
        db.session.scalars(
            select(Page)
            .join(ImageLink, ImageLink.from_id == Page.id)
            .where(ImageLink.title == name)
            .order_by(Page.namespace, Page.title)
            .limit(limit)
        )
    )


def images_of(page_id: int) -> list[str]:
    """The files a page uses (its imagelinks), by name."""
    return list(
        db.session.scalars(
            select(ImageLink.title).where(ImageLink.from_id == page_id).order_by(ImageLink.title)
        )
    )


def duplicates(sha1: str, *, besides: str = "") -> list[str]:
    """Names of current files with these bytes (other than `besides`)."""
    return list(
        db.session.scalars(
            select(File.name).where(File.sha1 == sha1, File.name != besides).order_by(File.name)
        )
    )


def deleted_duplicates(sha1: str) -> list[str]:
    return list(db.session.scalars(select(FileArchive.name).where(FileArchive.sha1 == sha1).distinct()))


def listing(
    order: str = "date", *, limit: int = 50, after: tuple[object, int] | None = None, descending: bool = True
) -> list[File]:
    """Current files by date, name or size, keyset-paged: `after` is (sort value, id) of the last row."""
    column = {"date": File.timestamp, "name": File.name, "size": File.size}[order]
    query = select(File)
    if after is not None:
        value, last_id = after
        if descending:
            query = query.where((column < value) | ((column == value) & (File.id < last_id)))
        else:
            query = query.where((column > value) | ((column == value) & (File.id > last_id)))
    ordering = (column.desc(), File.id.desc()) if descending else (column.asc(), File.id.asc())
    return list(db.session.scalars(query.order_by(*ordering).limit(limit)))


def by_prefix(prefix: str = "", *, start: str = "", limit: int = 50) -> list[File]:
    """Current files by name from `start` (list=allimages)."""
    query = select(File).where(File.name >= start)
    if prefix:
        query = query.where(File.name.startswith(prefix, autoescape=True))
    return list(db.session.scalars(query.order_by(File.name).limit(limit)))


def unused(limit: int = 50) -> list[File]:
    used = select(ImageLink.title).where(ImageLink.title == File.name).exists()
    return list(
        db.session.scalars(
            select(File).where(~used).order_by(File.timestamp.desc(), File.id.desc()).limit(limit)
        )
    )


def wanted(limit: int = 50) -> list[tuple[str, int]]:
    """Files used by pages but not uploaded, with how many pages use each, most wanted first."""
    uses = func.count(ImageLink.from_id)
    exists = select(File.id).where(File.name == ImageLink.title).exists()
    rows = db.session.execute(
        select(ImageLink.title, uses)
        .where(~exists)
        .group_by(ImageLink.title)
        .order_by(uses.desc(), ImageLink.title)
        .limit(limit)
    )
    return [(title, count) for title, count in rows]


def archived(name: str) -> list[FileArchive]:
    return list(
        db.session.scalars(
            select(FileArchive).where(FileArchive.name == name).order_by(FileArchive.timestamp.desc())
        )
    )


def timestamp_key(when: datetime) -> str:
    """MediaWiki's 14-digit timestamp, used in archive names."""
    return when.strftime("%Y%m%d%H%M%S")
