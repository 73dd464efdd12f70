"""Concept structure costs (issue 19), in-process on a temporary SQLite wiki:

1. extraction rate of wiki.concepts.reader over wiki/content/ (pages per second), and over a
   100,000-page wiki made of the content pages under new titles (CONCEPTS_BENCH_PAGES to change);
2. its share of a save's p50 (saves of the flagship through the Flask test client);
3. Special:Timeline of the flagship, warm (p50/p95 over 50 requests);
4. Special:ConceptTree of a node with 1,000 children, warm.

Not part of `make bench` (it takes about a minute): `.venv/bin/python bench/concepts_bench.py`.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, insert

    from tests.helpers import WikiClient
    from wiki import create_app, seed
    from wiki.concepts.reader import read
    from wiki.extensions import db
    from wiki.models import Page, Revision

    texts = [p.read_text() for p in sorted((ROOT / "wiki" / "content").glob("*.wiki"))]
    read(texts[0])
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            read(text)
    rate = rounds * len(texts) / (time.perf_counter() - start)
    wide = int(os.environ.get("CONCEPTS_BENCH_PAGES", "100000"))
    start = time.perf_counter()
    for i in range(wide):  # every page its own title and genus link, so nothing is shared between them
        text = texts[i % len(texts)]
        read(text.replace("[[", f"[[W{i} ", 2))
    wide_rate = wide / (time.perf_counter() - start)
    flagship = (ROOT / "wiki" / "content" / f"{FLAGSHIP}.wiki").read_text()
    read_ms = statistics.median(timed(lambda: read(flagship), 50))

    work = Path(tempfile.mkdtemp(prefix="concepts_bench_"))
    app = create_app(
        {
            "TESTING": True,
            "WIKI_INSTANCE_DIR": str(work),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'wiki.db'}",
            "WIKI_INDEX_DIR": str(work / "search"),
            "WIKI_RATE_LIMITS": "off",  # the bench saves faster than an anonymous editor may
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "wiki" / "migrations"))
        list(seed.seed_dir(ROOT / "wiki" / "content"))
    client = app.test_client()
    wiki = WikiClient(client)
    n = [0]

    def save() -> None:
        n[0] += 1
        resp = wiki.edit(FLAGSHIP, flagship + f"\n<!-- bench {n[0]} -->")
        assert resp.status_code in (302, 303), resp.status_code

    save_ms = statistics.median(timed(save, 20))
    timeline = timed(lambda: client.get(f"/wiki/Special:Timeline/{FLAGSHIP}"), 50)

    stamp = datetime(2026, 1, 1)
    with app.app_context():
        start_id = (db.session.scalar(db.select(func.max(Page.id))) or 0) + 1
        rev_id = (db.session.scalar(db.select(func.max(Revision.id))) or 0) + 1
        rows = {
            f"Bench_child_{i:04d}": f"A [[Bench child {i:04d}]] is a [[Bench parent]]." for i in range(1000)
        }
        rows["Bench_parent"] = "A [[Bench parent]] is a [[Technical milestone]]."
        pages, revs = [], []
        for i, (title, text) in enumerate(rows.items()):
            data = text.encode()
            pages.append(dict(id=start_id + i, namespace=0, title=title, latest=rev_id + i, length=len(data)))
            revs.append(
                dict(
                    id=rev_id + i,
                    page_id=start_id + i,
                    text=text,
                    sha1=hashlib.sha1(data).hexdigest(),
                    size=len(data),
                    user_text="bench",
                    timestamp=stamp,
                )
            )
        db.session.execute(insert(Page), pages)
        db.session.execute(insert(Revision), revs)
        db.session.commit()
    app.test_cli_runner().invoke(args=["rebuild-structure"])
    tree = timed(lambda: client.get("/wiki/Special:ConceptTree/Bench_parent"), 20)

    print("| measure | value | bar |")
    print("|---|---|---|")
    print(f"| structure extraction, content/ ({len(texts)} pages) | {rate:,.0f} pages/s | |")
    took = f"{wide / wide_rate:.0f} s"
    print(f"| structure extraction, a {wide:,}-page wiki | {wide_rate:,.0f} pages/s ({took}) | |")
    print(f"| extraction of the flagship | {read_ms:.2f} ms | |")
    print(f"| flagship save p50 (HTTP, SQLite) | {save_ms:.1f} ms | |")
    print(f"| extraction share of a save's p50 | {100 * read_ms / save_ms:.1f} % | ≤ 10 % |")
    tl50, tl95 = p(timeline, 0.5), p(timeline, 0.95)
    print(f"| Special:Timeline flagship warm p50 / p95 | {tl50:.1f} / {tl95:.1f} ms | ≤ 20 ms |")
    tr50, tr95 = p(tree, 0.5), p(tree, 0.95)
    print(f"| Special:ConceptTree, 1,000 children, p50 / p95 | {tr50:.1f} / {tr95:.1f} ms | ≤ 50 ms |")


if __name__ == "__main__":
    main()
