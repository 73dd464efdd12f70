"""Special:RunJobs: the signed POST with which MediaWiki's test tools wait for the job queue.

Our changes are complete when their request ends, except the search index, which a worker brings
up to date from the outbox; running the "jobs" here applies that outbox at once. As MediaWiki, the
request must be a POST signed with the wiki's secret key (HMAC-SHA1 of the sorted parameters) and
not past its `sigexpiry`.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

from flask import current_app, jsonify, make_response, request

from wiki import search
from wiki.web.special import register


def signature(params: dict[str, str], key: str) -> str:
    """MediaWiki's query signature: HMAC-SHA1 of the parameters sorted by name, as a query string."""
    query = urlencode(sorted(params.items()))
    return hmac.new(key.encode(), query.encode(), hashlib.sha1).hexdigest()


def _bad(message: str, status: int = 400):
    body = (
        "<!DOCTYPE html><html><head><title>Bad Request</title></head>"
        f"<body><h1>Bad Request</h1><p>{message}</p></body></html>\n"
    )
    return make_response(body, status, {"Content-Type": "text/html; charset=utf-8"})


@register("RunJobs", "Run jobs", listed=False)
def run_jobs(_sub: str):
    if request.method != "POST":
        return _bad("Request must be POSTed.")
    form = request.form
    missing = [name for name in ("title", "signature", "sigexpiry") if name not in form]
    if missing:
        return _bad("Missing parameters: " + ", ".join(missing))
    params = {name: value for name, value in form.items() if name != "signature"}
    expected = signature(params, current_app.config["SECRET_KEY"])
    expiry = form["sigexpiry"]
    if (
        not hmac.compare_digest(expected, form["signature"])
        or not expiry.isdigit()
        or int(expiry) < time.time()
    ):
        return _bad("Invalid or stale signature provided.")
    started = time.monotonic()
    applied = search.run_pending()
    jobs = [] if applied == 0 else [{"type": "searchIndex", "status": "ok" if applied else "busy"}]
    elapsed = int((time.monotonic() - started) * 1000)
    reached = "none-ready" if applied == 0 else "job-limit"
    if applied is None:
        time.sleep(0.1)  # the indexer is writing; let the caller ask again a little later
    return jsonify({"jobs": jobs, "reached": reached, "backoffs": [], "elapsed": elapsed})
