"""Slow clients cannot hold the site (issue 15, item 9): the served configuration (wiki.gunicorn_conf,
gthread workers) waits for a request in each worker's event loop, so connections that were opened
and then left idle take no worker. With sync workers two such connections stopped the wiki for
about 30 s (each sync worker blocks on one connection until its timeout): every request below would
time out."""

from __future__ import annotations

import socket
import time

import pytest
import requests

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress


def _timed_get(url: str) -> float:
    started = time.monotonic()
    resp = requests.get(url, timeout=5)
    assert resp.status_code == 200
    return time.monotonic() - started


@pytest.mark.parametrize("idle_connections", [2, 4])
def test_idle_half_open_connections_leave_the_site_answering(live_server, idle_connections):
    url = f"{live_server.url}/wiki/Special:SpecialPages"
    for _ in range(4):  # both workers have rendered the page once: what follows is the steady state
        _timed_get(url)
    idle = [
        socket.create_connection(("127.0.0.1", live_server.port), timeout=5) for _ in range(idle_connections)
    ]
    try:
        time.sleep(0.5)  # every worker has had time to accept one of them
        # three requests, each must answer; on a loaded machine the fastest shows the wait for a worker
        fastest = min(_timed_get(url) for _ in range(3))
        assert fastest < 1.0, (
            f"a normal request took {fastest:.2f} s beside {idle_connections} idle connections"
        )
    finally:
        for conn in idle:
            conn.close()
