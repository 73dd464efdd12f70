"""A per-process cache of whole anonymous page responses, checked against the database on every hit.

This is MediaWiki's file cache / a built-in reverse proxy: a reader without a session asks for
/wiki/X, and when this worker has the bytes of that response and one indexed query shows that none
of the rows it was built from changed (same page ids, latest revisions and touched times; absent
titles still absent), the stored bytes go out without entering Flask. Because every hit is validated
against the shared database, an edit through any worker or host is visible at once; the cache only
saves work, it never holds state another process needs.

Entries are offered by httpcache after Flask built a public response; the memory is bounded (LRU
by bytes, WIKI_FRONT_CACHE_BYTES, default 32 MB per worker). An entry may also carry an expiry (a
protection it shows lapses then, touching no row): past it, the entry is not served.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, Response

from wiki import metrics
from wiki.extensions import db
from wiki.models import utcnow

MISSING = ("?",)  # a dependency whose state was not seen while rendering: snapshot() fills it in
EXTENSION = "wiki.front_cache"
OUTCOME = "wiki.cache"  # environ key: "hit" when a stored response was replayed (the request log reads it)
DROPPED_HEADERS = {"content-length", "content-encoding", "set-cookie"}
_local = threading.local()


@dataclass
class Entry:
    deps: dict
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    gzipped: bytes | None = None
    size: int = field(default=0)
    expires: datetime | None = None  # naive UTC, as the database stores times


@functools.cache
def _state_sql(n: int, paramstyle: str) -> str:
    """SELECT ... WHERE (ns=? AND title=?) OR ...: both SQLite and PostgreSQL use the unique index
    for each branch (a row-value IN list makes SQLite scan the table)."""
    mark = "?" if paramstyle == "qmark" else "%s"
    match = " OR ".join([f"(namespace = {mark} AND title = {mark})"] * n)
    return f"SELECT namespace, title, id, latest, touched FROM page WHERE {match}"


def stamp(value) -> str:
    """A touched time as one comparable string, whether the driver gave a datetime or text."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else str(value)


def _connection(engine):
    """This thread's own database connection for the validation query (per process: gunicorn forks).

    The query runs on every cached view, so it skips SQLAlchemy's pool and result layers, which
    cost more than the indexed lookup itself. Autocommit, so PostgreSQL never pins a snapshot."""
    conns = getattr(_local, "conns", None)
    if conns is None or _local.pid != os.getpid():
        conns = _local.conns = {}
        _local.pid = os.getpid()
    key = str(engine.url)
    conn = conns.get(key)
    if conn is None:
        pooled = engine.raw_connection()
        pooled.detach()
        conn = pooled.dbapi_connection
        if engine.dialect.name == "postgresql":
            conn.autocommit = True
        conns[key] = conn
    return conn


def current_state(engine, keys: list[tuple[int, str]]) -> dict:
    """(ns, dbkey) -> (id, latest, touched) of these titles now, in one indexed query."""
    params = [v for key in keys for v in key]
    sql = _state_sql(len(keys), engine.dialect.paramstyle)
    for attempt in (1, 2):
        try:
            cursor = _connection(engine).cursor()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.close()
            break
        except Exception:
            # The kept connection was dropped (a database restart, a terminated session): open a
            # new one and ask once more; a second failure is a real one.
            _local.conns.pop(str(engine.url), None)
            if attempt == 2:
                raise
    return {(r[0], r[1]): (r[2], r[3], stamp(r[4])) for r in rows}


def snapshot(deps: dict) -> dict | None:
    """Fill in the dependencies not seen while rendering; None if a seen one changed meanwhile."""
    now = current_state(db.engine, list(deps))
    out = {}
    for key, seen in deps.items():
        value = now.get(key)
        if seen is not MISSING and seen != value:
            return None
        out[key] = value
    return out


def offer(environ: dict, response: Response, deps: dict, expires: datetime | None = None) -> None:
    """Keep this public response for readers without a session (GET only), until `expires` if given."""
    cache: FrontCache | None = environ.get(EXTENSION)
    if cache is None or environ.get("REQUEST_METHOD") != "GET" or cache.has_session(environ):
        return
    etag = response.get_etag()[0]
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS]
    entry = Entry(deps, response.status, headers, response.get_data(), etag, expires=expires)
    cache.put(cache.key(environ), entry)


class FrontCache:
    """WSGI middleware: replay a stored anonymous response when its rows have not changed."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app
        self.max_bytes = int(app.config["WIKI_FRONT_CACHE_BYTES"])
        names = {app.config.get("SESSION_COOKIE_NAME", "session"), app.config.get("REMEMBER_COOKIE_NAME")}
        names = "|".join(re.escape(n) for n in names if n) or "session"
        self._cookie = re.compile(rf"(?:^|[;,]\s*)(?:{names})=")
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.used = 0
        self.lock = threading.Lock()
        self._engine = None

    @staticmethod
    def key(environ: dict) -> str:
        return environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", "")

    def has_session(self, environ: dict) -> bool:
        return bool(self._cookie.search(environ.get("HTTP_COOKIE", "")))

    def put(self, key: str, entry: Entry) -> None:
        from wiki.web.httpcache import gzip_bytes

        entry.gzipped = gzip_bytes(entry.body)
        entry.size = len(entry.body) + len(entry.gzipped) + 512
        if entry.size > self.max_bytes // 4:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            self.used -= old.size if old else 0
            self.entries[key] = entry
            self.used += entry.size
            while self.used > self.max_bytes and self.entries:
                _key, dropped = self.entries.popitem(last=False)
                self.used -= dropped.size

    def drop(self, key: str) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            self.used -= old.size if old else 0

    def engine(self):
        if self._engine is None:
            with self.app.app_context():
                self._engine = db.engine
        return self._engine

    def fresh(self, entry: Entry) -> bool:
        if entry.expires is not None and utcnow() >= entry.expires:
            return False
        try:
            now = current_state(self.engine(), list(entry.deps))
        except Exception:
            return False  # let the app answer (and report) whatever is wrong with the database
        return now == {k: v for k, v in entry.deps.items() if v is not None}

    def __call__(self, environ, start_response):
        environ[EXTENSION] = self
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not self.has_session(environ):
            key = self.key(environ)
            entry = self.entries.get(key)
            if entry is not None:
                if self.fresh(entry):
                    metrics.CACHE.labels("front", "hit").inc()
                    return self.replay(entry, environ, start_response)
                self.drop(key)
            metrics.CACHE.labels("front", "miss").inc()
        return self.wsgi_app(environ, start_response)

    def replay(self, entry: Entry, environ, start_response):
        environ[OUTCOME] = "hit"
        with self.lock:
            if environ and self.entries.get(self.key(environ)) is entry:
                self.entries.move_to_end(self.key(environ))
        if _matches(environ.get("HTTP_IF_NONE_MATCH", ""), entry.etag):
            keep = ("etag", "cache-control", "vary", "last-modified", "content-location")
            start_response("304 NOT MODIFIED", [(k, v) for k, v in entry.headers if k.lower() in keep])
            return [b""]
        from wiki.web.httpcache import accepts_gzip

        body = entry.body
        headers = list(entry.headers)
        if entry.gzipped is not None and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")):
            body = entry.gzipped
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def _matches(header: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match uses."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = [t.strip() for t in header.split(",")]
    return any(t.removeprefix("W/").strip('"') == etag for t in tags)
