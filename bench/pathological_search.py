"""Pathological searches: the queries of issue 16 on a wiki full of random words.

Builds a wiki of N pages of random words (default 20,000; tests/search/random_wiki.py), indexes it,
and times every pathological query through the WSGI app (Special:Search and the API), printing its
status and the worst time (the bar: each under 2 s, answered or refused, never a 500).

    .venv/bin/python bench/pathological_search.py [--pages N] [--backend whoosh|postgres]
        [--database-url postgresql://...] [--reuse]

The SQLite wiki is kept under bench/data/pathological_search_N/ (--reuse skips building it again).
For PostgreSQL give an empty database the benchmark may fill (its tables are replaced).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.search import random_wiki  # noqa: E402

MISSPELT = " ".join(f"{w[:2]}{w[3]}{w[2]}{w[4:]}x" for w in random_wiki.REAL_WORDS * 5)[:290]

# (what, where, parameters): "web" is Special:Search, "api" is list=search
QUERIES: list[tuple[str, str, dict[str, str]]] = [
    ("*a*", "web", {"search": "*a*"}),
    ("*a* (API)", "api", {"srsearch": "*a*"}),
    ("five vowel wildcards OR'ed", "web", {"search": "*a* OR *e* OR *i* OR *o* OR *u*"}),
    ("five one-letter prefixes OR'ed", "web", {"search": "a* OR e* OR i* OR o* OR u*"}),
    ("three shared prefixes", "web", {"search": "pre* zzq* his*"}),
    ("three shared prefixes OR'ed", "web", {"search": "pre* OR zzq* OR tra*"}),
    ("three shared prefixes (API)", "api", {"srsearch": "pre* OR zzq* OR tra*", "srlimit": "max"}),
    ("misspelt words (did you mean)", "web", {"search": MISSPELT}),
    ("misspelt words (API)", "api", {"srsearch": MISSPELT}),
    ("32 random words OR'ed", "web", {"search": " OR ".join(["qzx"] * 32)[:300]}),
    ("301 characters", "web", {"search": "a" * 301}),
    ("100,000 characters (API)", "api", {"srsearch": "history " * 12_500}),
    ("offset 9,990 limit 500 (API)", "api", {"srsearch": "history", "sroffset": "9990", "srlimit": "500"}),
    ("offset 10,000 (API)", "api", {"srsearch": "history", "sroffset": "10000"}),
    ("offset 10,000 (web)", "web", {"search": "history", "offset": "10000"}),
    ("srlimit=max, every page (API)", "api", {"srsearch": "history OR science OR river", "srlimit": "max"}),
    ("srwhat=title % and _ (API)", "api", {"srsearch": "%_%", "srwhat": "title", "srlimit": "max"}),
    ("srwhat=title common word (API)", "api", {"srsearch": "history", "srwhat": "title", "srlimit": "max"}),
    ("opensearch 100,000 characters", "opensearch", {"search": "random " * 14_000}),
]


def build(instance: Path, url: str, backend: str, pages: int, reuse: bool):
    from wiki import create_app

    fresh = not (reuse and (instance / "built").exists())
    if fresh:
        shutil.rmtree(instance, ignore_errors=True)
        instance.mkdir(parents=True)
        env = {**os.environ, "WIKI_DATABASE_URL": url, "WIKI_INSTANCE_DIR": str(instance)}
        upgrade = [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"]
        subprocess.run(upgrade, cwd=ROOT, env=env, check=True, capture_output=True)
    app = create_app(
        {
            "WIKI_INSTANCE_DIR": str(instance),
            "SQLALCHEMY_DATABASE_URI": url,
            "WIKI_INDEX_DIR": str(instance / "search"),
            "WIKI_SEARCH_BACKEND": backend,
        }
    )
    if fresh:
        started = time.perf_counter()
        random_wiki.load(app, pages)
        print(f"built {pages:,} pages of random words in {time.perf_counter() - started:.1f} s")
        (instance / "built").write_text("ok")
    return app


def measure(app) -> list[dict]:
    """Each query through the WSGI app: where, HTTP status, seconds, what it answered."""
    client = app.test_client()
    out = []
    for name, where, params in QUERIES:
        if where == "web":
            path, query = "/w/index.php", {"title": "Special:Search", "fulltext": "1", **params}
        elif where == "api":
            path, query = "/w/api.php", {"action": "query", "list": "search", "format": "json", **params}
        else:
            path, query = "/w/api.php", {"action": "opensearch", "format": "json", **params}
        started, cpu = time.perf_counter(), time.thread_time()  # the test client answers in this thread
        resp = (
            client.post(path, data=query) if len(str(query)) > 4000 else client.get(path, query_string=query)
        )
        seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
        out.append({"name": name, "where": where, "status": resp.status_code, "seconds": seconds,
                    "cpu": cpu, "answer": _answer(resp)})  # fmt: skip
    return out


def run(app) -> float:
    results = measure(app)
    print(f"{'query':36} {'where':10} {'status':>6} {'seconds':>8}  answer")
    for r in results:
        print(f"{r['name']:36} {r['where']:10} {r['status']:>6} {r['seconds']:>8.3f}  {r['answer']}")
    worst = max(r["seconds"] for r in results)
    print(f"worst time {worst:.3f} s (bar: 2 s)")
    return worst


def _answer(resp) -> str:
    if resp.is_json:
        body = resp.get_json()
        if isinstance(body, dict) and "error" in body:
            return "refused: " + body["error"]["code"]
        if isinstance(body, dict):
            found = body.get("query", {})
            return f"{len(found.get('search', []))} results of {found.get('searchinfo', {}).get('totalhits')}"
        return f"{len(body[1])} titles"
    html = resp.get_data(as_text=True)
    if "mw-search-error" in html:
        return "refused" if resp.status_code == 400 else "message"
    return f"{html.count('mw-search-result-heading')} results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    instance = ROOT / "bench" / "data" / f"pathological_search_{args.backend}_{args.pages}"
    url = args.database_url or f"sqlite:///{instance / 'wiki.db'}"
    if args.backend == "postgres" and not args.database_url:
        parser.error("--backend postgres needs --database-url")
    if args.database_url and not args.reuse:
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    app = build(instance, url, args.backend, args.pages, args.reuse)
    run(app)
    indexer = app.extensions.get("wiki.search.indexer")
    if indexer is not None:
        indexer.stop(wait=10)


if __name__ == "__main__":
    main()
