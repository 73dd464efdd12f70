"""Sending the queued purges: a thread per process, woken after each commit that queued some and
every POLL_SECONDS on its own (rows of other processes and hosts, retries).

A round claims due rows with one UPDATE naming its own token (two processes or hosts never send the
same row), expands their titles to URLs, sends `PURGE <url>` to every proxy once per cache variant
(the shipped nginx keys its cache on the normalized Accept-Encoding: gzip or not) and deletes the
rows. A proxy that cannot be reached or answers anything but 200 (purged) or 404 (not cached) leaves
the rows for a later round, after 1 s, 2 s, 4 s ... up to RETRY_CAP, at most MAX_ATTEMPTS times."""

from __future__ import annotations

import http.client
import logging
import queue
import secrets
import threading
import weakref
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import delete, or_, update

from wiki.cdn import urls
from wiki.extensions import db
from wiki.models import CdnPurge, utcnow

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0
CLAIM_SECONDS = 60
MAX_ATTEMPTS = 12
RETRY_CAP = 300
BATCH = 100
TIMEOUT = 5.0
VARIANTS = ("gzip", "identity")  # the Accept-Encoding of each copy the proxy may hold
Queued = tuple[int, int, str]  # a CdnPurge row: (id, namespace, dbkey)


class PurgeFailed(Exception):
    """A proxy refused or could not be reached."""


def send(proxies: list[tuple[str, int]], host: str, paths: list[str]) -> None:
    """PURGE every path (each variant) at every proxy; raise PurgeFailed naming the first failure."""
    for address, port in proxies:
        conn = http.client.HTTPConnection(address, port, timeout=TIMEOUT)
        try:
            for path in paths:
                for encoding in VARIANTS:
                    conn.request("PURGE", path, headers={"Host": host, "Accept-Encoding": encoding})
                    answer = conn.getresponse()
                    answer.read()
                    if answer.status not in (200, 404):
                        raise PurgeFailed(f"{address}:{port} answered {answer.status} to PURGE {path}")
        except (OSError, http.client.HTTPException) as exc:
            raise PurgeFailed(f"{address}:{port}: {exc}") from exc
        finally:
            conn.close()


def drain(app: Flask, proxies: list[tuple[str, int]], limit: int = BATCH) -> int:
    """Send one batch of due purges; answers how many rows it handled (sent or postponed)."""
    rows = _claim(limit)
    if rows:
        _purge(app, proxies, [(row.id, row.namespace, row.title) for row in rows])
    return len(rows)


def _purge(app: Flask, proxies: list[tuple[str, int]], queued: list[Queued]) -> None:
    """Send the purges of these rows and delete them, or leave them for a later round."""
    host = urlsplit(app.config.get("WIKI_SERVER", "")).hostname or "localhost"
    ids = [row_id for row_id, _ns, _title in queued]
    try:
        send(proxies, host, urls.for_titles((ns, title) for _id, ns, title in queued))
    except PurgeFailed as exc:
        _postpone(ids, str(exc))
        return
    db.session.execute(delete(CdnPurge).where(CdnPurge.id.in_(ids)))
    db.session.commit()


def _claim(limit: int) -> list[CdnPurge]:
    now, token = utcnow(), secrets.token_hex(8)
    free = or_(CdnPurge.claimed_until.is_(None), CdnPurge.claimed_until < now)
    due = (
        db.select(CdnPurge.id)
        .where(CdnPurge.next_attempt <= now, CdnPurge.attempts < MAX_ATTEMPTS, free)
        .order_by(CdnPurge.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(due))
    if not ids:
        db.session.rollback()
        return []
    db.session.execute(
        update(CdnPurge)
        .where(CdnPurge.id.in_(ids), free)
        .values(claimed_by=token, claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(db.session.scalars(db.select(CdnPurge).where(CdnPurge.claimed_by == token)))


def _postpone(ids: list[int], error: str) -> None:
    for row in db.session.scalars(db.select(CdnPurge).where(CdnPurge.id.in_(ids))):
        row.attempts += 1
        row.next_attempt = utcnow() + timedelta(seconds=min(2 ** (row.attempts - 1), RETRY_CAP))
        row.claimed_by = row.claimed_until = None
    db.session.commit()
    log.warning("CDN purge of %s titles failed, retried later: %s", len(ids), error)


class Sender:
    """This process's purge thread, started on the first request (gunicorn forks after import).

    Rows committed by this process arrive through kick() and are sent at once; a poll every
    POLL_SECONDS claims the rest (other processes' and hosts', and retries)."""

    def __init__(self, app: Flask, proxies: list[tuple[str, int]]) -> None:
        self.app_ref = weakref.ref(app)
        self.proxies = proxies
        self.fresh: queue.SimpleQueue[list[Queued]] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="cdn-purge", daemon=True)
                self.thread.start()

    def kick(self, queued: list[Queued]) -> None:
        self.start()
        self.fresh.put(queued)

    def _next(self) -> list[Queued] | None:
        """Rows just committed here (several commits' worth at once), or None when it is time to poll."""
        try:
            batch = self.fresh.get(timeout=POLL_SECONDS)
        except queue.Empty:
            return None
        while not self.fresh.empty():
            batch = batch + self.fresh.get_nowait()
        return batch

    def _loop(self) -> None:
        while True:
            fresh = self._next()
            app = self.app_ref()
            if app is None:
                return
            with app.app_context():
                try:
                    if fresh:
                        _purge(app, self.proxies, fresh)
                    else:
                        while drain(app, self.proxies) == BATCH:
                            pass
                except Exception:  # the rows stay (claimed ones until CLAIM_SECONDS pass), retried
                    log.exception("CDN purge round failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            del app
