"""What an operator watches: health and readiness, request ids, one JSON log line per request."""

from __future__ import annotations

import json
import logging
import re

import pytest
import requests
from sqlalchemy import text

from tests.conftest import LiveServer, close_app, make_app


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_reports_database_migrations_and_search(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["migrations"]["ok"] and body["checks"]["migrations"]["current"]
    assert body["checks"]["search"]["outbox_pending"] >= 0


def test_readyz_is_503_when_the_schema_is_behind(app, client):
    from wiki.extensions import db

    with app.app_context():
        head = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        db.session.commit()
    try:
        response = client.get("/readyz")
    finally:
        # PostgreSQL's test database outlives the test (only the data tables are emptied between tests)
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["migrations"]["ok"] is False
    assert body["checks"]["migrations"]["current"] == ["0001"]


def test_every_response_carries_a_request_id(client):
    first = client.get("/wiki/Main_Page").headers["X-Request-Id"]
    second = client.get("/wiki/Main_Page").headers["X-Request-Id"]
    assert first and second and first != second


def test_a_well_formed_incoming_request_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/healthz", headers={"X-Request-Id": "proxy-abc123-def"})
    assert kept.headers["X-Request-Id"] == "proxy-abc123-def"
    replaced = client.get("/healthz", headers={"X-Request-Id": "bad id; x=1"})
    fresh = replaced.headers["X-Request-Id"]  # a new random id: 32 hex digits (which may spell "bad")
    assert " " not in fresh and ";" not in fresh and re.fullmatch(r"[0-9a-f]{32}", fresh), fresh


@pytest.fixture
def json_app(database_url, instance_dir):
    app = make_app(database_url, instance_dir, WIKI_LOG_FORMAT="json")
    yield app
    close_app(app)


def test_json_log_has_one_line_per_request_with_its_facts(json_app, caplog):
    client = json_app.test_client()
    with caplog.at_level(logging.INFO, logger="wiki.request"):
        response = client.get("/wiki/Main_Page?action=history", headers={"X-Request-Id": "req-000000001"})
        response.close()
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "wiki.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "req-000000001"
    assert line["method"] == "GET" and line["path"] == "/wiki/Main_Page?action=history"
    assert line["status"] == response.status_code
    assert line["duration_ms"] >= 0 and line["address"] == "127.0.0.1"
    assert set(line) >= {"time", "user", "cache"}


def test_json_log_never_holds_a_password_or_token(json_app, caplog):
    client = json_app.test_client()
    with caplog.at_level(logging.DEBUG):
        client.get(
            "/w/api.php?action=login&lgname=Nobody&lgpassword=hunter2-secret&lgtoken=tok-secret%2B%5C"
        ).close()
        client.post(
            "/w/api.php", data={"action": "login", "lgname": "Nobody", "lgpassword": "hunter3-secret"}
        ).close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "lgpassword=%2A%2A%2A" in logged  # the parameter is named, its value is not
    for secret in ("hunter2-secret", "hunter3-secret", "tok-secret"):
        assert secret not in logged


# A live server (gunicorn) of the in-process check above: `make stress`.
@pytest.mark.stress
def test_a_live_server_logs_no_secret_on_a_failing_login(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir, workers=1, env={"WIKI_LOG_FORMAT": "json"}).start()
    try:
        session = requests.Session()
        token = session.get(
            server.url + "/w/api.php",
            params={"action": "query", "meta": "tokens", "type": "login", "format": "json"},
            timeout=10,
        ).json()["query"]["tokens"]["logintoken"]
        answer = session.post(
            server.url + "/w/api.php",
            data={
                "action": "login",
                "lgname": "Somebody",
                "lgpassword": "pa55-word-in-clear",
                "lgtoken": token,
                "format": "json",
            },
            timeout=10,
        ).json()
        assert answer["login"]["result"] == "Failed"
        session.get(
            server.url + "/w/api.php?action=login&lgname=X&lgpassword=get-pa55-word&format=json", timeout=10
        )
        cookie = session.cookies.get("session") or ""
    finally:
        server.proc.terminate()
        server.proc.wait(10)
        err = server.proc.stderr.read().decode(errors="replace")
        server.stop()
    assert '"path": "/w/api.php' in err  # the request log was written
    for secret in ("pa55-word-in-clear", "get-pa55-word", token):
        assert secret not in err
    if cookie:
        assert cookie not in err


def _sample(body: str, name: str, **labels) -> float:
    """The value of one Prometheus sample in a text exposition (0 when absent)."""
    total = 0.0
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        head, _, value = line.rpartition(" ")
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(value)
    return total


def test_metrics_count_requests_by_route_and_status(client):
    before = client.get("/metrics").get_data(as_text=True)
    for _ in range(3):
        client.get("/wiki/Some_missing_page").close()
    after = client.get("/metrics").get_data(as_text=True)
    route = "/wiki/<path:name>"
    assert (
        _sample(after, "wiki_http_requests_total", route=route, status="404")
        - _sample(before, "wiki_http_requests_total", route=route, status="404")
        == 3
    )
    assert _sample(after, "wiki_http_request_duration_seconds_count", route=route) >= 3
    assert "wiki_search_outbox_pending" in after and "wiki_cache_lookups_total" in after


def test_metrics_show_the_search_outbox_depth(app, client):
    from wiki.extensions import db
    from wiki.models import SearchOutbox

    with app.app_context():
        indexer = app.extensions.get("wiki.search.indexer")
        if indexer is not None:
            indexer.stop(wait=10)  # keep the rows where the scrape can see them
        db.session.add_all([SearchOutbox(page_id=1), SearchOutbox(page_id=2)])
        db.session.commit()
    body = client.get("/metrics").get_data(as_text=True)
    assert _sample(body, "wiki_search_outbox_pending") == 2


def test_metrics_are_refused_to_other_addresses(app):
    outsider = app.test_client()
    outsider.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    response = outsider.get("/metrics")
    assert response.status_code == 403
    assert "WIKI_METRICS_ALLOW" in response.get_data(as_text=True)


def test_metrics_of_every_worker_are_added_up(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir, workers=2).start()
    try:
        for _ in range(40):
            requests.get(server.url + "/wiki/Nowhere_at_all", timeout=10)
        body = requests.get(server.url + "/metrics", timeout=10).text
    finally:
        server.stop()
    assert _sample(body, "wiki_http_requests_total", route="/wiki/<path:name>", status="404") == 40
