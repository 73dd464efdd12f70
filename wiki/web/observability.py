"""What an operator watches: /healthz, /readyz, /metrics, request ids, one log line per request.

The request log is WSGI middleware around everything else (the front cache answers most anonymous
views without entering Flask, and those requests must be logged too). With WIKI_LOG_FORMAT=json it
writes one JSON object per request to the `wiki.request` logger; otherwise gunicorn's access log is
the request log. The query string is logged with the values of secret parameters replaced, and
cookies and request bodies are never logged. The same middleware counts requests and their latency
for /metrics (Prometheus text format), which answers only the addresses in WIKI_METRICS_ALLOW.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import func, text

from wiki import metrics
from wiki.extensions import db
from wiki.models import SearchOutbox, utcnow
from wiki.web.frontcache import OUTCOME as CACHE_ENV

log = logging.getLogger("wiki.request")
bp = Blueprint("observability", __name__)

REQUEST_ID_ENV = "wiki.request_id"
USER_ENV = "wiki.user"
ROUTE_ENV = "wiki.route"
# A request id a client or proxy sends is kept when it looks like one; anything else is replaced.
_GOOD_ID = re.compile(r"\A[A-Za-z0-9._-]{8,64}\Z")
# Parameters whose values never reach a log (MediaWiki's API and our forms).
SECRET_PARAMS = frozenset(
    {"lgpassword", "password", "retype", "wppassword", "wpretype", "oldpassword", "newpassword",
     "token", "lgtoken", "csrftoken", "wpedittoken", "logintoken", "createtoken", "wpcreateaccounttoken"}
)  # fmt: skip


def redact_query(query: str) -> str:
    """The query string with the values of secret parameters replaced by "***"."""
    if not query:
        return ""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in pairs])


class RequestLog:
    """WSGI middleware: give each request an id (X-Request-Id) and log it when it ends."""

    def __init__(self, wsgi_app: Callable, json_lines: bool) -> None:
        self.wsgi_app = wsgi_app
        self.json_lines = json_lines

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _GOOD_ID.match(incoming) else uuid.uuid4().hex
        environ[REQUEST_ID_ENV] = request_id
        seen: dict[str, str] = {}

        def start(status: str, headers: list, exc_info=None):  # type: ignore[no-untyped-def]
            seen["status"] = status
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append(("X-Request-Id", request_id))
            return start_response(status, headers, exc_info)

        return _Logged(self.wsgi_app(environ, start), self, environ, seen, started)

    @staticmethod
    def line(environ: dict, status: str, seconds: float) -> str:
        query = redact_query(environ.get("QUERY_STRING", ""))
        return json.dumps(
            {
                "time": utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "request_id": environ.get(REQUEST_ID_ENV),
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO", "") + ("?" + query if query else ""),
                "status": int(status.split(" ", 1)[0]),
                "duration_ms": round(seconds * 1000, 2),
                "user": environ.get(USER_ENV),
                "address": environ.get("REMOTE_ADDR"),
                "cache": environ.get(CACHE_ENV, "miss"),
            },
            ensure_ascii=False,
        )


class _Logged:
    """The response body, passed through; the log line is written when the server closes it."""

    def __init__(self, body: Iterable[bytes], owner: RequestLog, environ: dict, seen: dict, started: float):
        self.body, self.owner, self.environ, self.seen, self.started = body, owner, environ, seen, started

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            seconds = time.perf_counter() - self.started
            status = self.seen.get("status", "500")
            route = self.environ.get(ROUTE_ENV) or (
                "front-cache" if self.environ.get(CACHE_ENV) else "unmatched"
            )
            metrics.REQUESTS.labels(
                route, self.environ.get("REQUEST_METHOD", ""), status.split(" ", 1)[0]
            ).inc()
            metrics.LATENCY.labels(route).observe(seconds)
            if self.owner.json_lines:
                log.info(self.owner.line(self.environ, status, seconds))


def init(app: Flask) -> None:
    app.register_blueprint(bp)
    json_lines = str(app.config.get("WIKI_LOG_FORMAT", "")).lower() == "json"
    app.wsgi_app = RequestLog(app.wsgi_app, json_lines)  # type: ignore[method-assign]

    @app.before_request
    def _note_route() -> None:
        request.environ[ROUTE_ENV] = request.url_rule.rule if request.url_rule is not None else "unmatched"

    @app.after_request
    def _note_user(response: Response) -> Response:
        if getattr(current_user, "is_authenticated", False):
            request.environ[USER_ENV] = current_user.name
        g.setdefault("request_id", request.environ.get(REQUEST_ID_ENV))
        return response


def _json(body: dict, status: int) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz() -> Response:
    """The process is up and answers."""
    return _json({"status": "ok"}, 200)


@bp.route("/readyz")
def readyz() -> Response:
    """Ready for traffic: the database answers, its schema is current, the search index is usable."""
    checks = {"database": _database(), "migrations": _migrations(), "search": _search()}
    ready = all(c["ok"] for c in checks.values())
    return _json({"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503)


def _database() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as exc:  # any driver error means "not ready"; say which
        db.session.rollback()
        return {"ok": False, "error": exc.__class__.__name__}


def _migrations() -> dict:
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    try:
        script = ScriptDirectory(migrate.directory)
        heads = set(script.get_heads())
        current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception as exc:
        db.session.rollback()
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": current == heads, "current": sorted(current), "head": sorted(heads)}


def _search() -> dict:
    from wiki import search
    from wiki.search.base import IndexUnavailable

    pending, oldest = db.session.execute(
        db.select(func.count(SearchOutbox.id), func.min(SearchOutbox.created))
    ).one()
    db.session.rollback()
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    try:
        search.index().suggest("a", limit=1)
        state = "ok"
    except IndexUnavailable:
        state = "rebuilding"
    # A rebuilding index still serves pages; search answers "try again". Ready either way.
    return {"ok": True, "index": state, "outbox_pending": pending, "outbox_oldest_seconds": round(age, 1)}


@bp.route("/metrics")
def metrics_view() -> Response:
    """Prometheus metrics, for the addresses in WIKI_METRICS_ALLOW only."""
    if not _metrics_allowed(request.remote_addr or ""):
        abort(403, "Metrics are only served to the addresses in WIKI_METRICS_ALLOW.")
    response = Response(metrics.scrape(_database_gauges), mimetype="text/plain; version=0.0.4")
    response.headers["Cache-Control"] = "no-store"
    return response


def _metrics_allowed(address: str) -> bool:
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    allowed = str(current_app.config.get("WIKI_METRICS_ALLOW", ""))
    for item in filter(None, (part.strip() for part in allowed.split(","))):
        try:
            if client in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            continue  # a malformed entry allows nobody
    return False


def _outbox() -> tuple[int, float]:
    pending, oldest = db.session.execute(
        db.select(func.count(SearchOutbox.id), func.min(SearchOutbox.created))
    ).one()
    db.session.rollback()
    return pending, (utcnow() - oldest).total_seconds() if oldest is not None else 0.0


def _database_gauges() -> dict[str, tuple[str, float]]:
    pending, age = _outbox()
    return {
        "wiki_search_outbox_pending": ("Search-index updates waiting to be applied", pending),
        "wiki_search_outbox_oldest_seconds": (
            "Age of the oldest waiting search-index update (indexer lag)",
            age,
        ),
    }
