# ruff: noqa: E501 - the table of cases reads best one request per line
"""Issue 17's measured rows: the changes lists and rollback at 100,000 pages and 1,000,000 revisions,
p95 through HTTP against a real gunicorn (the settings of `make run`).

    .venv/bin/python bench/collab_bench.py [--database-url postgresql://postgres@127.0.0.1:5432/NAME]
        [--sqlite] [--runs 100] [--pages 100000 --revisions 1000000 --heavy 100000]

The wiki (bench/collab_dataset.py) is bulk-loaded once into a template and copied for each run. A
sample of 20 edits is then saved through the real save path (action=edit over HTTP) and the run
checks that they show on the watchlist and the contributions like the bulk rows. Timed, one logged-in
client asking in turn (`--runs` times each, after warming up): Special:Watchlist of a user watching
1,000 pages, Special:Contributions of a user with 100,000 edits, Special:RecentChanges with filters,
the RecentChanges and watchlist feeds (bar: p95 ≤ 50 ms), and action=rollback of 50 consecutive edits,
each on its own page (bar: p95 ≤ 100 ms). The load average of the machine is printed beside each row:
the numbers are only as quiet as the machine was.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import collab_dataset  # noqa: E402
import servers  # noqa: E402

LIST_BAR_MS = 50.0
ROLLBACK_BAR_MS = 100.0
SAMPLE_EDITS = 20
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_collab"


@dataclass
class Result:
    name: str
    path: str
    p50: float
    p95: float
    bar: float
    size: int
    load: tuple[float, float]  # 1-minute load average before and after
    cpu: float  # CPU ms per request of the gunicorn workers and the database's backends
    samples: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.p95 <= self.bar


class CpuMeter:
    """CPU seconds used by the server's gunicorn workers (not its search indexer) and, on
    PostgreSQL, by the backends connected to its database: what the requests cost whatever the
    machine's load (wall times grow with the other processes sharing the cores, this does not)."""

    def __init__(self, master_pid: int, url: str):
        self.master = master_pid
        self.pg = None
        if url.startswith("postgresql"):
            import psycopg

            self.pg = psycopg.connect(url, autocommit=True)
            self.own = self.pg.info.backend_pid

    def _pids(self) -> list[int]:
        try:
            pids = [
                int(p) for p in Path(f"/proc/{self.master}/task/{self.master}/children").read_text().split()
            ]
        except OSError:
            pids = []
        pids = [p for p in pids if b"search-indexer" not in _read(f"/proc/{p}/cmdline")]
        if self.pg is not None:
            rows = self.pg.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s",
                (self.own,),
            ).fetchall()
            pids += [pid for (pid,) in rows]
        return pids

    def snapshot(self) -> dict[int, float]:
        tick = os.sysconf("SC_CLK_TCK")
        out = {}
        for pid in self._pids():
            stat = _read(f"/proc/{pid}/stat").decode()
            if stat:
                fields = stat.rsplit(")", 1)[1].split()
                out[pid] = (int(fields[11]) + int(fields[12])) / tick
        return out

    @staticmethod
    def used_ms(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items()) * 1000

    def close(self) -> None:
        if self.pg is not None:
            self.pg.close()


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile of the samples (nearest rank)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(q * len(ordered) + 0.5)))
    return ordered[rank - 1]


def login(base: str, name: str) -> requests.Session:
    """A browser session logged in through Special:UserLogin (its cookie also serves the API).

    A GET is retried once when the server has just closed the kept-alive connection (gunicorn
    closes idle ones after 2 s, which a client starved of CPU on a busy machine can reach)."""
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=Retry(total=1, allowed_methods={"GET"}, status=0)))
    form = session.get(f"{base}/wiki/Special:UserLogin", timeout=30).text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.update(wpName=name, wpPassword=collab_dataset.PASSWORD)
    resp = session.post(
        f"{base}/w/index.php?title=Special:UserLogin", data=fields, allow_redirects=False, timeout=30
    )
    if resp.status_code != 303:
        raise RuntimeError(f"login of {name} answered {resp.status_code}")
    return session


def token(session: requests.Session, base: str, kind: str) -> str:
    got = session.get(
        f"{base}/w/api.php", params={"action": "query", "meta": "tokens", "type": kind, "format": "json"}
    ).json()
    return got["query"]["tokens"][f"{kind}token"]


