"""`make bench`: every benchmark on this machine, one table, ratios to baselines measured in this run.

    .venv/bin/python bench/run.py [--quick] [--only views,render,scale] [--pages 10000,100000]

1. Page view: wrk -t2 -c16 against a warm seeded page on our gunicorn, a bare Flask app returning
   the same bytes on the same gunicorn settings (the stack's ceiling), nginx serving them as a file
   (the machine's limit) and the real MediaWiki's view of the same page (when ../shared has it).
2. Render: ms per page at ~5/50/300 KB (bench/render_bench.py), the seeded pages and the 111 real
   Wikipedia articles, beside MediaWiki's in-process parse of the same text; and how many of those
   articles come out identical to MediaWiki's after normalisation (bench/real_articles.py).
   Files: a page view and a render with 50 thumbnails already made, beside the same page
   without images (bench/files_bench.py).
3-5. At 10,000 and 100,000 pages (bench/scale.py): import-dump and reindex rates with peak memory,
   save p50/p95 through HTTP, search p50/p95 (200 queries, snippets), a gunicorn worker's memory.
6. Bounded work (issue 16): worst-case time of the pathological diffs and merges (bar 1 s), renders
   and searches (bar 2 s; bench/pathological_*.py), and the rate-limit check's CPU time per save
   (bar 1 ms at p95, bench/ratelimit_cost.py).
7. Operations: `/metrics` scrape time through HTTP on a wiki of BENCH_PAGES pages (bar 20 ms at
   p95); `flask backup` and `flask restore` of that wiki: time and peak memory; anonymous views
   through the shipped nginx cache against nginx's static files, and edit-to-visible through it
   (bench/nginx_cache.py).
8. Working together (issue 17; opt-in: BENCH_COLLAB=1 or --only collab, a few minutes, the first
   run also builds its 1,000,000-revision template database): Special:Watchlist of a user watching
   1,000 pages, Special:Contributions of a user with 100,000 edits, RecentChanges with filters and
   the feeds (bar 50 ms at p95), rollback of 50 consecutive edits (bar 100 ms at p95), through HTTP
   on PostgreSQL (BENCH_COLLAB_DATABASE_URL; bench/collab_bench.py), with the server's CPU per request
   and the load average beside each row.
`--quick` is a small smoke run (short wrk runs, 2,000 pages). Results also go to bench/out/.

Every wiki here runs with WIKI_RATE_LIMITS=off (the benchmarks' own traffic would be limited),
except the rate-limit row, which turns the limits on and off itself.

Sizes: BENCH_PAGES (default 10,000) is the wiki of the /metrics and backup rows;
`BENCH_PAGES=100000 make bench` (or `--only ops --backup-pages 100000`) is the full 100,000-page
measurement of issue 16 (its backup and restore take a few minutes). BENCH_SEARCH_PAGES (default
20,000) is the random-word wiki of the pathological searches.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402
import mediawiki  # noqa: E402
import nginx_cache  # noqa: E402
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


def bench_views(seconds: int) -> None:
    import requests

    print("== page views (wrk -t2 -c16)")
    inst = scale.seeded_instance()
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


def bench_real_articles(quick: bool) -> None:
    """The real articles rendered by us and by the MediaWiki lab, compared after the conformance
    harness's normalisation (bench/real_articles.py)."""
    import real_articles

    print("== real articles: ours vs MediaWiki 1.39 with Cite and ParserFunctions (normalised HTML)")
    reason = real_articles.unavailable()
    if reason:
        print(f"  real articles comparison skipped: {reason}")
        return
    articles = [json.loads(line) for line in corpus.real_articles().open(encoding="utf-8")]
    got = real_articles.compare(articles[:10] if quick else articles)
    differ = [r["title"] for r in got["results"] if not r["identical"]]
    row(
        "render",
        f"real articles identical to MediaWiki's ({got['articles']})",
        got["identical"],
        "pages",
        extra=f"mean similarity {got['mean_similarity']:.4f}; differ: {', '.join(differ) or 'none'}",
    )


