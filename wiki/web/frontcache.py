"""A per-process cache of whole anonymous page responses, checked against the database on every hit.

This is MediaWiki's file cache / a built-in reverse proxy: a reader without a session asks for
/wiki/X, and when this worker has the bytes of that response and one indexed query shows that none
of the rows it was built from changed (same page ids, latest revisions and touched times; absent
titles still absent), the stored bytes go out without entering Flask. Because every hit is validated
against the shared database, an edit through any worker or host is visible at once; the cache only
saves work, it never holds state another process needs.

Entries are offered by httpcache after Flask built a public response; the memory is bounded (LRU
by bytes, WIKI_FRONT_CACHE_BYTES, default 32 MB per worker).
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import Flask, Response
from sqlalchemy import and_, bindparam, or_, select

from ..extensions import db
from ..models import Page

MISSING = ("?",)  # a dependency whose state was not seen while rendering: snapshot() fills it in
EXTENSION = "wiki.front_cache"
DROPPED_HEADERS = {"content-length", "content-encoding", "set-cookie"}


@dataclass
class Entry:
    deps: dict
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str
    gzipped: bytes | None = None
    size: int = field(default=0)


@functools.cache
def _state_query(n: int):
    """SELECT ... WHERE (ns=? AND title=?) OR ...: both SQLite and PostgreSQL use the unique index
    for each branch (a row-value IN list makes SQLite scan the table)."""
    cols = (Page.namespace, Page.title, Page.id, Page.latest, Page.touched)
    match = [and_(Page.namespace == bindparam(f"n{i}"), Page.title == bindparam(f"t{i}")) for i in range(n)]
    return select(*cols).where(or_(*match))


def current_state(engine, keys: list[tuple[int, str]]) -> dict:
    """(ns, dbkey) -> (id, latest, touched) of these titles now, in one indexed query."""
    params = {}
    for i, (ns, key) in enumerate(keys):
        params[f"n{i}"], params[f"t{i}"] = ns, key
    with engine.connect() as conn:
        rows = conn.execute(_state_query(len(keys)), params).all()
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}


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


def offer(environ: dict, response: Response, deps: dict) -> None:
    """Keep this public response for readers without a session (GET only)."""
    cache: FrontCache | None = environ.get(EXTENSION)
    if cache is None or environ.get("REQUEST_METHOD") != "GET" or cache.has_session(environ):
        return
    etag = response.get_etag()[0]
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS]
    entry = Entry(deps, response.status, headers, response.get_data(), etag)
    cache.put(cache.key(environ), entry)


class FrontCache:
    """WSGI middleware: replay a stored anonymous response when its rows have not changed."""

    def __init__(self, wsgi_app, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app
        self.max_bytes = int(app.config.get("WIKI_FRONT_CACHE_BYTES", 32 * 1024 * 1024))
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
        from .httpcache import gzip_bytes

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
        return current_state(self.engine(), list(entry.deps)) == {
            k: v for k, v in entry.deps.items() if v is not None
        }

    def __call__(self, environ, start_response):
        environ[EXTENSION] = self
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not self.has_session(environ):
            key = self.key(environ)
            entry = self.entries.get(key)
            if entry is not None:
                if self.fresh(entry):
                    return self.replay(entry, environ, start_response)
                self.drop(key)
        return self.wsgi_app(environ, start_response)

    def replay(self, entry: Entry, environ, start_response):
        with self.lock:
            if environ and self.entries.get(self.key(environ)) is entry:
                self.entries.move_to_end(self.key(environ))
        if _matches(environ.get("HTTP_IF_NONE_MATCH", ""), entry.etag):
            keep = ("etag", "cache-control", "vary", "last-modified", "content-location")
            start_response("304 NOT MODIFIED", [(k, v) for k, v in entry.headers if k.lower() in keep])
            return [b""]
        from .httpcache import accepts_gzip

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
