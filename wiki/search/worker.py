"""Who applies the search outbox: a dedicated indexer process, or else a thread in each process.

A server runs one dedicated indexer beside its workers (`flask --app wiki search-indexer`, which
wiki.gunicorn_conf starts): the Whoosh commit then never shares a worker's interpreter lock with
the requests it serves. While it runs it holds the index's "indexer" lock, and the thread every
process also has (`Indexer`) stands aside. Without it (the test client, a `flask` command, a
crashed indexer) the thread does the work: a save only wakes it (`kick`), and it also wakes every
POLL_SECONDS on its own, so rows left behind by a killed worker, or by a kick that found another
process writing, are applied without anyone waiting for them. Either way a missing or corrupt
index is rebuilt (one process at a time) while pages keep serving.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.synchronize import Event as ProcessEvent

from flask import Flask

from wiki.extensions import db
from wiki.search import maintenance, outbox
from wiki.search.base import SearchIndex

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
DEDICATED_POLL_SECONDS = 0.1
BUSY_RETRY_SECONDS = 0.05
DEDICATED_LOCK = "indexer"
TIDY_AFTER_SECONDS = 3.0  # a dedicated indexer idle this long merges the small segments updates added
DEDICATED_BATCH = 1000  # outbox rows per index commit: fewer, larger commits when many are pending
# One indexer runs per process: a server process has one app, and a test process that builds an
# app per test must not keep the indexers of earlier apps draining a shared database's outbox.
_active: weakref.ReferenceType[Indexer] | None = None
_active_lock = threading.Lock()
Stop = threading.Event | ProcessEvent  # what tells a dedicated indexer to finish


class Indexer:
    def __init__(self, app: Flask, index: SearchIndex):
        self._app = weakref.ref(app)  # the thread ends when the app is gone (tests make many)
        self.index = index
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._start_lock = threading.Lock()
        self._last_error_log = -1e9
        self._stopped = False

    def kick(self, _page_ids: Iterable[int] | None = None) -> None:
        """Apply pending updates soon (called after a save commits)."""
        self.start()
        self._wake.set()

    def start(self) -> None:
        """Start the thread in this process (gunicorn forks: a thread is per process)."""
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        global _active
        with _active_lock:
            previous = _active() if _active is not None else None
            if previous is not None and previous is not self:
                previous.stop()
            _active = weakref.ref(self)
        with self._start_lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._stopped = False
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)
            self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        """End the thread after its current step (another app took over, or the app is torn down)."""
        self._stopped = True
        self._wake.set()
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def _run(self) -> None:
        while True:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            app = self._app()
            if app is None or self._stopped:
                return
            try:
                with app.app_context():
                    try:
                        self._step()
                    finally:
                        db.session.remove()
            except Exception:
                if time.monotonic() - self._last_error_log > 60:  # a lasting fault must not flood the log
                    self._last_error_log = time.monotonic()
                    log.exception("search indexer step failed; retrying every %s s", POLL_SECONDS)
                time.sleep(POLL_SECONDS)
            finally:
                del app

    def _step(self) -> None:
        if dedicated_running(self.index):
            return
        if step(self.index) is None:
            # Another process is writing; it may finish before seeing our rows, so try again soon.
            time.sleep(BUSY_RETRY_SECONDS)
            self._wake.set()


def step(index: SearchIndex, batch: int = outbox.BATCH) -> int | None:
    """Rebuild a missing index, apply pending rows: how many, or None when another process held
    the writer lock."""
    if not index.available():
        try:
            maintenance.rebuild(index)
        except maintenance.RebuildRunning:
            return 0
    if not outbox.pending():
        return 0
    return outbox.drain(index, batch=batch)


def dedicated_running(index: SearchIndex) -> bool:
    """Is a dedicated indexer process applying the outbox for this index?"""
    with index.exclusive(DEDICATED_LOCK) as free:
        return not free


def run_dedicated(
    app: Flask, index: SearchIndex, stop: Stop, alive: Callable[[], bool] = lambda: True
) -> bool:
    """Apply the outbox in this process until `stop` is set or `alive()` turns false; False at once
    when another dedicated indexer already runs for this index."""
    with index.exclusive(DEDICATED_LOCK) as held:
        if not held:
            return False
        last_error_log = -1e9
        last_work, tidied = time.monotonic(), False
        while not stop.is_set() and alive():
            busy = False
            try:
                with app.app_context():
                    try:
                        applied = step(index, DEDICATED_BATCH)
                        busy = applied is None
                        if applied:
                            last_work, tidied = time.monotonic(), False
                        elif not tidied and time.monotonic() - last_work > TIDY_AFTER_SECONDS:
                            tidied = _tidy(index)
                    finally:
                        db.session.remove()
            except Exception:
                if time.monotonic() - last_error_log > 60:
                    last_error_log = time.monotonic()
                    log.exception("search indexer step failed; retrying every %s s", POLL_SECONDS)
                stop.wait(POLL_SECONDS)
            stop.wait(BUSY_RETRY_SECONDS if busy else DEDICATED_POLL_SECONDS)
    return True


def _tidy(index: SearchIndex) -> bool:
    """Tidy the index if no other process is writing it; False when it must be tried again."""
    with index.exclusive() as held:
        if held:
            index.tidy()
        return held


@contextlib.contextmanager
def indexing_beside(app: Flask) -> Iterator[None]:
    """Apply the outbox in a forked process while the block runs: a long import fills the index on
    another core instead of after it, in a few large segments (outbox.follow). Nothing is started
    when a dedicated indexer already runs."""
    from wiki.search import INDEX_KEY

    if dedicated_running(app.extensions[INDEX_KEY]):
        yield
        return
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    child = ctx.Process(target=_forked_indexer, args=(app, stop, os.getpid()), daemon=True)
    child.start()
    try:
        yield
    finally:
        stop.set()
        child.join(900)  # the last bulk commit; past this the rows wait for the next drain
        if child.is_alive():
            child.terminate()
            child.join()


def _forked_indexer(app: Flask, stop: Stop, parent: int) -> None:
    from wiki.search import INDEX_KEY, _backend

    with app.app_context():
        db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        # A backend of its own: an open searcher's files must not be read through the parent's handles.
        index = app.extensions[INDEX_KEY] = _backend(app)
        try:
            if not index.available():
                maintenance.rebuild(index, wait=True)
            outbox.follow(index, lambda: stop.is_set() or os.getppid() != parent, stop.wait)
        except Exception:  # the rows stay in the outbox; the import applies them after this
            log.exception("indexing beside the import failed")
        finally:
            db.session.remove()
