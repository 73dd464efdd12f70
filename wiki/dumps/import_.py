"""Import a MediaWiki XML dump (any schema mwxml reads, 0.11 included), streaming.

The dump is read with mwxml, one page at a time; the parsed elements are dropped as soon as a
page is done, so memory stays flat whatever the size. Pages are committed in batches (up to
BATCH_PAGES pages or BATCH_BYTES of text, read into memory first); a page whose history is larger
than that is imported alone, streaming. Each page is still all or nothing: its new revisions
(timestamps, contributors, summaries kept), page.latest, the links tables and a search-outbox row
commit together. When a batch fails to store, it is rolled back and redone page by page, so the
pages before the failing one are imported and that one is not. The parser cache is not written:
views render imported pages on first view. Revisions already present (same timestamp to the
second and same text) are skipped, so an import can be re-run.

A broken file (malformed XML, a truncated .gz/.bz2) stops the import with the position in the
file and the page it was in; pages imported before it stay, the page being read is rolled back.
Problems of a single page (unknown namespace, invalid title, text over the size limit) stop too,
unless `continue_on_error`: then the page is skipped and reported.
"""

from __future__ import annotations

import bisect
import hashlib
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain as chained
from xml.etree.ElementTree import ParseError

import mwxml
from flask import current_app
from mwxml.element_iterator import ElementIterator
from mwxml.errors import MalformedXML
from sqlalchemy.exc import SQLAlchemyError

from wiki import site, titles
from wiki.dumps.files import Reader
from wiki.extensions import db
from wiki.models import Page, Revision, User, utcnow
from wiki.pages import derive, locks, revisions
from wiki.pages import linktables as links
from wiki.pages.revdelete import COMMENT, TEXT, USER

BATCH_PAGES = 200  # pages per transaction
BATCH_BYTES = 8 << 20  # text held in memory for a batch; a larger page is imported alone


class ImportStopped(Exception):
    """The import cannot go on; the message names the file position and the page."""


class PageProblem(ValueError):
    """This page cannot be imported (the rest of the dump can)."""


@dataclass
class ImportReport:
    pages: int = 0  # pages with at least one new revision
    unchanged: int = 0  # pages whose every revision was already here
    revisions: int = 0
    skipped_revisions: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (title, reason)
    seconds: float = 0.0


@dataclass
class DumpRevision:
    """What the import keeps of a dump revision (mwxml's objects hold their XML elements)."""

    id: int | None
    text: str
    data: bytes
    timestamp: datetime | None
    user: str
    comment: str
    minor: bool
    deleted: int = 0  # revdelete bits of the parts the dump marks deleted="deleted"
    size: int | None = None  # the dump's size of a hidden text (None: the text's own)


@dataclass
class DumpPage:
    name: str  # the title as the dump spells it, for messages
    title: titles.Title
    revisions: Iterable[DumpRevision]
    size: int = 0  # bytes of text read so far


