"""Crashes: SIGKILL the whole server (master and workers) again and again during a stream of saves.
After restart every acknowledged save is there, the database is intact, and check-index repairs any
page whose search entry lags behind."""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from html import unescape

import pytest
import requests
from sqlalchemy import delete

from tests.conftest import LiveServer

from .consistency import app_for, check_index, database_problems

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress

CRASHES = 3
PAGES = 4
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


class Writer(threading.Thread):
    """Saves one line after another, remembering which saves the server acknowledged (303)."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.acked: list[tuple[str, str]] = []
        self.attempts = 0

    def run(self) -> None:
        http = requests.Session()
        i = 0
        while not self.stop.is_set():
            title = f"Crash {i % PAGES}"
            marker = f"save number {i}"
            try:
                html = http.get(
                    f"{self.base}/w/index.php", params={"title": title, "action": "edit"}, timeout=10
                ).text
                fields = {k: unescape(v) for k, v in HIDDEN.findall(html)}
                old = re.search(r'<textarea id="wpTextbox1"[^>]*>(.*?)</textarea>', html, re.S)
                text = (unescape(old.group(1)) if old else "") + f"\n* {marker}"
                self.attempts += 1
                resp = http.post(
                    f"{self.base}/w/index.php",
                    params={"title": title, "action": "submit"},
                    data={**fields, "wpTextbox1": text, "wpSave": "1"},
                    timeout=10,
                    allow_redirects=False,
                )
            except (requests.RequestException, AttributeError):
                time.sleep(0.05)  # the server is down or was killed mid-answer: not acknowledged
                continue
            if resp.status_code == 303:
                self.acked.append((title, marker))
            i += 1


def _wait_for_saves(writer: Writer, count: int, seconds: float = 30) -> None:
    target, deadline = len(writer.acked) + count, time.monotonic() + seconds
    while len(writer.acked) < target and time.monotonic() < deadline:
        time.sleep(0.02)


def _kill(server: LiveServer) -> None:
    os.killpg(server.proc.pid, signal.SIGKILL)  # master and every worker, no cleanup
    server.proc.wait()


def test_acknowledged_saves_survive_repeated_sigkill(database_url, instance_dir):
    env = {"WIKI_INSTANCE_DIR": str(instance_dir), "WIKI_DATABASE_URL": database_url}
    env["WIKI_INDEX_DIR"] = str(instance_dir / "search")
    server = LiveServer(database_url, instance_dir).start()
    writer = Writer(server.url)
    writer.start()
    survived = 0
    try:
        for _ in range(CRASHES):
            _wait_for_saves(writer, 3)
            time.sleep(random.uniform(0, 0.15))  # mid-stream: often during a save
            _kill(server)
            survived += 1
            server = LiveServer(database_url, instance_dir, listener=server.listener)  # the same port
            server.start()
        _wait_for_saves(writer, 3)
    finally:
        writer.stop.set()
        writer.join(30)
        server.stop()
    print(f"crash: {survived} SIGKILLs, {writer.attempts} saves tried, {len(writer.acked)} acknowledged")
    assert len(writer.acked) >= 5
    assert database_problems(database_url) == []
    app = app_for(env)
    with app.app_context():
        from wiki import pages, site
        from wiki.extensions import db
        from wiki.models import SearchOutbox

        latest = {}
        for n in range(PAGES):
            page = pages.get(site.parse_title(f"Crash {n}"))
            latest[f"Crash {n}"] = pages.latest(page).text if page else ""
        lost = [(t, m) for t, m in writer.acked if f"* {m}\n" not in latest[t] + "\n"]
        assert not lost, f"{len(lost)} acknowledged saves lost, e.g. {lost[:3]}"
        # An index write lost after commit leaves the index behind: make one for sure (no hook ran,
        # and the outbox row is gone too, so only check-index's comparison can find it).
        app.extensions["wiki.after_commit"] = []
        pages.save(
            site.parse_title("Crash 0"),
            latest["Crash 0"] + "\n* unindexed",
            actor=pages.Actor("127.0.0.1"),
        )
        db.session.execute(delete(SearchOutbox))
        db.session.commit()
        # ...and one page whose document never reached the index at all.
        from wiki.search import INDEX_KEY

        gone = pages.get(site.parse_title("Crash 1"))
        app.extensions[INDEX_KEY].update([], [gone.id])
        db.session.remove()
        db.engine.dispose()
    first = check_index(env)
    assert re.search(r"[1-9]\d* (missing|stale)", first) and "Repaired" in first, first
    assert "agrees with the database" in check_index(env, "--dry-run")
