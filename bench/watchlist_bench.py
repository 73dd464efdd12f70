"""Special:Watchlist and list=watchlist through HTTP at scale: a user watching 1,000 pages of a wiki
with 100,000 pages and 1,000,000 recent-changes rows (other users watching pages too).

    .venv/bin/python bench/watchlist_bench.py [--pages 100000] [--changes 1000000] [--requests 200]
    WIKI_DATABASE_URL=postgresql://... .venv/bin/python bench/watchlist_bench.py   (an empty database)

The rows are bulk-loaded (pages, recentchange, watchlist), then a gunicorn serves the wiki and one
logged-in client asks each URL in turn; p50 and p95 are printed in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import servers  # noqa: E402

PASSWORD = "bench watch password"
BATCH = 20_000


def load(url: str, instance: Path, n_pages: int, n_changes: int, watched: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from wiki import create_app
    from wiki.access import accounts
    from wiki.extensions import db
    from wiki.models import Page, RecentChange, WatchedItem

    app = create_app({"WIKI_INSTANCE_DIR": str(instance), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "wiki" / "migrations"))
        accounts.create_user("Watcher", PASSWORD)
        for n in range(20):
            accounts.create_user(f"Editor {n}", PASSWORD)
        rng = random.Random(7)
        now = datetime.utcnow()
        start = now - timedelta(days=30)
        step = timedelta(days=30) / n_changes
        latest: dict[int, int] = {}
        rows = []
        for i in range(1, n_changes + 1):
            page = rng.randrange(1, n_pages + 1)
            kind = "new" if page not in latest else "edit"
            rows.append(
                {
                    "timestamp": start + step * i,
                    "type": kind,
                    "namespace": 0,
                    "title": f"Page_{page}",
                    "page_id": page,
                    "rev_id": i,
                    "old_rev_id": latest.get(page),
                    "user_id": 2 + i % 20,
                    "user_text": f"Editor {i % 20}",
                    "comment": "bench edit",
                    "minor": i % 3 == 0,
                    "bot": i % 10 == 0,
                    "patrolled": 2,
                    "old_len": 100,
                    "new_len": 100 + i % 50,
                }
            )
            latest[page] = i
            if len(rows) >= BATCH:
                db.session.execute(insert(RecentChange.__table__), rows)
                rows = []
        if rows:
            db.session.execute(insert(RecentChange.__table__), rows)
        pages = [
            {"id": p, "namespace": 0, "title": f"Page_{p}", "latest": latest.get(p), "length": 100,
             "is_redirect": False, "touched": now, "created": start}
            for p in range(1, n_pages + 1)
        ]  # fmt: skip
        for s in range(0, len(pages), BATCH):
            db.session.execute(insert(Page.__table__), pages[s : s + BATCH])
        watch_rows = []
        for user_id, count in [(1, watched)] + [(u, 200) for u in range(2, 22)]:
            for p in rng.sample(range(1, n_pages + 1), count):
                for ns in (0, 1):
                    watch_rows.append({"user_id": user_id, "namespace": ns, "title": f"Page_{p}"})
        for s in range(0, len(watch_rows), BATCH):
            db.session.execute(insert(WatchedItem.__table__), watch_rows[s : s + BATCH])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def login(base: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/wiki/Special:UserLogin").text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.update(wpName="Watcher", wpPassword=PASSWORD)
    resp = session.post(f"{base}/w/index.php?title=Special:UserLogin", data=fields, allow_redirects=False)
    assert resp.status_code == 303, resp.status_code
    return session


def measure(session: requests.Session, url: str, runs: int) -> tuple[float, float, int]:
    times = []
    size = 0
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = session.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
        size = len(resp.content)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=1_000_000)
    parser.add_argument("--watched", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="watch_bench_"))
    url = os.environ.get("WIKI_DATABASE_URL") or f"sqlite:///{instance / 'wiki.db'}"
    t0 = time.perf_counter()
    load(url, instance, args.pages, args.changes, args.watched)
    print(f"loaded {args.pages:,} pages, {args.changes:,} changes in {time.perf_counter() - t0:.0f} s")
    env = {"WIKI_DATABASE_URL": url} if url.startswith("postgresql") else {}
    with servers.wiki_server(instance, env=env) as server:
        session = login(server.url)
        wl, api = "/wiki/Special:Watchlist", "/w/api.php?action=query&format=json&"
        urls = {
            "Special:Watchlist (defaults: 3 days, 50, latest per page)": wl,
            "Special:Watchlist 30 days, 500, every change": wl + "?days=30&limit=500&extended=1",
            "Special:Watchlist hide minor+bots+mine, ns 0, 30 days": wl
            + "?hideminor=1&hidebots=1&hidemyself=1&namespace=0&days=30",
            "list=watchlist wllimit=50": api
            + "list=watchlist&wllimit=50&wlprop=ids|title|user|timestamp|sizes",
            "list=watchlistraw wrlimit=500": api + "list=watchlistraw&wrlimit=500",
            "(baseline: Special:SpecialPages, logged in)": "/wiki/Special:SpecialPages",
        }
        print("| request | p50 ms | p95 ms | bytes |\n|---|---|---|---|")
        for name, path in urls.items():
            measure(session, server.url + path, 5)  # warm up
            p50, p95, size = measure(session, server.url + path, args.requests)
            print(f"| {name} | {p50:.1f} | {p95:.1f} | {size:,} |")


if __name__ == "__main__":
    main()