class Importer:
    # Per batch, set by `reset`: derive's batch, the titles locked and looked up, the pages found.
    batch: derive.Batch
    prefetched: set[tuple[int, str]]
    pages: dict[tuple[int, str], Page]

    def __init__(self, dump_namespaces: dict[int, str]):
        self.dump_namespaces = dump_namespaces
        self.users: dict[str, int | None] = {}
        self.limit = current_app.config["WIKI_MAX_TEXT_BYTES"]
        self.reset()

    def title_of(self, item: mwxml.Page) -> titles.Title:
        """Our title for the dump's page: its <ns> id and its title without the dump's prefix."""
        ns = item.namespace if item.namespace is not None else 0
        names = site.namespaces()
        if ns not in names.names or ns < 0:
            raise PageProblem(f"unknown namespace {ns} (this wiki has no namespace with that number)")
        text = item.title or ""
        prefix = self.dump_namespaces.get(ns, "")
        if ns != titles.MAIN and prefix and text.startswith(prefix + ":"):
            text = text[len(prefix) + 1 :]
        elif ns != titles.MAIN and ":" in text:
            text = text.split(":", 1)[1]
        full = f"{names.name(ns)}:{text}" if ns != titles.MAIN else text
        try:
            title = titles.parse(full, names)
        except titles.InvalidTitle as exc:
            raise PageProblem(f"invalid title ({exc})") from None
        if title.namespace != ns or title.interwiki or title.fragment:
            raise PageProblem(f'the title "{text}" does not belong in namespace {ns} here')
        return title

    def user_id(self, name: str) -> int | None:
        if name not in self.users:
            self.users[name] = db.session.scalar(db.select(User.id).where(User.name == name))
        return self.users[name]

    def revision(self, rev: mwxml.Revision) -> DumpRevision:
        bits = _deleted_bits(rev)
        text = "" if bits & TEXT else rev.text or ""
        data = text.encode("utf-8")
        if len(data) > self.limit:
            raise PageProblem(f"revision {rev.id} is {len(data):,} bytes; the limit is {self.limit:,} bytes")
        stamp = (
            datetime.fromtimestamp(rev.timestamp.unix(), UTC).replace(tzinfo=None) if rev.timestamp else None
        )
        name = (rev.user.text if rev.user is not None and rev.user.text else "Unknown user")[:255]
        comment = "" if bits & COMMENT else (rev.comment or "")[:767]
        out = DumpRevision(rev.id, text, data, stamp, name, comment, bool(rev.minor), bits)
        if bits & TEXT:  # the size the source wiki shows in history, as the dump gives it
            out.size = min(max(rev.bytes or 0, 0), self.limit)
        return out

    def read(self, item: mwxml.Page, budget: int) -> tuple[DumpPage, bool]:
        """The page with its revisions in memory, and True; or, past `budget` bytes, with the
        revisions read so far followed by the rest of the stream, and False."""
        page = DumpPage(item.title or "?", self.title_of(item), [])
        revisions = iter(item)
        held: list[DumpRevision] = []
        for rev in revisions:
            held.append(self.revision(rev))
            page.size += len(held[-1].data)
            if page.size > budget:
                page.revisions = chained(held, (self.revision(r) for r in revisions))
                return page, False
        page.revisions = held
        return page, True

    def import_page(self, item: DumpPage) -> tuple[int | None, int, int]:
        """Add one page's new revisions and what derives from them to the session (the caller
        commits, after `finish`); (page id, new revisions, skipped revisions)."""
        title = item.title
        key = locks.key(title)
        locks.begin_write([key])  # taken already for a batch; a page imported alone takes it here
        if key in self.prefetched:
            page = self.pages.get(key)
        else:
            page = db.session.scalar(
                db.select(Page).where(Page.namespace == title.namespace, Page.title == title.dbkey)
            )
        created = page is None
        # A revision is "already here" when its second, text, author and summary all match.
        known: set[tuple[datetime, str, str, str]] = set()
        chain: list[tuple[datetime, int]] = []
        if page is not None:
            for stamp, sha1, user, comment, rev_id in db.session.execute(
                db.select(
                    Revision.timestamp, Revision.sha1, Revision.user_text, Revision.comment, Revision.id
                ).where(Revision.page_id == page.id)
            ):
                known.add((stamp.replace(microsecond=0), sha1, user, comment))
                chain.append((stamp, rev_id))
            chain.sort()
        added = skipped = 0
        for rev in item.revisions:
            stamp = rev.timestamp or utcnow()
            sha1 = hashlib.sha1(rev.data).hexdigest()
            if (stamp, sha1, rev.user, rev.comment) in known:
                skipped += 1
                continue
            if page is None:
                page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
                db.session.add(page)
                db.session.flush()
                self.pages[key] = page  # the same title again later in the batch
            position = bisect.bisect_right(chain, (stamp, float("inf")))
            parent = chain[position - 1][1] if position else None
            rev_id = revisions.add(
                page.id,
                rev.text,
                user_id=None if rev.deleted & USER else self.user_id(rev.user),
                user_text=rev.user,
                comment=rev.comment,
                minor=rev.minor,
                timestamp=stamp,
                parent_id=parent,
                sha1=sha1,
                deleted=rev.deleted,
                size=rev.size,
            )
            chain.insert(position, (stamp, rev_id))
            known.add((stamp, sha1, rev.user, rev.comment))
            added += 1
        if page is None or not added:  # a revision added means the page exists by now
            return None, 0, skipped
        latest_id = chain[-1][1]
        if latest_id != page.latest:
            latest = db.session.get_one(Revision, latest_id)
            revisions.advance(page, latest_id, latest.size, expected=page.latest)
            derive.derive(page, title, latest, created=created, batch=self.batch)
        return page.id, added, skipped

    def finish(self) -> None:
        """Invalidate what the batch's pages change elsewhere, in a few queries for the batch."""
        self.batch.finish()
        self.reset()

    def prefetch(self, batch: list[DumpPage]) -> None:
        """Take the write lock on the batch's titles, and look up their pages in one query."""
        self.prefetched = {(page.title.namespace, page.title.dbkey) for page in batch}
        locks.begin_write(self.prefetched)
        found = db.session.scalars(
            db.select(Page).where(links.titles_in(Page.namespace, Page.title, sorted(self.prefetched)))
        )
        self.pages = {(page.namespace, page.title): page for page in found}

    def reset(self) -> None:
        # Per batch: templates are read once (one saved meanwhile shows up in the next batch),
        # and derive's invalidation of other pages runs once in `finish`.
        self.batch = derive.Batch()
        self.prefetched = set()
        self.pages = {}


