"""Real gunicorn workers writing one index: concurrent saves all indexed, a killed worker loses nothing."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import LiveServer
from tests.helpers import form_fields

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress


def total_hits(base: str, query: str) -> int:
    resp = requests.get(
        f"{base}/w/index.php",
        params={"title": "Special:Search", "search": query, "fulltext": "1", "limit": "1"},
        timeout=10,
    )
    if resp.status_code != 200:
        return -1
    match = re.search(r"of <strong>([\d,]+)</strong>", resp.text)
    return int(match.group(1).replace(",", "")) if match else 0


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"not true within {timeout} s")


class Editor:
    """One browser session: its edit form's hidden fields serve every new page it creates."""

    def __init__(self, base: str):
        self.session = requests.Session()
        form = self.session.get(
            f"{base}/w/index.php", params={"title": "New page", "action": "edit"}, timeout=30
        )
        self.fields = form_fields(form.text)

    def save(self, base: str, title: str, body: str) -> int:
        fields = {**self.fields, "wpTextbox1": body, "wpSummary": "", "wpSave": "1"}
        resp = self.session.post(
            f"{base}/w/index.php",
            params={"title": title, "action": "submit"},
            data=fields,
            allow_redirects=False,
            timeout=60,
        )
        return resp.status_code


def save(base: str, title: str, body: str) -> int:
    session = requests.Session()
    form = session.get(f"{base}/w/index.php", params={"title": title, "action": "edit"}, timeout=30)
    fields = form_fields(form.text)
    fields.update(wpTextbox1=body, wpSummary="", wpSave="1")
    resp = session.post(
        f"{base}/w/index.php",
        params={"title": title, "action": "submit"},
        data=fields,
        allow_redirects=False,
        timeout=60,
    )
    return resp.status_code


def index_ready(base: str) -> bool:
    return total_hits(base, "anything") >= 0


def test_concurrent_saves_from_four_workers_are_all_indexed(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir, workers=4).start()
    try:
        wait_for(lambda: index_ready(server.url), 20)
        editors = [Editor(server.url) for _ in range(50)]

        def one(i: int) -> int:
            return editors[i % 50].save(server.url, f"Concurrent {i}", f"Page {i} about the capybara.")

        with ThreadPoolExecutor(max_workers=50) as pool:
            codes = list(pool.map(one, range(200)))
        assert codes == [303] * 200
        wait_for(lambda: total_hits(server.url, "capybara") == 200, 60)
    finally:
        server.stop()


def _outbox_rows(database_url: str) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM search_outbox")).scalar_one()
    finally:
        engine.dispose()


def test_killed_workers_pending_update_is_applied_after_restart(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir, workers=2).start()
    lock = None
    try:
        wait_for(lambda: index_ready(server.url), 20)
        # Another process holds the writer lock, so the save's update stays pending...
        lock = os.open(instance_dir / "search" / "writer.lock", os.O_RDWR | os.O_CREAT)
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert save(server.url, "Axolotl", "The axolotl regrows its limbs.") == 303
        assert _outbox_rows(database_url) >= 1
        # ...when every worker is killed without a chance to clean up.
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(10)
    finally:
        if lock is not None:
            fcntl.flock(lock, fcntl.LOCK_UN)
            os.close(lock)
        server.stop()
    restarted = LiveServer(database_url, instance_dir, workers=2).start()
    try:
        wait_for(lambda: total_hits(restarted.url, "axolotl") == 1, 30)
        assert _outbox_rows(database_url) == 0
    finally:
        restarted.stop()
