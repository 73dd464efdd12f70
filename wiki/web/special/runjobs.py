"""Special:RunJobs: run the pending background work now, for a caller that signs its request.

MediaWiki's job runner endpoint (SpecialRunJobs): POST only, parameters signed with HMAC-SHA1 under
the wiki's secret key, the signature expiring at `sigexpiry`. Test suites (MediaWiki's
api-testing) call it after each edit so that searches see the edit. Our background work is the
search outbox; the answer has MediaWiki's shape ({"jobs": ..., "reached": "none-ready"}).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

from flask import Response, current_app, json, request

from wiki import search
from wiki.search import outbox
from wiki.web.special import register

REQUIRED = ("title", "tasks", "signature", "sigexpiry")
OPTIONAL = ("maxjobs", "maxtime", "type", "async", "stats")


def _bad(message: str) -> Response:
    return Response(message + "\n", status=400, mimetype="text/plain")


def signature(query: dict[str, str], secret: str) -> str:
    """The HMAC of the parameters in key order, query-string encoded (MediaWiki's getQuerySignature)."""
    text = urlencode(sorted(query.items()), quote_via=quote)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest()


def _verified(params: dict[str, str]) -> bool:
    given = params.get("signature", "")
    query = {k: v for k, v in params.items() if k != "signature"}
    secret = str(current_app.config["SECRET_KEY"])
    # PHP encodes a space as "+", JavaScript's querystring as "%20": accept either spelling.
    plus = hmac.new(secret.encode(), urlencode(sorted(query.items())).encode(), hashlib.sha1).hexdigest()
    return hmac.compare_digest(signature(query, secret), given) or hmac.compare_digest(plus, given)


@register("RunJobs", "Run jobs", listed=False)
def run_jobs(_sub: str):
    if request.method != "POST":
        return _bad("Request must be POSTed.")
    values = request.values
    params = {k: values[k] for k in (*REQUIRED, *OPTIONAL) if k in values}
    missing = [k for k in REQUIRED if k not in params]
    if missing:
        return _bad("Missing parameters: " + ", ".join(missing))
    try:
        expiry = int(params["sigexpiry"])
    except ValueError:
        expiry = 0
    if not _verified(params) or expiry < time.time():
        return _bad("Invalid or stale signature provided.")
    applied = outbox.drain(search.index(), wait=True) or 0
    jobs = {"searchIndexUpdate": {"OK": applied, "failed": 0}} if applied else []
    stats = {"jobs": jobs, "reached": "none-ready"}
    if params.get("async", "1") not in ("", "0", "false"):
        return Response(status=202)
    if params.get("stats"):
        return Response(json.dumps(stats), mimetype="application/json")
    return Response("Done\n", mimetype="text/plain")