def bench_files() -> None:
    """Issue 18: a page showing 50 thumbnails that already exist costs what the same page without
    images costs (bench/files_bench.py); thumbnails are never made or checked while a page renders."""
    import files_bench

    print("== a page with 50 thumbnails already made vs the same page without images")
    got = files_bench.page_with_thumbnails()
    view, plain_view = got["view Thumbnails"], got["view No images"]
    render, plain_render = got["render Thumbnails"], got["render No images"]
    row(
        "files",
        "page view with 50 thumbnails already made (logged in)",
        view,
        "ms",
        base=plain_view,
        base_name="no images",
        ratio=view / plain_view,
        bar="≤ 1.1×",
        ok=view / plain_view <= 1.1,
        extra="best of 15, parser cache warm",
    )
    row(
        "files",
        "render of that page (parser cache miss)",
        render,
        "ms",
        base=plain_render,
        base_name="no images",
        ratio=render / plain_render,
        extra="best of 15; the 50 figures' HTML, the file facts in one query",
    )


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


# 6. Bounded work ------------------------------------------------------------------------------

DIFF_BAR_S = 1.0
BOUNDED_BAR_S = 2.0


def bench_pathological(search_pages: int) -> None:
    """The issue's pathological inputs, in this process: CPU time is the bar (what one request costs
    a worker), wall-clock time beside it (longer only when the machine is busy)."""
    import pathological_diffs
    import pathological_render
    import pathological_search

    print("== pathological diffs and merges (bar 1 s CPU each)")
    for case, (diff, merge) in pathological_diffs.measure().items():
        for kind, timer in (("diff", diff), ("merge", merge)):
            row(
                "limits",
                f"{kind}: {case}, CPU",
                timer.cpu * 1000,
                "ms",
                bar=f"≤ {DIFF_BAR_S * 1000:.0f} ms",
                ok=timer.cpu < DIFF_BAR_S,
                extra=f"wall {timer.wall * 1000:.0f} ms",
            )
    print("== pathological renders (bar 2 s CPU each)")
    for r in pathological_render.measure():
        row(
            "limits",
            f"render: {r['name']}, CPU",
            r["cpu"] * 1000,
            "ms",
            bar=f"≤ {BOUNDED_BAR_S * 1000:.0f} ms",
            ok=r["cpu"] < BOUNDED_BAR_S,
            extra=f"wall {r['wall'] * 1000:.0f} ms, {r['bytes']:,} B in, {r['html']:,} B out, "
            f"stopped by {r['stopped']}",
        )
    print(f"== pathological searches on {search_pages:,} pages of random words (bar 2 s each)")
    instance = servers.ROOT / "bench" / "data" / f"pathological_search_whoosh_{search_pages}"
    app = pathological_search.build(
        instance, f"sqlite:///{instance / 'wiki.db'}", "whoosh", search_pages, reuse=True
    )
    try:
        for r in pathological_search.measure(app):
            row(
                "limits",
                f"search: {r['name']}",
                r["seconds"] * 1000,
                "ms",
                bar=f"≤ {BOUNDED_BAR_S * 1000:.0f} ms",
                ok=r["seconds"] < BOUNDED_BAR_S and r["status"] < 500,
                extra=f"CPU {r['cpu'] * 1000:.0f} ms, HTTP {r['status']}, {r['answer']}",
            )
    finally:
        indexer = app.extensions.get("wiki.search.indexer")
        if indexer is not None:
            indexer.stop(wait=10)


def bench_ratelimit(saves: int) -> None:
    """The rate-limit check's CPU time inside API saves (limits on, high enough never to refuse)."""
    import ratelimit_cost

    print(f"== rate-limit check per save ({saves} saves a caller with limits on, {saves} off)")
    kind, results = ratelimit_cost.measure_all(saves)
    for who, got in results.items():
        u50, u95 = ratelimit_cost.percentiles(got["check_cpu"])
        c50, c95 = ratelimit_cost.percentiles(got["check"])
        off50, off95 = ratelimit_cost.percentiles(got["off"])
        on50, on95 = ratelimit_cost.percentiles(got["on"])
        row(
            "limits",
            f"rate-limit check per save, CPU p95 ({who}, {kind})",
            u95,
            "ms",
            base=off95,
            base_name="save p95, limits off",
            ratio=u95 / off95,
            bar=f"≤ {ratelimit_cost.BAR_MS:.0f} ms",
            ok=u95 <= ratelimit_cost.BAR_MS,
            extra=f"CPU p50 {u50:.2f} ms; wall p50 {c50:.2f} p95 {c95:.2f} ms; "
            f"save p95 {on95:.1f} ms with limits, {off95:.1f} ms without",
        )


# 7. Operations ------------------------------------------------------------------------------

METRICS_BAR_MS = 20.0