def timed_get(
    session: requests.Session, url: str, runs: int, expect: str, meter: CpuMeter
) -> tuple[list[float], int, float]:
    for _ in range(3):  # warm: the worker's caches, the database's buffers
        session.get(url, timeout=60)
    times, size = [], 0
    before = meter.snapshot()
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = session.get(url, timeout=60)
        times.append((time.perf_counter() - t0) * 1000)
        if resp.status_code != 200 or expect not in resp.text:
            raise RuntimeError(f"{url} answered {resp.status_code} without {expect!r}: {resp.text[:300]}")
        size = len(resp.content)
    return times, size, meter.used_ms(before, meter.snapshot()) / runs


def sample_edits(base: str, titles: list[str]) -> list[float]:
    """Edits by Heavy to watched pages through action=edit (the real save path); their times."""
    heavy = login(base, "Heavy")
    csrf = token(heavy, base, "csrf")
    times = []
    for k, title in enumerate(titles):
        t0 = time.perf_counter()
        got = heavy.post(
            f"{base}/w/api.php",
            data={"action": "edit", "title": title, "appendtext": f"\n\nSample edit {k} through the save path.",
                  "summary": f"sample edit {k}", "token": csrf, "format": "json"},
            timeout=60,
        ).json()  # fmt: skip
        times.append((time.perf_counter() - t0) * 1000)
        if got.get("edit", {}).get("result") != "Success":
            raise RuntimeError(f"sample edit of {title} failed: {got}")
    return times


def watched_titles(url: str, count: int) -> tuple[list[str], str]:
    """Some pages Watcher watches (as prefixed titles) and Watcher's feed token, read from the copy."""
    if url.startswith("postgresql"):
        import psycopg

        conn = psycopg.connect(url)
    else:
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    names = {
        0: "",
        1: "Talk:",
        2: "User:",
        3: "User talk:",
        4: "Project:",
        5: "Project talk:",
        10: "Template:",
        11: "Template talk:",
    }
    with conn:
        rows = conn.execute(
            "SELECT p.namespace, p.title FROM watchlist w JOIN page p ON p.namespace = w.namespace AND p.title = w.title"
            " JOIN \"user\" u ON u.id = w.user_id WHERE u.name = 'Watcher' ORDER BY p.id LIMIT " + str(count)
        ).fetchall()
        feed_token = conn.execute(
            "SELECT t.token FROM watchlist_token t JOIN \"user\" u ON u.id = t.user_id WHERE u.name = 'Watcher'"
        ).fetchone()[0]
    conn.close()
    return [names[ns] + title.replace("_", " ") for ns, title in rows], feed_token


def cases(feed_token: str) -> list[tuple[str, str, str]]:
    """(name, path, text the answer must hold) of each timed list."""
    idx = "/w/index.php?title="
    api = "/w/api.php?"
    return [
        ("Special:Watchlist (defaults: 7 days, 250, every change)", "/wiki/Special:Watchlist", "mw-changeslist-line"),
        ("Special:Watchlist 7 days, 250, latest per page", idx + "Special:Watchlist&days=7&limit=250", "mw-changeslist-line"),
        ("Special:Watchlist 30 days, 500, every change", idx + "Special:Watchlist&days=30&limit=500&extended=1", "mw-changeslist-line"),
        ("Special:Watchlist hideminor+hidebots+hidemyself, ns 0, 7 days", idx + "Special:Watchlist&hideminor=1&hidebots=1&hidemyself=1&namespace=0&days=7", "mw-changeslist-line"),
        ("Special:Contributions/Heavy (50)", "/wiki/Special:Contributions/Heavy", "mw-changeslist-date"),
        ("Special:Contributions/Heavy limit=500", idx + "Special:Contributions/Heavy&limit=500", "mw-changeslist-date"),
        ("Special:Contributions/Heavy ns=1 (talk)", idx + "Special:Contributions/Heavy&namespace=1", "mw-changeslist-date"),
        ("Special:RecentChanges (defaults: 7 days, 50, bots hidden)", "/wiki/Special:RecentChanges", "mw-changeslist-line"),
        ("Special:RecentChanges hideminor+hideanons, ns 0 (50)", idx + "Special:RecentChanges&hideminor=1&hideanons=1&namespace=0", "mw-changeslist-line"),
        ("Special:RecentChanges ns 1 + associated, 30 days (50)", idx + "Special:RecentChanges&namespace=1&associated=1&days=30", "mw-changeslist-line"),
        ("Special:RecentChanges hidebots, ns 0, 30 days, 500", idx + "Special:RecentChanges&hidebots=1&namespace=0&days=30&limit=500", "mw-changeslist-line"),
        ("Special:RecentChanges hideminor+hideanons+hidebots, ns 1, 7 days, 500", idx + "Special:RecentChanges&hideminor=1&hideanons=1&hidebots=1&namespace=1&days=7&limit=500", "mw-changeslist-line"),
        ("Special:RecentChanges new pages only, 30 days, 500", idx + "Special:RecentChanges&hidepageedits=1&hidelog=1&days=30&limit=500", "mw-changeslist-line"),
        ("RecentChanges Atom feed", idx + "Special:RecentChanges&feed=atom", "<feed"),
        ("Watchlist Atom feed (action=feedwatchlist, wltoken)", api + f"action=feedwatchlist&feedformat=atom&wlowner=Watcher&wltoken={feed_token}", "<feed"),
        ("Contributions Atom feed (Heavy)", idx + "Special:Contributions/Heavy&feed=atom", "<feed"),
    ]  # fmt: skip


