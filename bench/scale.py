"""Benchmarks at 10,000 and 100,000 pages: import, reindex, save through HTTP, search, memory.

The import is measured with our `flask import-dump` on the generated dump (with a time budget: a
run that does not finish reports the rate it reached). The wikis that saves and searches are
measured on are bulk-loaded with the rows an import writes (pages, revisions, links, categories,
templates; parser cache cold), then `flask reindex` builds their search index (also measured).
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import corpus
import requests
import servers

LINK = re.compile(r"\[\[([^\[\]|#<>{}]+)")
TEMPLATE = re.compile(r"\{\{\s*([^{}|#:]+?)\s*[|}]")


@dataclass
class Timed:
    seconds: float
    peak_mb: float
    output: str
    finished: bool = True


def run_measured(cmd: list[str], env: dict, budget: float | None = None) -> Timed:
    """Run a command; wall time and the child's peak resident memory (from wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=servers.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    finished = True
    deadline = start + budget if budget else None
    peak_kb = 0
    while True:
        peak_kb = max(peak_kb, _tree_hwm_kb(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline and time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            finished = False
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = proc.stdout.read().decode(errors="replace")
    if finished and proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {output[-1500:]}")
    return Timed(seconds, peak_kb / 1024, output, finished)


def _tree_hwm_kb(pid: int) -> int:
    """The largest peak resident set (VmHWM) of a process and its descendants, in kB.

    Not wait4's ru_maxrss: that keeps the size of the image before exec, i.e. of this benchmark
    process at fork time (over 1 GB once it has loaded a 100,000-page corpus)."""
    peak, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
        todo.extend(int(c) for c in children)
    return peak


def wiki_env(instance: Path, url: str | None = None) -> dict:
    """Settings of a benchmark wiki: SQLite in its folder, or PostgreSQL with its search backend."""
    env = {"WIKI_INSTANCE_DIR": str(instance)}
    if url:
        env.update(WIKI_DATABASE_URL=url, WIKI_SEARCH_BACKEND="postgres")
    return env


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url)


def seeded_instance() -> Path:
    """The seeded wiki the page-view benchmarks serve (bench/data/wiki_seed), made once."""
    inst = servers.ROOT / "bench" / "data" / "wiki_seed"
    if not (inst / "wiki.db").exists():
        fresh_instance(inst)
        servers.flask_cli(inst, "seed")
    servers.flask_cli(inst, "ensure-index")
    return inst


def fresh_instance(path: Path, url: str | None = None) -> Path:
    subprocess.run(["rm", "-rf", str(path)], check=True)
    path.mkdir(parents=True)
    if url:
        with _pg_connect(url) as conn:
            conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    servers.flask_cli(path, "db", "upgrade", env=wiki_env(path, url))
    return path


def _count_pages(instance: Path, url: str | None = None) -> int:
    if url:
        with _pg_connect(url) as conn:
            return conn.execute("SELECT count(*) FROM page").fetchone()[0]
    with sqlite3.connect(instance / "wiki.db", timeout=60) as conn:
        return conn.execute("SELECT count(*) FROM page").fetchone()[0]


def import_dump(n: int, instance: Path, budget: float) -> dict:
    """Pages per second of `flask import-dump` (search indexing included), peak memory."""
    dump = corpus.dump(n)
    fresh_instance(instance)
    env = {**os.environ, "WIKI_INSTANCE_DIR": str(instance)}
    cmd = [str(servers.BIN / "flask"), "--app", "wiki", "import-dump", "--quiet", str(dump)]
    timed = run_measured(cmd, env, budget)
    pages = _count_pages(instance)
    return {
        "pages": pages,
        "seconds": timed.seconds,
        "rate": pages / timed.seconds,
        "peak_mb": timed.peak_mb,
        "finished": timed.finished,
    }


def _key(title: str) -> tuple[int, str]:
    title = title.strip().replace("_", " ")
    ns = 0
    if title.lower().startswith("template:"):
        ns, title = 10, title.split(":", 1)[1].strip()
    title = " ".join(title.split())
    return ns, (title[:1].upper() + title[1:]).replace(" ", "_")


def bulk_load(n: int, instance: Path, url: str | None = None) -> Path:
    """An N-page wiki with the rows an import writes, loaded in one transaction (a fixture)."""
    marker = instance / f".loaded_{n}"
    if marker.exists():
        return instance
    fresh_instance(instance, url)
    conn = _pg_connect(url) if url else sqlite3.connect(instance / "wiki.db")
    now = "2024-01-01 00:00:00.000000"
    pages, revs, links, tpls, cats = [], [], [], [], []
    for pid, (title, text) in enumerate(corpus.wiki_pages(n), start=1):
        ns, key = _key(title)
        data = text.encode()
        pages.append((pid, ns, key, pid, False, len(data), now, now))
        revs.append(
            (pid, pid, None, text, hashlib.sha1(data).hexdigest(), len(data), "", None, "Bench", now, False)
        )
        seen = set()
        for target in LINK.findall(text):
            if target.startswith("Category:"):
                cats.append((pid, target.split(":", 1)[1].strip().replace(" ", "_"), "", now))
            elif ":" not in target and (k := _key(target)) not in seen:
                seen.add(k)
                links.append((pid, *k))
        for name in {t.strip() for t in TEMPLATE.findall(text)}:
            tpls.append((pid, 10, _key(name)[1]))
    _insert_all(conn, "%s" if url else "?", pages, revs, links, tpls, cats)
    conn.close()
    marker.touch()
    return instance


def _insert_all(conn, mark: str, pages, revs, links, tpls, cats) -> None:
    ignore = "INSERT OR IGNORE INTO" if mark == "?" else "INSERT INTO"
    tail = "" if mark == "?" else " ON CONFLICT DO NOTHING"
    cur = conn.cursor()
    with conn:
        cur.executemany(
            "INSERT INTO page (id, namespace, title, latest, is_redirect, length, touched, created)"
            " VALUES (?,?,?,?,?,?,?,?)".replace("?", mark),
            pages,
        )
        cur.executemany(
            "INSERT INTO revision (id, page_id, parent_id, text, sha1, size, comment, user_id, user_text,"
            " timestamp, minor) VALUES (?,?,?,?,?,?,?,?,?,?,?)".replace("?", mark),
            revs,
        )
        for table, rows, cols in (
            ("page_link", links, "(from_id, namespace, title) VALUES (?,?,?)"),
            ("template_link", tpls, "(from_id, namespace, title) VALUES (?,?,?)"),
            ("category_link", cats, "(from_id, category, sortkey, timestamp) VALUES (?,?,?,?)"),
        ):
            cur.executemany(f"{ignore} {table} {cols.replace('?', mark)}{tail}", rows)
        if mark != "?":  # explicit ids: move PostgreSQL's sequences past them
            for table in ("page", "revision"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )


def reindex(instance: Path, url: str | None = None) -> dict:
    env = {**os.environ, **wiki_env(instance, url)}
    timed = run_measured([str(servers.BIN / "flask"), "--app", "wiki", "reindex"], env)
    pages = _count_pages(instance, url)
    return {"pages": pages, "seconds": timed.seconds, "rate": pages / timed.seconds, "peak_mb": timed.peak_mb}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def api_login(session: requests.Session, url: str, user: str, password: str) -> None:
    """action=login (MediaWiki's rate limits spare accounts with noratelimit, e.g. sysops)."""
    token = session.get(
        url, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}, timeout=30
    ).json()["query"]["tokens"]["logintoken"]
    data = {"action": "login", "lgname": user, "lgpassword": password, "lgtoken": token, "format": "json"}
    result = session.post(url, data=data, timeout=30).json()
    if result.get("login", {}).get("result") != "Success":
        raise RuntimeError(f"login failed: {result}")