def _traffic(base: str, titles: list[str]) -> None:
    """Requests of several kinds, so that /metrics has series for routes, statuses and caches."""
    import requests

    session = requests.Session()
    for i, title in enumerate(titles):
        session.get(f"{base}/wiki/{title}", timeout=30)
        session.get(f"{base}/w/index.php", params={"title": title, "action": "history"}, timeout=30)
        if i % 5 == 0:
            session.get(f"{base}/w/api.php", params={"action": "query", "titles": title, "format": "json"})
            session.get(f"{base}/w/index.php", params={"search": title.split("_")[0], "fulltext": "1"})
            session.get(f"{base}/wiki/Missing_page_{i}", timeout=30)


def _workers_cpu_s(master: int) -> float:
    """CPU seconds used so far by the gunicorn workers under `master` (not the search indexer)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            if b"search-indexer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def bench_metrics(n: int, scrapes: int) -> None:
    import requests

    print(f"== /metrics scrape on a {n:,}-page wiki ({scrapes} scrapes)")
    inst = servers.ROOT / "bench" / "data" / f"wiki_{n}"
    scale.bulk_load(n, inst)
    with servers.wiki_server(inst) as server:
        _traffic(server.url, scale.sample_titles(n, 60))
        session, times = requests.Session(), []
        body = b""
        time.sleep(2)  # the views' after-commit work settles
        assert server.proc is not None
        cpu = _workers_cpu_s(server.proc.pid)
        for _ in range(scrapes):
            start = time.perf_counter()
            reply = session.get(f"{server.url}/metrics", timeout=30)
            times.append((time.perf_counter() - start) * 1000)
            if reply.status_code != 200:
                raise RuntimeError(f"/metrics answered {reply.status_code}")
            body = reply.content
        cpu_ms = (_workers_cpu_s(server.proc.pid) - cpu) * 1000 / scrapes
    p50, p95 = scale.percentiles(times)
    series = sum(1 for line in body.decode().splitlines() if line and not line.startswith("#"))
    row(
        "ops",
        f"/metrics scrape p95, {n:,} pages",
        p95,
        "ms",
        bar=f"≤ {METRICS_BAR_MS:.0f} ms",
        ok=p95 <= METRICS_BAR_MS,
        extra=f"p50 {p50:.1f} ms, workers' CPU {cpu_ms:.1f} ms a scrape, {len(body):,} bytes, "
        f"{series:,} series",
    )


def _table_counts(instance: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(instance / "wiki.db") as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def bench_backup(n: int) -> None:
    """`flask backup` of a running-size wiki and `flask restore` of it into an empty instance
    (restore includes rebuilding the search index), with the row counts compared."""
    print(f"== backup and restore of a {n:,}-page wiki (SQLite)")
    inst = servers.ROOT / "bench" / "data" / f"wiki_{n}"
    scale.bulk_load(n, inst)
    out = servers.ROOT / "bench" / "data" / f"backup_{n}.db"
    out.unlink(missing_ok=True)
    flask = [str(servers.BIN / "flask"), "--app", "wiki"]
    made = scale.run_measured([*flask, "backup", str(out)], {**os.environ, **scale.wiki_env(inst)})
    size_mb = out.stat().st_size / 1e6
    row(
        "ops",
        f"backup of a {n:,}-page wiki (SQLite online backup)",
        made.seconds,
        "s",
        extra=f"peak {made.peak_mb:.0f} MB, {size_mb:,.0f} MB file",
    )
    target = servers.ROOT / "bench" / "data" / f"restore_{n}"
    subprocess.run(["rm", "-rf", str(target)], check=True)
    target.mkdir(parents=True)
    done = scale.run_measured([*flask, "restore", str(out)], {**os.environ, **scale.wiki_env(target)})
    before, after = _table_counts(inst), _table_counts(target)
    same = "row counts identical" if before == after else f"ROW COUNTS DIFFER: {before} vs {after}"
    row(
        "ops",
        "restore of it into an empty wiki (+ search index rebuild)",
        done.seconds,
        "s",
        base=made.seconds,
        base_name="backup time",
        ratio=done.seconds / made.seconds,
        ok=before == after,
        extra=f"peak {done.peak_mb:.0f} MB, {before.get('revision', 0):,} revisions, {same}",
    )
    for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        leftover.unlink(missing_ok=True)  # reading a WAL-mode copy leaves its side files
    subprocess.run(["rm", "-rf", str(target)], check=True)


def bench_nginx_cache(seconds: int) -> None:
    """Anonymous views through the shipped nginx's cache (needs nginx and its cache-purge module)."""
    missing = [p for p in ("/usr/sbin/nginx", nginx_cache.PURGE_MODULE) if not Path(p).exists()]
    if missing:
        print(f"  nginx cache benchmark skipped: {', '.join(missing)} missing")
        return
    nginx_cache.bench(row, seconds)