def rollbacks(base: str, count: int, streak: int, meter: CpuMeter) -> tuple[list[float], float]:
    """action=rollback of Vandal's `streak` consecutive edits on `count` pages, one request each."""
    sysop = login(base, "Rollbacker")
    rb = token(sysop, base, "rollback")
    times = []
    before = meter.snapshot()
    for k in range(count):
        title = collab_dataset.target_title(k)
        t0 = time.perf_counter()
        got = sysop.post(
            f"{base}/w/api.php",
            data={"action": "rollback", "title": title, "user": "Vandal", "token": rb, "format": "json"},
            timeout=60,
        ).json()
        times.append((time.perf_counter() - t0) * 1000)
        done = got.get("rollback")
        if not done:
            raise RuntimeError(f"rollback of {title} failed: {got}")
        if k == 0:
            _check_rollback(sysop, base, title, done, streak)
    cpu = meter.used_ms(before, meter.snapshot()) / count  # (the one check's requests included)
    return times, cpu


def _check_rollback(session: requests.Session, base: str, title: str, done: dict, streak: int) -> None:
    """The first rollback restored the editor's text and stepped over the whole streak."""
    got = session.get(
        f"{base}/w/api.php",
        params={"action": "query", "prop": "revisions", "titles": title, "rvprop": "content|user|ids",
                "rvslots": "main", "rvlimit": streak + 2, "format": "json", "formatversion": "2"},
    ).json()  # fmt: skip
    revs = got["query"]["pages"][0]["revisions"]
    reverted = [r for r in revs[1:] if r["user"] == "Vandal"]
    text = revs[0]["slots"]["main"]["content"]
    if len(reverted) != streak or "good text" not in text or revs[0]["revid"] != done["revid"]:
        raise RuntimeError(
            f"rollback of {title} did not restore the good text over {streak} edits: {revs[:3]}"
        )


def check_sample(session: requests.Session, base: str, titles: list[str]) -> None:
    """The edits saved through the save path appear first on the watchlist and the contributions."""
    contribs = session.get(f"{base}/wiki/Special:Contributions/Heavy", timeout=60).text
    watch = session.get(f"{base}/w/index.php?title=Special:Watchlist&hidemyself=0&days=1", timeout=60).text
    for title in titles[-5:]:
        shown = title.replace("&", "&amp;")
        if shown not in contribs or shown not in watch:
            raise RuntimeError(
                f"the sample edit of {title} is missing from the contributions or the watchlist"
            )


