"""Special:RunJobs: the signed POST with which MediaWiki's API test tools wait for pending work."""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import urlencode

from tests.api.helpers import ApiClient


def _signed(app, **extra) -> dict:
    params = {
        "title": "Special:RunJobs",
        "maxjobs": "10",
        "maxtime": "100",
        "async": "",
        "stats": "1",
        "tasks": "",
        "sigexpiry": str(int(time.time()) + 3600),
        **extra,
    }
    query = urlencode(sorted(params.items()))
    key = app.config["SECRET_KEY"].encode()
    return {**params, "signature": hmac.new(key, query.encode(), hashlib.sha1).hexdigest()}


def test_run_jobs_applies_the_search_outbox_and_refuses_unsigned_requests(app, client):
    api = ApiClient(client)
    assert api.edit("Quokka notes", "The zqxwombat word.")["edit"]["result"] == "Success"
    for _ in range(100):  # as the test tools loop: until nothing is ready
        resp = client.post("/w/index.php", data=_signed(app))
        assert resp.status_code == 200 and resp.mimetype == "application/json"
        if resp.get_json()["reached"] == "none-ready":
            break
    else:
        raise AssertionError("the outbox never emptied")
    found = api.get(action="query", list="search", srsearch="zqxwombat")["query"]["search"]
    assert [hit["title"] for hit in found] == ["Quokka notes"]

    forged = {**_signed(app), "signature": "0" * 40}
    expired = _signed(app, sigexpiry=str(int(time.time()) - 10))
    unsigned = {k: v for k, v in _signed(app).items() if k != "signature"}
    for data in (forged, expired, unsigned):
        resp = client.post("/w/index.php", data=data)
        assert resp.status_code == 400
    assert client.get("/w/index.php", query_string=_signed(app)).status_code == 400