# 8. Working together (issue 17) -------------------------------------------------------------


def bench_collab(quick: bool) -> None:
    """The changes lists and rollback at 100,000 pages and 1,000,000 revisions (bench/collab_bench.py)."""
    import collab_bench
    import collab_dataset

    url = os.environ.get("BENCH_COLLAB_DATABASE_URL", collab_bench.DEFAULT_URL)
    spec = collab_dataset.Spec()
    if quick:
        spec = collab_dataset.Spec(pages=5_000, revisions=50_000, heavy=5_000, watched=200)
    print(f"== working together at {spec.pages:,} pages, {spec.revisions:,} revisions (PostgreSQL)")
    instance = servers.ROOT / "bench" / "data" / "collab_instance_pg"
    got = collab_bench.measure(url, instance, spec, 20 if quick else 100, log=print)
    for r in got["results"]:
        row(
            "collab",
            f"{r.name} p95",
            r.p95,
            "ms",
            bar=f"≤ {r.bar:.0f} ms",
            ok=r.ok,
            extra=f"p50 {r.p50:.1f} ms, server CPU {r.cpu:.1f} ms a request, "
            f"load {r.load[0]:.1f}→{r.load[1]:.1f} on {os.cpu_count()} cores",
        )


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
    default_only = "views,cache,render,files,scale,postgres,limits,ops"
    if os.environ.get("BENCH_COLLAB") == "1":
        default_only += ",collab"
    ap.add_argument("--only", default=default_only)
    ap.add_argument("--pages", default=None, help="wiki sizes for the scale benchmarks (comma-separated)")
    ap.add_argument("--seconds", type=int, default=None, help="wrk duration per target")
    ap.add_argument("--import-budget", type=float, default=float(os.environ.get("BENCH_IMPORT_BUDGET", 1200)))
    ap.add_argument(
        "--backup-pages",
        type=int,
        default=int(os.environ.get("BENCH_PAGES", 10_000)),
        help="wiki size of the /metrics and backup/restore rows (BENCH_PAGES; 100000 for the full run)",
    )
    ap.add_argument("--search-pages", type=int, default=int(os.environ.get("BENCH_SEARCH_PAGES", 20_000)))
    args = ap.parse_args()
    only = set(args.only.split(","))
    # The benchmarks' own traffic would hit the limits; bench_ratelimit turns them on for itself.
    os.environ["WIKI_RATE_LIMITS"] = "off"
    OUT.mkdir(parents=True, exist_ok=True)
    if not corpus.available():
        print("bench: ../shared/tools/corpus is absent and bench/data has no corpus; render/scale skipped")
        only -= {"render", "scale"}
    sizes = [int(x) for x in (args.pages or ("2000" if args.quick else "10000,100000")).split(",")]
    started = time.time()
    if "views" in only:
        bench_views(args.seconds or (3 if args.quick else 15))
    if "cache" in only:
        bench_nginx_cache(args.seconds or (3 if args.quick else 15))
    if "render" in only:
        bench_render(args.quick)
        bench_real_articles(args.quick)
    if "files" in only:
        bench_files()
    if "scale" in only:
        bench_scale(sizes, 120 if args.quick else args.import_budget, 20 if args.quick else 100)
    if "postgres" in only:
        bench_postgres(max(sizes), 20 if args.quick else 100)
    if "limits" in only:
        bench_pathological(2_000 if args.quick else args.search_pages)
        bench_ratelimit(50 if args.quick else 300)
    if "ops" in only:
        pages = 2_000 if args.quick else args.backup_pages
        bench_metrics(pages, 50 if args.quick else 300)
        bench_backup(pages)
    if "collab" in only:
        bench_collab(args.quick)
    text = table()
    print(f"\nBenchmarks on this machine ({os.cpu_count()} cores), {time.time() - started:.0f} s\n")
    print(text)
    (OUT / "results.json").write_text(json.dumps(ROWS, indent=1, default=str))
    (OUT / "table.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