def api_saves(
    base: str, api_path: str, titles: list[str], rounds: int, login: tuple[str, str] | None = None
) -> tuple[float, float]:
    """p50/p95 ms of action=edit through HTTP (one session), appending a line each time."""
    session = requests.Session()
    if login:
        api_login(session, f"{base}{api_path}", *login)
    token = session.get(
        f"{base}{api_path}", params={"action": "query", "meta": "tokens", "format": "json"}, timeout=30
    ).json()["query"]["tokens"]["csrftoken"]
    times = []
    for i in range(rounds):
        title = titles[i % len(titles)]
        data = {
            "action": "edit",
            "title": title,
            "appendtext": f"\n\nBenchmark edit {i} at {time.time():.6f} with a [[Link {i % 50}]].",
            "summary": "bench",
            "token": token,
            "format": "json",
        }
        start = time.perf_counter()
        reply = session.post(f"{base}{api_path}", data=data, timeout=60)
        times.append((time.perf_counter() - start) * 1000)
        body = reply.json()
        if body.get("edit", {}).get("result") != "Success":
            raise RuntimeError(f"save failed: {str(body)[:300]}")
    return percentiles(times)


def searches(base: str, queries: list[str]) -> tuple[float, float]:
    """p50/p95 ms of Special:Search full-text result pages (ranked, highlighted snippets)."""
    session = requests.Session()
    session.get(f"{base}/w/index.php", params={"search": queries[0], "fulltext": "1"}, timeout=60)  # warm
    times = []
    for q in queries:
        start = time.perf_counter()
        reply = session.get(f"{base}/w/index.php", params={"search": q, "fulltext": "1"}, timeout=60)
        times.append((time.perf_counter() - start) * 1000)
        if reply.status_code != 200:
            raise RuntimeError(f"search {q!r}: HTTP {reply.status_code}")
    return percentiles(times)


def sample_titles(n: int, count: int) -> list[str]:
    titles = [t for t, _ in corpus.wiki_pages(n) if not t.startswith("Template:")]
    step = max(1, len(titles) // count)
    return titles[::step][:count]


if __name__ == "__main__":  # python bench/scale.py N: build and reindex an N-page wiki
    size = int(sys.argv[1])
    inst = bulk_load(size, servers.ROOT / "bench" / "data" / f"wiki_{size}")
    print(reindex(inst))