class _Batch:
    """Pages read but not yet committed; `flush` commits them, page by page if the batch fails."""

    def __init__(self, importer: Importer, report: ImportReport, stopped: Callable[[str, Exception], str]):
        self.importer, self.report, self.stopped = importer, report, stopped
        self.pages: list[DumpPage] = []
        self.size = 0

    def add(self, page: DumpPage) -> None:
        self.pages.append(page)
        self.size += page.size
        if len(self.pages) >= BATCH_PAGES or self.size >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        pages, self.pages, self.size = self.pages, [], 0
        if not pages:
            return
        try:
            self.importer.prefetch(pages)
            results = [self.importer.import_page(page) for page in pages]
            self.importer.finish()
            db.session.commit()
        except (SQLAlchemyError, PageProblem):
            db.session.rollback()
            self.importer.reset()
            for page in pages:  # each page in its own transaction: the failing one is named
                self.alone(page)
            return
        for result in results:
            self.count(*result)

    def alone(self, page: DumpPage) -> None:
        """Import one page in its own transaction (the batch must be empty)."""
        try:
            result = self.importer.import_page(page)
            self.importer.finish()
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            self.importer.reset()
            raise ImportStopped(self.stopped(page.name, exc)) from None
        except PageProblem:
            db.session.rollback()
            self.importer.reset()
            raise
        self.count(*result)

    def count(self, page_id: int | None, added: int, skipped: int) -> None:
        if page_id is not None:
            self.report.pages += 1  # its search-outbox row is applied at the end (import-dump)
        else:
            self.report.unchanged += 1
        self.report.revisions += added
        self.report.skipped_revisions += skipped


