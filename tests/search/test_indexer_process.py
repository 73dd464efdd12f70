"""The dedicated search indexer that gunicorn starts beside its workers (wiki.gunicorn_conf)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.search.test_search_live import save, total_hits, wait_for


def _children(pid: int) -> dict[int, str]:
    """Child process id -> its whole command line, read from /proc (`ps` cuts long command lines,
    which hid the indexer when the checkout lives in a deep folder)."""
    found: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid ...": the name may hold spaces and parentheses
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                args = (stat.parent / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
                found[int(stat.parent.name)] = " ".join(a.decode(errors="replace") for a in args)
        except (OSError, IndexError, ValueError):  # the process ended while we looked
            continue
    return found


def _indexer_pid(server) -> int:
    found = [pid for pid, args in _children(server.proc.pid).items() if "search-indexer" in args]
    assert len(found) == 1, _children(server.proc.pid)
    return found[0]


def _gone(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


# Kills the indexer: `make stress`; the tests below still check that the server runs exactly one.
@pytest.mark.stress
def test_server_runs_one_indexer_and_saves_stay_findable_without_it(live_server):
    wait_for(lambda: total_hits(live_server.url, "anything") >= 0, 20)
    indexer = _indexer_pid(live_server)
    assert save(live_server.url, "Okapi", "The okapi is related to the giraffe.") == 303
    wait_for(lambda: total_hits(live_server.url, "okapi") == 1, 2)
    # A crashed indexer: the workers' own threads take the work back.
    os.kill(indexer, signal.SIGKILL)
    wait_for(lambda: _gone(indexer), 5)
    assert save(live_server.url, "Quokka", "The quokka lives on Rottnest Island.") == 303
    wait_for(lambda: total_hits(live_server.url, "quokka") == 1, 10)


def test_stopping_the_server_stops_its_indexer(live_server):
    indexer = _indexer_pid(live_server)
    live_server.stop()
    wait_for(lambda: _gone(indexer), 10)


def test_a_second_indexer_for_the_same_index_steps_aside(live_server):
    _indexer_pid(live_server)
    started = time.monotonic()
    second = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "search-indexer"],
        cwd=ROOT,
        env=live_server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0
    assert "Another search indexer is running" in second.stderr
    assert time.monotonic() - started < 30


def _segments(instance: Path) -> int:
    from whoosh import index as whoosh_index

    gen = (instance / "search" / "CURRENT").read_text().strip()
    return len(whoosh_index.open_dir(str(instance / "search" / gen))._segments())


def test_an_idle_indexer_merges_the_small_segments_saves_added(live_server, instance_dir):
    wait_for(lambda: total_hits(live_server.url, "anything") >= 0, 20)
    names = ["Kakapo", "Kea", "Takahe", "Weka"]
    for name in names:  # one after the other: an index commit, and a segment, each
        assert save(live_server.url, name, f"The {name.lower()} is a bird of New Zealand.") == 303
        wait_for(lambda n=name: total_hits(live_server.url, n.lower()) == 1, 5)
    assert _segments(instance_dir) >= 3
    wait_for(lambda: _segments(instance_dir) == 1, 20)  # idle for a few seconds: merged
    assert total_hits(live_server.url, "zealand") == len(names)
