"""gunicorn settings of `make run`, the tests and the benchmarks: `gunicorn -c python:wiki.gunicorn_conf`.

The master starts one search indexer process beside the workers (see wiki.search.worker), so no
worker spends its interpreter lock on a search-index commit, and stops it on exit; the indexer
also exits by itself when the master is gone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

_indexer: subprocess.Popen | None = None

# Each worker is a process: prometheus_client keeps their values in files here, and /metrics adds
# them up. Set before any worker imports the app; a directory of our own, emptied on exit.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="wiki-metrics-")
    _own_metrics_dir = True
else:
    _own_metrics_dir = False


def when_ready(server) -> None:
    global _indexer
    _indexer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wiki", "search-indexer", "--watch-parent"]
    )
    server.log.info("search indexer started (pid %s)", _indexer.pid)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        try:
            _indexer.wait(10)
        except subprocess.TimeoutExpired:
            _indexer.kill()
