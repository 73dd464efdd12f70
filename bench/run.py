"""`make bench`: every benchmark on this machine, one table, ratios to baselines measured in this run.

    .venv/bin/python bench/run.py [--quick] [--only views,render,scale] [--pages 10000,100000]

1. Page view: wrk -t2 -c16 against a warm seeded page on our gunicorn, a bare Flask app returning
   the same bytes on the same gunicorn settings (the stack's ceiling), nginx serving them as a file
   (the machine's limit) and the real MediaWiki's view of the same page (when ../shared has it).
2. Render: ms per page at ~5/50/300 KB (bench/render_bench.py), the seeded pages and the 111 real
   Wikipedia articles, beside MediaWiki's in-process parse of the same text.
3-5. At 10,000 and 100,000 pages (bench/scale.py): import-dump and reindex rates with peak memory,
   save p50/p95 through HTTP, search p50/p95 (200 queries, snippets), a gunicorn worker's memory.
`--quick` is a small smoke run (short wrk runs, 2,000 pages). Results also go to bench/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
import mediawiki  # noqa: E402
import render_bench  # noqa: E402
import scale  # noqa: E402
import servers  # noqa: E402

VIEW_PAGE = "Large_language_model"
OUT = HERE / "out"
ROWS: list[dict] = []


def row(section: str, name: str, ours: float | None, unit: str, **kw) -> None:
    """One line of the table: our value, a baseline (value and name), the bar and whether it holds."""
    entry = {"section": section, "name": name, "ours": ours, "unit": unit, **kw}
    ROWS.append(entry)
    print(
        f"  {name}: {fmt(ours)} {unit}"
        + (f" | {kw.get('base_name')}: {fmt(kw.get('base'))}" if "base" in kw else "")
    )


def fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


# 1. Page views -------------------------------------------------------------------------------


def seeded_instance() -> Path:
    inst = servers.ROOT / "bench" / "data" / "wiki_seed"
    if not (inst / "wiki.db").exists():
        scale.fresh_instance(inst)
        servers.flask_cli(inst, "seed")
    servers.flask_cli(inst, "ensure-index")
    return inst


def bench_views(seconds: int) -> None:
    import requests

    print("== page views (wrk -t2 -c16)")
    inst = seeded_instance()
    html = OUT / "view.html"
    results = {}
    with servers.wiki_server(inst) as ours:
        url = f"{ours.url}/wiki/{VIEW_PAGE}"
        for _ in range(5):
            body = requests.get(url, timeout=30).content
        html.write_bytes(body)
        results["ours"] = servers.wrk(url, seconds)
        rss = ours.worker_rss_mb()
    with servers.baseline_server(html) as bare:
        results["flask"] = servers.wrk(f"{bare.url}/wiki/{VIEW_PAGE}", seconds)
    with servers.Nginx(html) as nginx:
        results["nginx"] = servers.wrk(f"{nginx.url}/wiki/page", seconds)
    mw = mediawiki.start()
    if mw:
        text = (servers.ROOT / "wiki" / "content" / f"{VIEW_PAGE}.wiki").read_text(encoding="utf-8")
        mediawiki.load_pages([(VIEW_PAGE.replace("_", " "), text)])
        mediawiki.warm(f"{mw}/wiki/{VIEW_PAGE}")
        results["mediawiki"] = servers.wrk(f"{mw}/wiki/{VIEW_PAGE}", seconds)
    o = results["ours"]
    names = {"flask": "bare Flask+gunicorn", "nginx": "nginx static", "mediawiki": "MediaWiki"}
    for key, label in names.items():
        if key not in results:
            continue
        b = results[key]
        bar = {"flask": (0.5, "≥ 0.5×"), "mediawiki": (30.0, "≥ 30×")}.get(key)
        row(
            "view",
            f"page view req/s vs {label}",
            o.rps,
            "req/s",
            base=b.rps,
            base_name=label,
            ratio=o.rps / b.rps,
            bar=bar[1] if bar else "",
            ok=(o.rps / b.rps >= bar[0]) if bar else None,
            extra=f"p50 {o.p50_ms:.1f}/{b.p50_ms:.1f} ms, p99 {o.p99_ms:.1f}/{b.p99_ms:.1f} ms",
        )
    row(
        "view",
        "page view p99 latency",
        o.p99_ms,
        "ms",
        bar="≤ 25 ms",
        ok=o.p99_ms <= 25,
        extra=f"p50 {o.p50_ms:.1f} ms, {o.errors} errors, {len(body):,} bytes",
    )
    row("view", "gunicorn worker RSS after wrk (seeded wiki)", rss, "MB", bar="≤ 200 MB", ok=rss <= 200)


# 2. Render -----------------------------------------------------------------------------------


def _ours_ms(text: str, runs: int) -> tuple[float, float]:
    """(wall, CPU) ms of our renderer, best of `runs` (render_bench.best_ms)."""
    best = render_bench.best_ms(text, runs)
    return best if isinstance(best, tuple) else (best, best)


def _total(pairs) -> tuple[float, float]:
    pairs = list(pairs)
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def bench_render(quick: bool) -> None:
    """CPU milliseconds on both sides (steady on a busy machine), wall-clock in the notes."""
    print("== render (best of n, ms per page)")
    mw_up = mediawiki.start() is not None
    sizes = {"5 KB": (5_000, 10), "50 KB": (50_000, 5), "300 KB": (300_000, 3)}
    texts = {name: render_bench.page(size) for name, (size, _runs) in sizes.items()}
    seeds = [
        p.read_text(encoding="utf-8") for p in sorted((servers.ROOT / "wiki" / "content").glob("*.wiki"))
    ]
    articles = [json.loads(line) for line in corpus.real_articles().open(encoding="utf-8")]
    if quick:
        articles = articles[:10]
    ours = {name: _ours_ms(texts[name], 1 if quick else runs) for name, (_s, runs) in sizes.items()}
    ours["seeds"] = _total(_ours_ms(t, 1 if quick else 3) for t in seeds)
    ours["articles"] = _total(_ours_ms(a["text"], 1) for a in articles)
    mw = {}
    if mw_up:
        mediawiki.load_pages(list(render_bench.TEMPLATES.items()))
        with mediawiki.Parser() as parser:
            mw = {
                name: parser.best_ms(texts[name], 1 if quick else runs) for name, (_s, runs) in sizes.items()
            }
            mw["seeds"] = _total(parser.best_ms(t, 1 if quick else 3) for t in seeds)
            mw["articles"] = _total(parser.best_ms(a["text"], 1, a["title"]) for a in articles)
    for name in sizes:
        _render_row(f"render {name} page ({len(texts[name].encode()):,} B)", ours[name], mw.get(name))
    # The bar is per page size; the totals are printed beside MediaWiki's for information.
    _render_row(f"render all {len(seeds)} seeded pages (total)", ours["seeds"], mw.get("seeds"), bar=False)
    _render_row(
        f"render {len(articles)} real Wikipedia articles (total)",
        ours["articles"],
        mw.get("articles"),
        bar=False,
    )


def _render_row(
    name: str, ours: tuple[float, float], mw: tuple[float, float] | None, bar: bool = True
) -> None:
    kw = {"bar": "≤ 1/3 MW" if bar else "", "extra": f"wall {ours[0]:.1f} ms"}
    if mw:
        kw.update(base=mw[1], base_name="MediaWiki parse", ratio=ours[1] / mw[1])
        if bar:
            kw["ok"] = ours[1] <= mw[1] / 3
        kw["extra"] += f" vs MediaWiki {mw[0]:.1f} ms"
    row("render", name + ", CPU", ours[1], "ms", **kw)


# 3-5. Scale ----------------------------------------------------------------------------------


def bench_scale(sizes: list[int], import_budget: float, saves: int) -> None:
    import search_bench

    print(f"== scale: {', '.join(f'{n:,}' for n in sizes)} pages")
    queries = None
    for n in sizes:
        inst = servers.ROOT / "bench" / "data" / f"wiki_{n}"
        started = time.perf_counter()
        scale.bulk_load(n, inst)
        print(f"  bulk-loaded {n:,} pages in {time.perf_counter() - started:.0f} s")
        re_ = scale.reindex(inst)
        row(
            "scale",
            f"reindex {re_['pages']:,} pages",
            re_["rate"],
            "pages/s",
            extra=f"{re_['seconds']:.0f} s, peak {re_['peak_mb']:.0f} MB",
        )
        titles = scale.sample_titles(n, 50)
        with servers.wiki_server(inst) as server:
            p50, p95 = scale.api_saves(server.url, "/w/api.php", titles, saves)
            row(
                "scale",
                f"save through HTTP p95, {n:,} pages",
                p95,
                "ms",
                bar="≤ 50 ms",
                ok=p95 <= 50,
                extra=f"p50 {p50:.1f} ms, {saves} API edits",
            )
            if n == max(sizes):
                queries = corpus.queries()
                s50, s95 = scale.searches(server.url, queries)
                row(
                    "scale",
                    f"search through HTTP p95, {n:,} pages",
                    s95,
                    "ms",
                    bar="≤ 50 ms",
                    ok=s95 <= 50,
                    extra=f"p50 {s50:.1f} ms, {len(queries)} queries with snippets",
                )
                seen = search_bench.http_latencies(server.url, [], 20 if saves < 100 else 60)["visible_ms"]
                v50, v95 = scale.percentiles(seen)
                row(
                    "scale",
                    f"save -> findable in search p95, {n:,} pages",
                    v95,
                    "ms",
                    bar="≤ 2000 ms",
                    ok=v95 <= 2000,
                    extra=f"p50 {v50:.0f} ms, {len(seen)} edit-form saves, then searched until found",
                )
                rss = server.worker_rss_mb()
                row("scale", f"gunicorn worker RSS, {n:,} pages", rss, "MB", bar="≤ 200 MB", ok=rss <= 200)
                row("scale", f"search indexer process RSS, {n:,} pages", server.indexer_rss_mb(), "MB")
        if n == max(sizes) and queries:
            times, _opened, empty = search_bench.query_latencies(search_bench.app_for(inst), queries)
            p50, p95 = scale.percentiles(times)
            row(
                "scale",
                f"search in process p95 (search_bench), {n:,} pages",
                p95,
                "ms",
                extra=f"p50 {p50:.1f} ms, {empty} without snippets",
            )
    mw = mediawiki.start()
    if mw:
        mediawiki.load_pages([("Bench save page", "Saved by the benchmark.")])
        admin = (mediawiki.ADMIN, mediawiki.ADMIN_PASSWORD)
        p50, p95 = scale.api_saves(mw, "/mw/api.php", ["Bench save page"], max(10, saves // 2), admin)
        row("scale", "MediaWiki API save p95 (its small wiki)", p95, "ms", extra=f"p50 {p50:.1f} ms")
    n = max(sizes)
    imp = scale.import_dump(n, servers.ROOT / "bench" / "data" / f"import_{n}", import_budget)
    done = "" if imp["finished"] else f" (stopped after {imp['seconds']:.0f} s budget)"
    row(
        "scale",
        f"import-dump {n:,}-page dump incl. indexing",
        imp["rate"],
        "pages/s",
        bar="≥ 300",
        ok=imp["rate"] >= 300,
        extra=f"{imp['pages']:,} pages in {imp['seconds']:.0f} s{done}, peak {imp['peak_mb']:.0f} MB",
    )


def postgres_url() -> str | None:
    """BENCH_DATABASE_URL, or a wiki_bench database on the local PostgreSQL (created when missing)."""
    url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/wiki_bench")
    try:
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=3) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        print(f"  PostgreSQL benchmarks skipped: {exc.__class__.__name__}: {exc}")
        return None
    return url


def bench_postgres(n: int, saves: int) -> None:
    """The production setup at n pages: PostgreSQL and its full-text search backend."""
    url = postgres_url()
    if url is None:
        return
    print(f"== PostgreSQL + WIKI_SEARCH_BACKEND=postgres, {n:,} pages")
    inst = servers.ROOT / "bench" / "data" / f"pgwiki_{n}"
    scale.bulk_load(n, inst, url)
    re_ = scale.reindex(inst, url)
    row(
        "pg",
        f"reindex {re_['pages']:,} pages (PostgreSQL FTS)",
        re_["rate"],
        "pages/s",
        extra=f"{re_['seconds']:.0f} s, peak {re_['peak_mb']:.0f} MB",
    )
    with servers.wiki_server(inst, scale.wiki_env(inst, url)) as server:
        p50, p95 = scale.api_saves(server.url, "/w/api.php", scale.sample_titles(n, 50), saves)
        row(
            "pg",
            f"save through HTTP p95, {n:,} pages (PostgreSQL)",
            p95,
            "ms",
            bar="≤ 50 ms",
            ok=p95 <= 50,
            extra=f"p50 {p50:.1f} ms, {saves} API edits",
        )
        queries = corpus.queries()
        s50, s95 = scale.searches(server.url, queries)
        row(
            "pg",
            f"search through HTTP p95, {n:,} pages (PostgreSQL FTS)",
            s95,
            "ms",
            bar="≤ 50 ms",
            ok=s95 <= 50,
            extra=f"p50 {s50:.1f} ms, {len(queries)} queries, ts_headline snippets",
        )
        rss = server.worker_rss_mb()
        row("pg", f"gunicorn worker RSS, {n:,} pages (PostgreSQL)", rss, "MB", bar="≤ 200 MB", ok=rss <= 200)


# The table -----------------------------------------------------------------------------------


def table() -> str:
    head = (
        f"| {'benchmark':58s} | {'ours':>10s} | {'baseline':>22s} | {'ratio':>7s} | {'bar':>9s} | ok | notes"
    )
    lines = [head, "|" + "-" * (len(head) - 1)]
    for r in ROWS:
        base = f"{fmt(r.get('base'))} {r.get('base_name', '')}".strip() if "base" in r else ""
        ratio = f"{r['ratio']:.2f}×" if r.get("ratio") else ""
        ok = {True: "✓", False: "✗", None: ""}[r.get("ok")]
        lines.append(
            f"| {r['name']:58s} | {fmt(r['ours']) + ' ' + r['unit']:>10s} | {base[:22]:>22s} | {ratio:>7s} "
            f"| {r.get('bar', ''):>9s} | {ok:2s} | {r.get('extra', '')}"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small smoke run")
    ap.add_argument("--only", default="views,render,scale,postgres")
    ap.add_argument("--pages", default=None, help="wiki sizes for the scale benchmarks (comma-separated)")
    ap.add_argument("--seconds", type=int, default=None, help="wrk duration per target")
    ap.add_argument("--import-budget", type=float, default=float(os.environ.get("BENCH_IMPORT_BUDGET", 1200)))
    args = ap.parse_args()
    only = set(args.only.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    if not corpus.available():
        print("bench: ../shared/tools/corpus is absent and bench/data has no corpus; render/scale skipped")
        only -= {"render", "scale"}
    sizes = [int(x) for x in (args.pages or ("2000" if args.quick else "10000,100000")).split(",")]
    started = time.time()
    if "views" in only:
        bench_views(args.seconds or (3 if args.quick else 15))
    if "render" in only:
        bench_render(args.quick)
    if "scale" in only:
        bench_scale(sizes, 120 if args.quick else args.import_budget, 20 if args.quick else 100)
    if "postgres" in only:
        bench_postgres(max(sizes), 20 if args.quick else 100)
    text = table()
    print(f"\nBenchmarks on this machine ({os.cpu_count()} cores), {time.time() - started:.0f} s\n")
    print(text)
    (OUT / "results.json").write_text(json.dumps(ROWS, indent=1, default=str))
    (OUT / "table.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
