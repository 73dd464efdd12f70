"""gunicorn settings of `make run`, the tests and the benchmarks: `gunicorn -c python:wiki.gunicorn_conf`.

Threaded workers (gthread, two threads each): a worker waits for a client's request in its event
loop, so idle or slow connections take no thread and cannot hold the site (sync workers each block
on one connection until the timeout); they also keep connections alive, which served 3-4 times the
requests of sync workers in `make bench`. Options given on gunicorn's command line win.

The master starts one search indexer process beside the workers (see wiki.search.worker), so no
worker spends its interpreter lock on a search-index commit, and stops it on exit; the indexer
also exits by itself when the master is gone. WIKI_SEARCH_INDEXER=external leaves it to a service
of its own (deploy/wikimill-indexer.service, the Procfile's indexer).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gunicorn.arbiter import Arbiter
    from gunicorn.workers.base import Worker

worker_class = "gthread"
threads = 2

_indexer: subprocess.Popen[bytes] | None = None

# Each worker is a process: prometheus_client keeps their values in files here, and /metrics adds
# them up. Set before any worker imports the app; a directory of our own, emptied on exit.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="wiki-metrics-")
    _own_metrics_dir = True
else:
    _own_metrics_dir = False


def when_ready(server: Arbiter) -> None:
    global _indexer
    if os.environ.get("WIKI_SEARCH_INDEXER", "").strip().lower() == "external":
        server.log.info("search indexer runs as its own service (WIKI_SEARCH_INDEXER=external)")
        return  # deploy/'s indexer unit or the Procfile's indexer: a second one here would exit at once
    _indexer = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wiki", "search-indexer", "--watch-parent"]
    )
    server.log.info("search indexer started (pid %s)", _indexer.pid)


# The cyclic garbage collector, once the app is loaded: the objects the worker keeps for its life
# (modules, the app, SQLAlchemy's tables and mappers, ~140,000) are frozen out of collections, and a
# full collection waits for 50 younger ones instead of 10. A request of a 250-line list leaves ~3,000
# objects in reference cycles (Jinja's contexts, SQLAlchemy's statements); with the defaults every
# ~10th such request paid a full collection of the whole heap (~60 ms; bench/collab_bench.py's p95).
GC_THRESHOLDS = (1000, 20, 50)


def post_worker_init(worker: Worker) -> None:
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def child_exit(server: Arbiter, worker: Worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Arbiter) -> None:
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    if _indexer is not None and _indexer.poll() is None:
        _indexer.terminate()
        try:
            _indexer.wait(10)
        except subprocess.TimeoutExpired:
            _indexer.kill()
