"""Import a MediaWiki XML dump (any schema mwxml reads, 0.11 included), streaming.

The dump is read with mwxml, one page at a time; the parsed elements are dropped as soon as a
page is done, so memory stays flat whatever the size. Each page is one transaction: its new
revisions (timestamps, contributors, summaries kept), page.latest, the links tables, the parser
cache and a search-outbox row commit together, or nothing of the page does. Revisions already
present (same timestamp to the second and same text) are skipped, so an import can be re-run.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.etree.ElementTree import ParseError

import mwxml
from flask import current_app
from mwxml.element_iterator import ElementIterator
from mwxml.errors import MalformedXML
from sqlalchemy.exc import SQLAlchemyError

from .. import links, parsercache, site, titles
from ..extensions import db
from ..markup import Rendered
from ..models import Page, Revision, SearchOutbox, User, utcnow
from .files import Reader

FLUSH_EVERY = 100


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
class _Rev:
    timestamp: datetime
    rev_id: int


class Importer:
    def __init__(self, dump_namespaces: dict[int, str]):
        self.dump_namespaces = dump_namespaces
        self.users: dict[str, int | None] = {}
        self.limit = current_app.config["WIKI_MAX_TEXT_BYTES"]

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

    def import_page(self, item: mwxml.Page) -> tuple[int | None, int, int]:
        """Import one page in one transaction; (page id, new revisions, skipped revisions)."""
        title = self.title_of(item)
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
        newest: tuple[datetime, int, str] | None = None
        for rev in item:
            text = rev.text or ""
            data = text.encode("utf-8")
            if len(data) > self.limit:
                raise PageProblem(
                    f"revision {rev.id} is {len(data):,} bytes; the limit is {self.limit:,} bytes"
                )
            stamp = (
                datetime.fromtimestamp(rev.timestamp.unix(), UTC).replace(tzinfo=None)
                if rev.timestamp
                else utcnow()
            )
            sha1 = hashlib.sha1(data).hexdigest()
            name = (rev.user.text if rev.user is not None and rev.user.text else "Unknown user")[:255]
            comment = (rev.comment or "")[:767]
            if (stamp, sha1, name, comment) in known:
                skipped += 1
                continue
            if page is None:
                page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
                db.session.add(page)
                db.session.flush()
            position = bisect.bisect_right(chain, (stamp, float("inf")))
            parent = chain[position - 1][1] if position else None
            row = Revision(
                page_id=page.id,
                parent_id=parent,
                text=text,
                sha1=sha1,
                size=len(data),
                comment=(rev.comment or "")[:767],
                user_id=self.user_id(name),
                user_text=name[:255],
                timestamp=stamp,
                minor=bool(rev.minor),
            )
            db.session.add(row)
            db.session.flush()
            chain.insert(position, (stamp, row.id))
            known.add((stamp, sha1, name, comment))
            if newest is None or (stamp, row.id) > newest[:2]:
                newest = (stamp, row.id, text)
            added += 1
            if added % FLUSH_EVERY == 0:
                db.session.flush()
        if not added:
            db.session.rollback()
            return None, 0, skipped
        latest_stamp, latest_id = chain[-1]
        latest_text = newest[2] if newest[1] == latest_id else db.session.get(Revision, latest_id).text
        self._derive(page, title, latest_id, latest_text, latest_stamp, created)
        db.session.commit()
        return page.id, added, skipped

    def _derive(
        self, page: Page, title: titles.Title, rev_id: int, text: str, stamp: datetime, created: bool
    ) -> None:
        """What a save derives from the latest revision: page row, links, redirect, cache, search."""
        from .. import pages

        rendered: Rendered = pages.render_text(title, text, revision_id=rev_id, revision_timestamp=stamp)
        data = text.encode("utf-8")
        page.latest, page.length, page.touched = rev_id, len(data), utcnow()
        page.is_redirect = rendered.redirect is not None
        links.store(page, rendered, site.namespaces())
        parsercache.put(page.id, rev_id, parsercache.to_cached(rendered))
        links.invalidate_dependents([(title.namespace, title.dbkey)], links=created, templates=True)
        db.session.add(SearchOutbox(page_id=page.id))


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
    current, last_done = None, None
    try:
        root = ElementIterator.from_file(reader.stream)
        if root.tag != "mediawiki":
            raise MalformedXML(f"the root element is <{root.tag}>, not <mediawiki>")
        dump = mwxml.Dump.from_element(root)
        names = {ns.id: ns.name or "" for ns in (dump.site_info.namespaces or [])}
        importer = Importer(names)
        for item in dump:
            if not isinstance(item, mwxml.Page):  # a <logitem>: nothing of ours to import
                root.element.clear()
                continue
            current = item.title or "?"
            try:
                page_id, added, skipped = importer.import_page(item)
            except SQLAlchemyError as exc:
                db.session.rollback()
                raise ImportStopped(
                    f'{path}: page "{current}" could not be stored ({exc.__class__.__name__}); stopped at '
                    f"{reader.describe_position()}. The pages before it are imported, this one is not."
                ) from None
            except PageProblem as exc:
                db.session.rollback()
                if not continue_on_error:
                    raise ImportStopped(
                        f'{path}: page "{current}" cannot be imported: {exc}. Stopped at '
                        f"{reader.describe_position()}; the pages before it are imported, this one is not "
                        "(use --continue-on-error to skip such pages)."
                    ) from None
                report.failed.append((current, str(exc)))
                page_id, added, skipped = None, 0, 0
            else:
                if page_id is not None:
                    report.pages += 1  # its search-outbox row is applied at the end (import-dump)
                else:
                    report.unchanged += 1
            report.revisions += added
            report.skipped_revisions += skipped
            last_done, current = current, None
            root.element.clear()  # drop the finished page's elements: memory stays flat
            if progress is not None:
                progress(report, reader)
    except (ParseError, MalformedXML, EOFError, OSError, zlib.error, ValueError) as exc:
        db.session.rollback()
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
