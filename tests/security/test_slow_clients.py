"""Slow clients cannot hold the site (issue 15, item 9): the served configuration (wiki.gunicorn_conf,
gthread workers) waits for a request in each worker's event loop, so connections that were opened
and then left idle take no worker. With sync workers two such connections stopped the wiki for
about 30 s (each sync worker blocks on one connection until its timeout)."""

from __future__ import annotations

import socket
import time

import pytest
import requests


@pytest.mark.parametrize("idle_connections", [2, 4])
def test_idle_half_open_connections_leave_the_site_answering(live_server, idle_connections):
    idle = [
        socket.create_connection(("127.0.0.1", live_server.port), timeout=5) for _ in range(idle_connections)
    ]
    try:
        time.sleep(0.5)  # every worker has had time to accept one of them
        started = time.monotonic()
        resp = requests.get(f"{live_server.url}/wiki/Special:SpecialPages", timeout=10)
        elapsed = time.monotonic() - started
        assert resp.status_code == 200
        assert elapsed < 1.0, (
            f"a normal request took {elapsed:.2f} s beside {idle_connections} idle connections"
        )
    finally:
        for conn in idle:
            conn.close()