def run(
    path: str,
    *,
    continue_on_error: bool = False,
    progress: Callable[[ImportReport, Reader], None] | None = None,
) -> ImportReport:
    """Import the dump at `path` (.xml, .xml.gz, .xml.bz2); raises ImportStopped when it cannot go on."""
    report = ImportReport()
    started = time.monotonic()
    try:
        reader = Reader(path)
    except OSError as exc:
        raise ImportStopped(f"{path}: cannot open the file ({exc.strerror or exc}).") from None

    def stopped(name: str, exc: Exception) -> str:
        return (
            f'{path}: page "{name}" could not be stored ({exc.__class__.__name__}); stopped at '
            f"{reader.describe_position()}. The pages before it are imported, this one is not."
        )

    def problem(name: str, exc: PageProblem) -> None:
        if not continue_on_error:
            raise ImportStopped(
                f'{path}: page "{name}" cannot be imported: {exc}. Stopped at '
                f"{reader.describe_position()}; the pages before it are imported, this one is not "
                "(use --continue-on-error to skip such pages)."
            ) from None
        report.failed.append((name, str(exc)))

    current, last_done = None, None
    batch: _Batch | None = None
    try:
        root = ElementIterator.from_file(reader.stream)
        if root.tag != "mediawiki":
            raise MalformedXML(f"the root element is <{root.tag}>, not <mediawiki>")
        dump = mwxml.Dump.from_element(root)
        names = {ns.id: ns.name or "" for ns in (dump.site_info.namespaces or [])}
        importer = Importer(names)
        batch = _Batch(importer, report, stopped)
        for item in dump:
            if not isinstance(item, mwxml.Page):  # a <logitem>: nothing of ours to import
                root.element.clear()
                continue
            current = item.title or "?"
            try:
                page, whole = importer.read(item, BATCH_BYTES - batch.size)
                if whole:
                    batch.add(page)
                else:  # too large to hold with the batch: commit the batch, stream this page alone
                    batch.flush()
                    batch.alone(page)
            except PageProblem as exc:
                batch.flush()  # the pages read before this one are imported
                problem(current, exc)
            last_done, current = current, None
            root.element.clear()  # drop the finished page's elements: memory stays flat
            if progress is not None:
                progress(report, reader)
        batch.flush()
    except (ParseError, MalformedXML, EOFError, OSError, zlib.error, ValueError) as exc:
        db.session.rollback()  # a page streamed alone, half read
        if batch is not None:
            batch.importer.reset()
            batch.flush()  # the pages read completely before the error are imported
        if current is not None:
            where = f'in page "{current}" (not imported; the pages before it are)'
        elif last_done is not None:
            where = f'after page "{last_done}" (which is imported, as are the pages before it)'
        else:
            where = "before the first page"
        reason = _describe(exc)
        raise ImportStopped(f"{path}: {reason} at {reader.describe_position()}, {where}.") from None
    finally:
        reader.close()
        report.seconds = time.monotonic() - started
    return report


def _deleted_bits(rev: mwxml.Revision) -> int:
    """The revdelete bits of the parts a dump revision marks deleted="deleted".

    A dump never carries a hidden part, only the marker in its place. MediaWiki 1.39's importer
    ignores the markers: it stores such a revision as an ordinary one, with an empty text, an empty
    summary and "Unknown user", so nothing shows that anything was hidden. We import the revision
    too (skipping it would break the history's parent chain and its sizes), with the same empty
    text and summary and "Unknown user" without an account (an empty name would make broken user
    links for those allowed to look behind the marker), but keep the bits: history, diffs, RC and
    the API show "(username removed)" and the like as the source wiki does, and a new export writes
    the markers again. Suppression is not in a dump: the parts come back merely hidden (there is
    nothing left for the suppressors to see).
    """
    hidden = rev.deleted
    if hidden is None:
        return 0
    return (TEXT if hidden.text else 0) | (COMMENT if hidden.comment else 0) | (USER if hidden.user else 0)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ParseError):
        line, column = getattr(exc, "position", (0, 0))
        return f"malformed XML (line {line}, column {column}: {str(exc).split(':')[0]})"
    if isinstance(exc, EOFError):
        return "the compressed file is truncated (it ends before its end-of-stream marker)"
    if isinstance(exc, zlib.error | OSError):
        return f"the file cannot be read ({exc})"
    if isinstance(exc, MalformedXML):
        return f"the XML is not a MediaWiki dump ({exc})"
    return f"the dump cannot be read ({exc})"
