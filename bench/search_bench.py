"""Search benchmark: a generated N-page wiki (default 100,000), its full reindex, 200 realistic
queries with snippets, save latency through HTTP and the time until a save is findable.

    .venv/bin/python bench/search_bench.py [--pages N] [--saves S]

The corpus comes from ../shared/tools/corpus (real Wikipedia paragraphs recombined); the wiki is
loaded straight into the tables (a bulk load: the benchmark measures search, not 100,000 renders)
under bench/data/search_N/ and reused by later runs. Bars at 100,000 pages: query p95 <= 50 ms
with snippets, save p95 <= 50 ms, save-to-visible p95 <= 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
TOOLS = ROOT.parent / "shared" / "tools" / "corpus"
sys.path.insert(0, str(ROOT))


def corpus(n: int) -> tuple[Path, list[str]]:
    """bench/data/pages_N.jsonl and the 200 queries, generated once by the shared tools."""
    pages, queries = DATA / f"pages_{n}.jsonl", DATA / "queries.txt"
    DATA.mkdir(parents=True, exist_ok=True)
    if not (DATA / "enwiki_sample.jsonl").exists():
        subprocess.run(["bash", str(TOOLS / "get_corpus.sh"), str(DATA)], check=True, capture_output=True)
    if not pages.exists() or not queries.exists():
        cmd = [
            sys.executable,
            str(TOOLS / "gen_corpus.py"),
            str(n),
            "--src",
            str(DATA / "enwiki_sample.jsonl"),
        ]
        subprocess.run(
            [*cmd, "--out", str(pages), "--queries", str(queries)], check=True, capture_output=True
        )
    return pages, [q for q in queries.read_text().splitlines() if q.strip()]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def env_for(instance: Path) -> dict:
    return {
        **os.environ,
        "WIKI_INSTANCE_DIR": str(instance),
        "WIKI_DATABASE_URL": f"sqlite:///{instance / 'wiki.db'}",
        "WIKI_INDEX_DIR": str(instance / "search"),
    }


def load_wiki(instance: Path, pages: Path) -> int:
    """Migrate a fresh SQLite database and bulk-insert every page with one revision."""
    from sqlalchemy import create_engine, insert

    from wiki.models import Page, Revision

    instance.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"],
        cwd=ROOT,
        env=env_for(instance),
        check=True,
        capture_output=True,
    )
    engine = create_engine(f"sqlite:///{instance / 'wiki.db'}")
    count = 0
    stamp = __import__("datetime").datetime(2024, 1, 1)
    with engine.begin() as conn, pages.open(encoding="utf-8") as fh:
        batch_pages, batch_revs = [], []
        for line in fh:
            rec = json.loads(line)
            count += 1
            data = rec["text"].encode("utf-8")
            key = rec["title"].replace(" ", "_")
            batch_pages.append(
                dict(
                    id=count,
                    namespace=0,
                    title=key,
                    latest=count,
                    is_redirect=False,
                    length=len(data),
                    touched=stamp,
                    created=stamp,
                )
            )
            batch_revs.append(
                dict(
                    id=count,
                    page_id=count,
                    parent_id=None,
                    text=rec["text"],
                    sha1=hashlib.sha1(data).hexdigest(),
                    size=len(data),
                    comment="bench",
                    user_text="Bench",
                    timestamp=stamp,
                    minor=False,
                )
            )
            if len(batch_pages) >= 2000:
                conn.execute(insert(Page), batch_pages)
                conn.execute(insert(Revision), batch_revs)
                batch_pages, batch_revs = [], []
        if batch_pages:
            conn.execute(insert(Page), batch_pages)
            conn.execute(insert(Revision), batch_revs)
    engine.dispose()
    return count


def app_for(instance: Path):
    from wiki import create_app

    return create_app(
        {
            "WIKI_INSTANCE_DIR": str(instance),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'wiki.db'}",
            "WIKI_INDEX_DIR": str(instance / "search"),
        }
    )


def reindex(app) -> tuple[int, float]:
    from wiki.search import maintenance

    with app.app_context():
        started = time.perf_counter()
        count = maintenance.rebuild(app.extensions["wiki.search"], wait=True)
        return count, time.perf_counter() - started


def query_latencies(app, queries: list[str]) -> tuple[list[float], float, int]:
    """In-process search.search (query, snippets from the database, did-you-mean) per query."""
    from wiki import search

    with app.app_context():
        started = time.perf_counter()
        search.search("warm up the searcher")
        opened = time.perf_counter() - started
        for q in queries[:20]:  # warm the OS cache as a running server would be
            search.search(q)
        times, empty = [], 0
        for q in queries:
            started = time.perf_counter()
            results = search.search(q)
            times.append((time.perf_counter() - started) * 1000)
            empty += not results.hits or not all(h.snippet_html for h in results.hits)
    return times, opened * 1000, empty


def serve(instance: Path, port: int, workers: int = 2) -> subprocess.Popen:
    import requests

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:wiki.gunicorn_conf",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "wiki:create_app()",
        ],
        cwd=ROOT,
        env={**env_for(instance), "WIKI_SERVER": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            if requests.get(
                f"http://127.0.0.1:{port}/wiki/Special:Search?search=warm&fulltext=1", timeout=30
            ).ok:
                return proc
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def http_latencies(base: str, queries: list[str], saves: int) -> dict:
    """Search through HTTP, then saves through the edit form and the wait until each is findable."""
    import requests

    session = requests.Session()
    search_ms = []
    for q in queries:
        started = time.perf_counter()
        session.get(f"{base}/w/index.php", params={"title": "Special:Search", "search": q, "fulltext": "1"})
        search_ms.append((time.perf_counter() - started) * 1000)
    form = session.get(f"{base}/w/index.php", params={"title": "Bench new", "action": "edit"}).text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields = {
        k: v.replace("&#43;", "+").replace("&#92;", "\\").replace("&quot;", '"') for k, v in fields.items()
    }
    save_ms, visible_ms = [], []
    for i in range(saves):
        word = f"benchword{i}x{int(time.time())}"
        data = {
            **fields,
            "wpTextbox1": f"Benchmark save {i} mentions {word}.",
            "wpSummary": "",
            "wpSave": "1",
        }
        started = time.perf_counter()
        resp = session.post(
            f"{base}/w/index.php",
            params={"title": f"Bench save {word}", "action": "submit"},
            data=data,
            allow_redirects=False,
        )
        save_ms.append((time.perf_counter() - started) * 1000)
        assert resp.status_code == 303, resp.status_code
        while True:
            found = session.get(
                f"{base}/w/index.php", params={"title": "Special:Search", "search": word, "fulltext": "1"}
            )
            if "mw-search-result-heading" in found.text:
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"save {i} not findable after 30 s")
            time.sleep(0.02)
        visible_ms.append((time.perf_counter() - started) * 1000)
        time.sleep(0.1)
    return {"search_ms": search_ms, "save_ms": save_ms, "visible_ms": visible_ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--saves", type=int, default=60)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--reuse-index", action="store_true", help="skip the full reindex when an index exists")
    args = ap.parse_args()
    if not TOOLS.exists() and not (DATA / f"pages_{args.pages}.jsonl").exists():
        print("search bench skipped: ../shared/tools/corpus is absent")
        return
    pages, queries = corpus(args.pages)
    instance = DATA / f"search_{args.pages}"
    if not (instance / "wiki.db").exists():
        started = time.perf_counter()
        n = load_wiki(instance, pages)
        print(f"loaded {n} pages into {instance / 'wiki.db'} in {time.perf_counter() - started:.0f} s")
    app = app_for(instance)
    if args.reuse_index and (instance / "search" / "CURRENT").exists():
        count, seconds = 0, float("nan")
    else:
        count, seconds = reindex(app)
    times, opened, empty = query_latencies(app, queries)
    proc = serve(instance, args.port)
    try:
        http = http_latencies(f"http://127.0.0.1:{args.port}", queries, args.saves)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(10)
    rows = [
        (
            "full reindex",
            f"{count} pages in {seconds:.0f} s = {count / seconds:.0f} pages/s" if count else "reused",
            "",
        ),
        ("open a searcher (cold)", f"{opened:.0f} ms", ""),
        (
            "query + snippets, in process",
            f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms",
            "p95 <= 50 ms",
        ),
        (
            "query + snippets, HTTP",
            f"p50 {statistics.median(http['search_ms']):.1f} ms, "
            f"p95 {percentile(http['search_ms'], 95):.1f} ms",
            "",
        ),
        (
            "save, HTTP",
            f"p50 {statistics.median(http['save_ms']):.1f} ms, p95 {percentile(http['save_ms'], 95):.1f} ms",
            "p95 <= 50 ms",
        ),
        (
            "save -> findable",
            f"p50 {statistics.median(http['visible_ms']):.0f} ms, "
            f"p95 {percentile(http['visible_ms'], 95):.0f} ms",
            "p95 <= 2000 ms",
        ),
    ]
    print(
        f"\nSearch benchmark: {args.pages} pages, {len(queries)} queries ({empty} without full snippets), "
        f"{args.saves} saves"
    )
    print("| measure | result | bar |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
