# ruff: noqa: E501 - the table of cases reads best one request per line
"""Changes lists at scale: RecentChanges (plain, filtered, second page), Special:Contributions of a
heavy editor, list=recentchanges, list=usercontribs and the RecentChanges feed, p50/p95 per request.

    .venv/bin/python bench/changes_bench.py [--pages 10000] [--revisions 200000] [--heavy 50000]
        [--database-url postgresql://...] [--runs 40]

Bulk-loads pages, revisions and their recent-changes rows (a tenth minor, a tenth anonymous, a
twentieth bots; `--heavy` of the edits by one user) into a freshly migrated database, then times
each request through the application's WSGI stack (Flask's test client: no socket).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def migrate(url: str, instance: Path) -> None:
    env = {**os.environ, "WIKI_DATABASE_URL": url, "WIKI_INSTANCE_DIR": str(instance)}
    cmd = [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)


def load(app, pages: int, revisions: int, heavy: int) -> None:
    from sqlalchemy import insert

    from wiki.extensions import db
    from wiki.models import Page, RecentChange, Revision, User

    start = datetime.utcnow() - timedelta(days=25)
    step = timedelta(days=24) / max(revisions, 1)
    with app.app_context():
        db.session.add(User(id=1, name="Heavy", password_hash="-"))
        db.session.flush()
        db.session.execute(
            insert(Page),
            [
                {"id": i + 1, "namespace": int(i % 4 == 3), "title": f"Bench_page_{i}", "latest": None}
                for i in range(pages)
            ],
        )
        latest: dict[int, int] = {}
        revs, rcs = [], []
        for n in range(revisions):
            page_id = n % pages + 1
            rev_id = n + 1
            user = "Heavy" if n % max(1, revisions // max(heavy, 1)) == 0 else f"User{n % 500}"
            anon = n % 10 == 7
            when = start + step * n
            parent = latest.get(page_id)
            revs.append(
                {"id": rev_id, "page_id": page_id, "parent_id": parent, "text": "x" * (n % 50), "sha1": "0" * 40,
                 "size": n % 50, "comment": f"edit {n}", "user_id": None if anon else 1,
                 "user_text": f"10.0.0.{n % 250}" if anon else user, "timestamp": when, "minor": n % 10 == 3}
            )  # fmt: skip
            rcs.append(
                {"timestamp": when, "type": "edit" if parent else "new", "namespace": int(page_id % 4 == 0),
                 "title": f"Bench_page_{page_id - 1}", "page_id": page_id, "rev_id": rev_id, "old_rev_id": parent,
                 "user_id": None if anon else 1, "user_text": revs[-1]["user_text"], "comment": f"edit {n}",
                 "minor": n % 10 == 3 and parent is not None, "bot": n % 20 == 5, "patrolled": 2,
                 "old_len": 0, "new_len": n % 50}
            )  # fmt: skip
            latest[page_id] = rev_id
            if len(revs) >= 20000:
                db.session.execute(insert(Revision), revs)
                db.session.execute(insert(RecentChange), rcs)
                revs, rcs = [], []
        if revs:
            db.session.execute(insert(Revision), revs)
            db.session.execute(insert(RecentChange), rcs)
        for page_id, rev_id in latest.items():
            db.session.execute(db.update(Page).where(Page.id == page_id).values(latest=rev_id))
        db.session.commit()


def timed(client, url: str, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--revisions", type=int, default=200000)
    parser.add_argument("--heavy", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="changes_bench_"))
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    migrate(url, work)
    from wiki import create_app

    app = create_app(
        {
            "WIKI_INSTANCE_DIR": str(work),
            "SQLALCHEMY_DATABASE_URI": url,
            "WIKI_INDEX_DIR": str(work / "search"),
        }
    )
    t0 = time.perf_counter()
    load(app, args.pages, args.revisions, args.heavy)
    print(
        f"loaded {args.pages} pages, {args.revisions} revisions in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})"
    )
    indexer = app.extensions.get("wiki.search.indexer")
    if indexer is not None:  # search indexing is not what is measured: keep it off the CPU
        indexer.stop(wait=60)
    client = app.test_client()
    first = client.get("/w/api.php?action=query&list=recentchanges&rclimit=50&format=json").get_json()
    cont = first["continue"]["rccontinue"]
    cases = [
        ("RecentChanges (50, bots hidden)", "/wiki/Special:RecentChanges"),
        ("RecentChanges hideminor+hideanons+ns=1", "/w/index.php?title=Special:RecentChanges&hideminor=1&hideanons=1&namespace=1"),
        ("RecentChanges 500, 30 days", "/w/index.php?title=Special:RecentChanges&limit=500&days=30"),
        ("RecentChanges new pages only", "/w/index.php?title=Special:RecentChanges&hidepageedits=1&hidelog=1"),
        ("Contributions/Heavy (50)", "/wiki/Special:Contributions/Heavy"),
        ("Contributions/Heavy ns=1 newOnly", "/w/index.php?title=Special:Contributions/Heavy&namespace=1&newOnly=1"),
        ("list=recentchanges 500", "/w/api.php?action=query&list=recentchanges&rclimit=500&rcprop=title|ids|sizes|flags|user&format=json"),
        ("list=recentchanges rccontinue", f"/w/api.php?action=query&list=recentchanges&rccontinue={cont}&format=json"),
        ("list=usercontribs Heavy 500", "/w/api.php?action=query&list=usercontribs&ucuser=Heavy&uclimit=500&format=json"),
        ("RecentChanges Atom feed", "/w/index.php?title=Special:RecentChanges&feed=atom"),
        ("Contributions Atom feed", "/w/api.php?action=feedcontributions&user=Heavy&feedformat=atom"),
    ]  # fmt: skip
    print(f"{'request':45} {'p50 ms':>8} {'p95 ms':>8}")
    for name, path in cases:
        client.get(path)  # warm
        p50, p95 = timed(client, path, args.runs)
        print(f"{name:45} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