def settle(db_url: str, timeout: float = 120.0) -> None:
    """Wait until the search outbox is empty (the indexer has applied the sample edits) and the
    database's pages are written out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db_url.startswith("postgresql"):
            import psycopg

            with psycopg.connect(db_url) as conn:
                left = conn.execute("SELECT count(*) FROM search_outbox").fetchone()
        else:
            import sqlite3

            with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
                left = conn.execute("SELECT count(*) FROM search_outbox").fetchone()
        if left is None or left[0] == 0:
            break
        time.sleep(0.5)
    if db_url.startswith("postgresql"):
        import psycopg

        # The copy of the template (~1 GB written a moment ago) is flushed now, not by the
        # checkpointer in the middle of the first rows.
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    time.sleep(2)


def measure(url: str, instance: Path, spec: collab_dataset.Spec, runs: int, log=print) -> dict:
    """Prepare a copy, serve it, and time every row; returns the results and notes."""
    prep = collab_dataset.prepare(url, spec, instance, log=log)
    db_url = url if url.startswith("postgresql") else f"sqlite:///{instance / 'wiki.db'}"
    titles, feed_token = watched_titles(db_url, SAMPLE_EDITS)
    env = {"WIKI_INSTANCE_DIR": str(instance), "WIKI_RATE_LIMITS": "off"}
    if url.startswith("postgresql"):
        env.update(WIKI_DATABASE_URL=url, WIKI_SEARCH_BACKEND="postgres")
    results: list[Result] = []
    with servers.wiki_server(instance, env=env) as server:
        base = server.url
        saves = sample_edits(base, titles)
        watcher = login(base, "Watcher")
        check_sample(watcher, base, titles)
        settle(db_url)  # the search indexer's work for the sample edits is not timed with the lists
        assert server.proc is not None
        meter = CpuMeter(server.proc.pid, url)
        try:
            for name, path, expect in cases(feed_token):
                before = os.getloadavg()[0]
                times, size, cpu = timed_get(watcher, base + path, runs, expect, meter)
                results.append(
                    Result(name, path, statistics.median(times), percentile(times, 0.95), LIST_BAR_MS, size,
                           (before, os.getloadavg()[0]), cpu, times)
                )  # fmt: skip
                log(f"  {name}: p50 {results[-1].p50:.1f} ms, p95 {results[-1].p95:.1f} ms, CPU {cpu:.1f} ms")
            before = os.getloadavg()[0]
            times, cpu = rollbacks(base, spec.targets, spec.streak, meter)
        finally:
            meter.close()
        results.append(
            Result(f"action=rollback of {spec.streak} consecutive edits ({spec.targets} pages)", "action=rollback",
                   statistics.median(times), percentile(times, 0.95), ROLLBACK_BAR_MS, 0,
                   (before, os.getloadavg()[0]), cpu, times)
        )  # fmt: skip
        log(f"  rollback: p50 {results[-1].p50:.1f} ms, p95 {results[-1].p95:.1f} ms, CPU {cpu:.1f} ms")
    return {"results": results, "prepare": prep, "saves": saves}


def table(results: list[Result]) -> str:
    lines = [
        "| request | p50 ms | p95 ms | bar (p95) | ok | server CPU ms/request | load 1 min (before→after) | bytes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.p50:.1f} | {r.p95:.1f} | ≤ {r.bar:.0f} ms | {'✓' if r.ok else '✗'} | {r.cpu:.1f} "
            f"| {r.load[0]:.2f}→{r.load[1]:.2f} | {r.size:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("BENCH_COLLAB_DATABASE_URL", DEFAULT_URL))
    ap.add_argument("--sqlite", action="store_true", help="SQLite in bench/data instead of PostgreSQL")
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--revisions", type=int, default=1_000_000)
    ap.add_argument("--heavy", type=int, default=100_000)
    ap.add_argument("--watched", type=int, default=1_000)
    args = ap.parse_args()
    spec = collab_dataset.Spec(
        pages=args.pages, revisions=args.revisions, heavy=args.heavy, watched=args.watched
    )
    url = "" if args.sqlite else args.database_url
    instance = HERE / "data" / f"collab_instance_{'sqlite' if args.sqlite else 'pg'}"
    os.environ["WIKI_RATE_LIMITS"] = "off"
    print(f"uptime: {os.popen('uptime').read().strip()}")
    started = time.time()
    got = measure(url, instance, spec, args.runs)
    prep, saves = got["prepare"], got["saves"]
    print(
        f"\n{spec.pages:,} pages, {spec.revisions:,} revisions ({'SQLite' if args.sqlite else 'PostgreSQL'}), {os.cpu_count()} cores"
    )
    if "built_s" in prep:
        steps = ", ".join(f"{k} {v:.0f} s" for k, v in prep["steps"].items())
        print(f"template built in {prep['built_s']:.0f} s ({steps})")
    print(
        f"copy of the template: {prep['copy_s']:.1f} s; {len(saves)} sample edits through action=edit: p50 {statistics.median(saves):.0f} ms"
    )
    print(f"uptime: {os.popen('uptime').read().strip()}; {time.time() - started:.0f} s in all\n")
    print(table(got["results"]))


if __name__ == "__main__":
    main()
