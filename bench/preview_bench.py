"""Page-preview benchmark: the summary request a hover makes, warm, through HTTP on gunicorn.

    .venv/bin/python bench/preview_bench.py [--rounds N]

Serves the seeded wiki (bench/data/wiki_seed, made by `make bench` or here), warms the summary of
every page the flagship links to, then requests them round-robin over one keep-alive connection, as
a reader hovering links does, and reports p50/p95/p99 in ms. Bar: p95 <= 10 ms. Also measures
/v1/search/title (Vector 2022's search box) and /v1/page/{title} for comparison.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import scale  # noqa: E402
import servers  # noqa: E402

FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"
BAR_MS = 10.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(session, urls: list[str], rounds: int) -> list[float]:
    out = []
    for n in range(rounds):
        url = urls[n % len(urls)]
        start = time.perf_counter()
        resp = session.get(url, timeout=30, allow_redirects=False)
        out.append((time.perf_counter() - start) * 1000)
        assert resp.status_code in (200, 307, 404), (url, resp.status_code)
    return out


def report(name: str, ms: list[float]) -> dict:
    p50, p95, p99 = statistics.median(ms), percentile(ms, 95), percentile(ms, 99)
    print(f"  {name}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms ({len(ms)} requests)")
    return {"name": name, "p50": p50, "p95": p95, "p99": p99}


def main() -> int:
    import requests

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1000)
    args = parser.parse_args()
    inst = scale.seeded_instance()
    with servers.wiki_server(inst) as ours:
        session = requests.Session()
        page = session.get(f"{ours.url}/wiki/{FLAGSHIP}", timeout=30).text
        targets = sorted(set(re.findall(r'href="/wiki/([^"#?:]+)"', page)))
        rest = f"{ours.url}/w/rest.php/v1"
        summaries = [f"{rest}/page/{t}/summary" for t in targets]
        for url in summaries:  # warm: parser cache and the summary memo
            session.get(url, timeout=30)
        print(f"== page previews over {len(targets)} pages linked from the flagship")
        results = [report("summary (preview)", timed(session, summaries, args.rounds))]
        titles = [f"{rest}/search/title?q={t[:4]}&limit=10" for t in targets]
        for url in titles:
            session.get(url, timeout=30)
        results.append(report("search/title (limit 10)", timed(session, titles, args.rounds // 2)))
        floor = [f"{ours.url}/healthz"]
        results.append(report("/healthz (the stack's floor)", timed(session, floor, args.rounds // 2)))
        sources = [f"{rest}/page/{t}" for t in targets]
        results.append(report("page source", timed(session, sources, args.rounds // 2)))
    held = results[0]["p95"] <= BAR_MS
    print(f"  bar: summary p95 <= {BAR_MS:.0f} ms: {'held' if held else 'MISSED'}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
