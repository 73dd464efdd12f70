"""Where a Whoosh index lives on disk: generations, the swap, the writer lock, the open searcher.

Layout of WIKI_INDEX_DIR:
    CURRENT        the name of the live generation (replaced atomically by a rebuild)
    gen-<stamp>/   a complete Whoosh index; a rebuild writes a new one beside the live one
    writer.lock    held (flock, non-blocking) by the one process that writes at a time

A rebuild never touches the live generation, so search keeps answering while it runs; the swap
is one os.replace of CURRENT. Every process notices the swap on its next query (it re-reads
CURRENT) and refreshes its searcher when the live generation got a new commit, which costs far
less than opening a new searcher (about 150 ms at 100,000 pages).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import Index
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from wiki.search.base import IndexUnavailable

log = logging.getLogger(__name__)
KEEP_OLD_SECONDS = 60  # an old generation stays this long for searchers still reading it


class Store:
    def __init__(self, root: str | os.PathLike[str], schema: Schema):
        self.root = Path(root)
        self.schema = schema
        self._lock = threading.RLock()
        self._gen: str | None = None
        self._searcher: Searcher | None = None
        self._broken: str | None = None  # a generation found damaged: unavailable until replaced

    # -- generations --------------------------------------------------------------------

    def current(self) -> str | None:
        try:
            name = (self.root / "CURRENT").read_text().strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name or None

    def path(self, gen: str) -> Path:
        return self.root / gen

    def open_index(self) -> Index:
        """The live Whoosh index, or IndexUnavailable when it is missing or unreadable."""
        gen = self.current()
        if gen is None:
            raise IndexUnavailable("There is no search index yet.")
        try:
            return whoosh_index.open_dir(str(self.path(gen)))
        except Exception as exc:  # missing files, a corrupt TOC: any of these means "rebuild"
            raise IndexUnavailable(f"The search index cannot be opened: {exc}") from exc

    def new_generation(self) -> tuple[str, Index]:
        self.root.mkdir(parents=True, exist_ok=True)
        gen = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
        path = self.path(gen)
        path.mkdir()
        return gen, whoosh_index.create_in(str(path), self.schema)

    def swap(self, gen: str) -> None:
        previous = self.current()
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(gen + "\n")
        os.replace(tmp, self.root / "CURRENT")
        self._remove_old(keep={gen, previous})

    def _remove_old(self, keep: set[str | None]) -> None:
        """Delete generations older than the previous one (searchers may still read that one)."""
        for child in self.root.glob("gen-*"):
            if child.name not in keep and time.time() - child.stat().st_mtime > KEEP_OLD_SECONDS:
                shutil.rmtree(child, ignore_errors=True)

    def discard(self, gen: str) -> None:
        shutil.rmtree(self.path(gen), ignore_errors=True)

    # -- the writer lock ----------------------------------------------------------------

    @contextlib.contextmanager
    def writer_lock(self, name: str = "writer.lock", wait: bool = False) -> Iterator[bool]:
        """Yields True while this process holds the lock, False when another one does.

        flock, not Whoosh's own lock: it is released when its holder dies, and trying it never
        makes a save wait or fail.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- the open searcher --------------------------------------------------------------

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """This process's searcher, refreshed when the index changed (one at a time per process)."""
        with self._lock:
            yield self._fresh_searcher()

    def _fresh_searcher(self) -> Searcher:
        gen = self.current()
        if gen is not None and gen == self._broken:
            raise IndexUnavailable("The search index is damaged.")
        if gen is None:
            self._close()
            raise IndexUnavailable("There is no search index yet.")
        try:
            if gen != self._gen or self._searcher is None:
                self._close()
                ix = whoosh_index.open_dir(str(self.path(gen)))
                if sorted(ix.schema.names()) != sorted(self.schema.names()):
                    raise IndexUnavailable("The search index was built by an older version; rebuilding it.")
                self._searcher = ix.searcher()
                self._gen = gen
            elif not self._searcher.up_to_date():
                self._searcher = _refreshed(self._searcher, whoosh_index.open_dir(str(self.path(gen))))
        except IndexUnavailable:
            raise
        except Exception as exc:
            self._close()
            raise IndexUnavailable(f"The search index cannot be read: {exc}") from exc
        return self._searcher

    def _close(self) -> None:
        if self._searcher is not None:
            with contextlib.suppress(Exception):
                self._searcher.close()
        self._searcher, self._gen = None, None

    def healthy(self) -> bool:
        """Re-open the live generation and read from it; a failure marks it broken (to rebuild)."""
        with self._lock:
            self._close()
            gen = self.current()
            try:
                searcher = self._fresh_searcher()
                reader = searcher.reader()
                for docnum in range(min(reader.doc_count_all(), 20)):
                    if not reader.is_deleted(docnum):
                        reader.stored_fields(docnum)
                for _term in itertools.islice(reader.all_terms(), 50):
                    pass
                return True
            except Exception:
                log.exception("search index generation %s is damaged", gen)
                self._close()
                self._broken = gen
                return False

    def forget(self) -> None:
        """Drop the open searcher (after an error while reading it)."""
        with self._lock:
            self._close()


def _refreshed(old: Searcher, ix: Index) -> Searcher:
    """A searcher on the index's latest commit, reusing the readers of unchanged segments.

    Whoosh's own Searcher.refresh() keeps segments that a merge removed and ignores new deletions
    in kept segments (updated pages show twice), so this does what it means: open readers only
    for new segments and point reused ones at their segment's current deletion set.
    """
    toc = ix._read_toc()
    reusable = {
        r.segment().segment_id(): r for r, _ in old.reader().leaf_readers() if r.segment() is not None
    }
    readers = []
    for segment in toc.segments:
        reader = reusable.pop(segment.segment_id(), None)
        if reader is None:
            reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
        else:
            reader._segment = reader._perdoc._segment = segment
            reader._gen = toc.generation
            reader.__dict__.pop("deleted_docs_set", None)  # a cached_property of the old deletions
        readers.append(reader)
    for leftover in reusable.values():
        with contextlib.suppress(Exception):
            leftover.close()
    if not readers:
        combined = EmptyReader(toc.schema)
    elif len(readers) == 1:
        combined = readers[0]
    else:
        combined = MultiReader(readers, generation=toc.generation)
    return Searcher(combined, fromindex=ix)
