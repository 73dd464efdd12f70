"""gunicorn settings of `make run`, the tests and the benchmarks: `gunicorn -c python:wiki.gunicorn_conf`.

The master starts one search indexer process beside the workers (see wiki.search.worker), so no
worker spends its interpreter lock on a search-index commit, and stops it on exit; the indexer
also exits by itself when the master is gone.
"""

from __future__ import annotations

import subprocess
import sys

_indexer: subprocess.Popen | None = None


def when_ready(server) -> None:
    global _indexer
    _indexer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wiki", "search-indexer", "--watch-parent"]
    )
    server.log.info("search indexer started (pid %s)", _indexer.pid)


def on_exit(server) -> None:
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        try:
            _indexer.wait(10)
        except subprocess.TimeoutExpired:
            _indexer.kill()
