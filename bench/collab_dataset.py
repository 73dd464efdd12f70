"""The wiki of issue 17's benchmark rows: 100,000 pages, 1,000,000 revisions (each with its
recentchange row), a user watching 1,000 pages, a user with 100,000 edits, pages to roll back.

The accounts that log in are made through the application (`accounts.create_user`, which also logs
them); every other row is written in bulk, in the real schema (after `flask db upgrade`), by COPY on
PostgreSQL and executemany on SQLite: generating a million revisions through the save path would take
hours. The rows are what the save path writes (revision, recentchange with its bot/minor/patrol flags,
sizes and parent ids, page.latest/length, change tags, protect log entries with their protection
rows, watchlist rows for subject and talk page); the benchmark also saves a sample through HTTP and
checks that those edits appear where the bulk rows do.

The loaded database is kept as a template (PostgreSQL: a database `<name>_tpl`; SQLite: a file in
bench/data) and each run works on a fresh copy of it, so rollbacks and sample edits never
accumulate. The template is rebuilt when the dataset's shape changes (KEY) or it is older than
MAX_AGE (its changes are dated relative to the time it was built: RecentChanges lists the last days).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
PASSWORD = "collab bench password 17 long enough"
MAX_AGE = timedelta(days=2)
SPAN = timedelta(days=60)  # the revisions are spread over the last 60 days (RC keeps 90)
KEY_VERSION = 2  # bump when the generator changes what it writes

# Accounts made through the application (they log in): name -> groups.
ACCOUNTS = {"Watcher": "", "Heavy": "", "Vandal": "", "Rollbacker": "sysop", "BenchBot": "bot"}
EDITORS = 500  # "Editor N" accounts written in bulk
OTHER_WATCH = 100  # pages each editor watches


@dataclass(frozen=True)
class Spec:
    pages: int = 100_000
    revisions: int = 1_000_000
    heavy: int = 100_000  # edits by "Heavy"
    watched: int = 1_000  # pages "Watcher" watches
    targets: int = 60  # pages whose last `streak` edits are by "Vandal"
    streak: int = 50
    protected: int = 2_000  # protect log entries (logged actions in RecentChanges)

    def key(self) -> str:
        return hashlib.sha1(json.dumps([KEY_VERSION, asdict(self)]).encode()).hexdigest()[:12]


# The namespace of an ordinary page by its id: 60% articles, 20% talk, 10% user, 5% project, 5% template.
_NS = (0,) * 12 + (1,) * 4 + (2, 2, 4, 10)


def title_of(page: int, spec: Spec) -> str:
    first_target = spec.pages - spec.targets + 1
    return f"Rollback_target_{page - first_target}" if page >= first_target else f"Bench_page_{page}"


def target_title(k: int) -> str:
    return f"Rollback target {k}"


@dataclass
class Plan:
    """Who edits which page at each position in time (position i is revision id i + 1)."""

    page: array
    user: array  # index into the users list of `users`
    created: array  # per page: position of its first revision
    last: array  # per page: position of its latest revision


# User codes of the plan.
HEAVY, BOT, ANON, WATCHER, VANDAL, EDITOR0 = 0, 1, 2, 3, 4, 5


def plan(spec: Spec, rng: random.Random) -> Plan:
    n, p = spec.revisions, spec.pages
    ordinary_pages = p - spec.targets
    page, user = array("i", bytes(4 * n)), array("i", bytes(4 * n))
    target_positions = sorted(rng.sample(range(n), spec.targets * (spec.streak + 1)))
    taken = bytearray(n)
    groups = list(range(spec.targets))
    rng.shuffle(groups)
    # Each target page gets streak + 1 positions: its creation by an editor, then the vandal's streak.
    slots: dict[int, list[int]] = {}
    for k, pos in enumerate(target_positions):
        slots.setdefault(groups[k % spec.targets], []).append(pos)
    for k, positions in slots.items():
        for j, pos in enumerate(sorted(positions)):
            page[pos] = ordinary_pages + 1 + k
            user[pos] = EDITOR0 if j == 0 else VANDAL
            taken[pos] = 1
    free = [i for i in range(n) if not taken[i]]
    hot = rng.sample(range(1, ordinary_pages + 1), 1000)
    chosen = list(range(1, ordinary_pages + 1))  # every page edited at least once
    chosen += [
        rng.choice(hot) if rng.random() < 0.2 else rng.randint(1, ordinary_pages)
        for _ in range(len(free) - ordinary_pages)
    ]
    rng.shuffle(chosen)
    heavy = set(rng.sample(range(len(free)), spec.heavy))
    for k, pos in enumerate(free):
        page[pos] = chosen[k]
        if k in heavy:
            user[pos] = HEAVY
        else:
            r = rng.random()
            user[pos] = (
                BOT
                if r < 0.15
                else ANON
                if r < 0.25
                else WATCHER
                if r < 0.251
                else EDITOR0 + rng.randrange(EDITORS)
            )
    created, last = array("i", [-1]) * (p + 1), array("i", [-1]) * (p + 1)
    for pos in range(n):
        pg = page[pos]
        if created[pg] < 0:
            created[pg] = pos
        last[pg] = pos
    return Plan(page, user, created, last)


def text_of(pos: int, page: int, user: int, spec: Spec) -> str:
    if page > spec.pages - spec.targets:
        k = page - (spec.pages - spec.targets) - 1
        if user == VANDAL:
            return f"Vandalism number {pos} on target {k}."
        return f"The good text of rollback target {k}, by an editor.\n\nSee [[Bench page {k + 1}]]."
    return f"Revision {pos + 1} of bench page {page}; see [[Bench page {(page * 7) % spec.pages + 1}]].\n"


def comment_of(pos: int, page: int) -> str:
    if pos % 5 == 0:
        return f"/* Section {pos % 7} */ see [[Bench page {page}]]"
    return f"bench edit {pos + 1}"


def _sqlite_value(value: object) -> object:
    return value.isoformat(" ", timespec="microseconds") if isinstance(value, datetime) else value


class Writer:
    """Rows into tables: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, url: str, sqlite_path: Path | None):
        self.pg = sqlite_path is None
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(url)
        else:
            self.conn = sqlite3.connect(sqlite_path)

    def rows(self, table: str, columns: str, rows: Iterable[tuple]) -> int:
        count = 0
        if self.pg:
            with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ",".join("?" * len(columns.split(",")))
        batch: list[tuple] = []
        for row in rows:
            # SQLAlchemy's SQLite dates are text with microseconds always: they compare as strings.
            batch.append(tuple(_sqlite_value(v) for v in row))
            if len(batch) >= 20_000:
                self.conn.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', batch)
                count, batch = count + len(batch), []
        if batch:
            self.conn.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', batch)
            count += len(batch)
        return count

    def scalar(self, sql: str):
        cur = self.conn.execute(sql)
        return cur.fetchone()[0]

    def execute(self, sql: str) -> None:
        self.conn.execute(sql)

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def _accounts(url: str, instance: Path) -> dict[str, int]:
    """The accounts that log in, made through the application; their ids."""
    from wiki import create_app

    app = create_app({"WIKI_INSTANCE_DIR": str(instance), "SQLALCHEMY_DATABASE_URI": url})
    from wiki.access import accounts  # after the app: its modules import each other
    from wiki.extensions import db
    from wiki.pages import watchlist

    ids = {}
    with app.app_context():
        for name, groups in ACCOUNTS.items():
            ids[name] = accounts.create_user(name, PASSWORD, groups=groups).id
        watchlist.feed_token(ids["Watcher"])  # the feed reader's secret (MediaWiki's watchlisttoken)
        db.session.remove()
        db.engine.dispose()
    return ids


def load(url: str, instance: Path, spec: Spec, sqlite_path: Path | None) -> dict[str, float]:
    """Migrate an empty database and fill it; returns the seconds each step took."""

    took: dict[str, float] = {}
    t0 = time.perf_counter()
    _upgrade(url, instance)
    ids = _accounts(url, instance)
    from wiki.access.names import skeleton

    took["migrate + accounts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rng = random.Random(17)
    the_plan = plan(spec, rng)
    took["plan"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    w = Writer(url, sqlite_path)
    first_user = int(w.scalar('SELECT max(id) FROM "user"')) + 1
    editor_ids = [first_user + k for k in range(EDITORS)]
    w.rows(
        "user",
        "id, name, password_hash, created, session_epoch, disabled, email_on_talk",
        (
            (uid, f"Editor {k}", "-", datetime(2020, 1, 1), 0, False, False)
            for k, uid in enumerate(editor_ids)
        ),
    )
    w.rows(
        "user_skeleton",
        "user_id, skeleton",
        ((uid, skeleton(f"Editor {k}")) for k, uid in enumerate(editor_ids)),
    )
    users: list[tuple[int | None, str]] = [
        (ids["Heavy"], "Heavy"),
        (ids["BenchBot"], "BenchBot"),
        (None, ""),  # anonymous: an address per revision
        (ids["Watcher"], "Watcher"),
        (ids["Vandal"], "Vandal"),
        *((uid, f"Editor {k}") for k, uid in enumerate(editor_ids)),
    ]
    now = datetime.utcnow().replace(microsecond=0)
    start = now - SPAN
    step = SPAN / spec.revisions

    def when(pos: int) -> datetime:
        return start + step * pos

    def ns_title(page: int) -> tuple[int, str]:
        return (
            (0, title_of(page, spec))
            if page > spec.pages - spec.targets
            else (_NS[page % 20], title_of(page, spec))
        )

    def size(pos: int) -> int:
        pg = the_plan.page[pos]
        return len(text_of(pos, pg, the_plan.user[pos], spec).encode())

    def page_rows() -> Iterator[tuple]:
        for pg in range(1, spec.pages + 1):
            ns, title = ns_title(pg)
            last = the_plan.last[pg]
            yield (pg, ns, title, last + 1, False, size(last), when(last), when(the_plan.created[pg]))

    w.rows("page", "id, namespace, title, latest, is_redirect, length, touched, created", page_rows())
    took["users + pages"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    rc_base = int(w.scalar("SELECT coalesce(max(id), 0) FROM recentchange")) + 1
    prev = array("i", [-1]) * (spec.pages + 1)

    def revision_and_change() -> Iterator[tuple[tuple, tuple]]:
        for pos in range(spec.revisions):
            pg, code = the_plan.page[pos], the_plan.user[pos]
            user_id, name = users[code]
            if code == ANON:
                name = f"10.{pos % 250}.{(pos // 250) % 250}.{pos % 7 + 1}"
            text = text_of(pos, pg, code, spec)
            data = text.encode()
            parent = prev[pg]
            prev[pg] = pos
            stamp = when(pos)
            comment = comment_of(pos, pg)
            minor = parent >= 0 and pos % 7 == 3
            rev = (pos + 1, pg, parent + 1 if parent >= 0 else None, text, hashlib.sha1(data).hexdigest(),
                   len(data), comment, user_id, name, stamp, minor)  # fmt: skip
            ns, title = ns_title(pg)
            patrolled = 2 if code in (BOT, HEAVY) else (0 if code == ANON or pos % 3 else 1)
            rc = (rc_base + pos, stamp, "edit" if parent >= 0 else "new", ns, title, pg, pos + 1,
                  parent + 1 if parent >= 0 else None, user_id, name, comment, minor, code == BOT, patrolled,
                  size(parent) if parent >= 0 else 0, len(data))  # fmt: skip
            yield rev, rc

    revs: list[tuple] = []
    rcs: list[tuple] = []
    tags: list[tuple] = []
    rev_cols = "id, page_id, parent_id, text, sha1, size, comment, user_id, user_text, timestamp, minor"
    rc_cols = (
        "id, timestamp, type, namespace, title, page_id, rev_id, old_rev_id, user_id, user_text, comment,"
        " minor, bot, patrolled, old_len, new_len"
    )
    for rev, rc in revision_and_change():
        revs.append(rev)
        rcs.append(rc)
        pos = rev[0] - 1
        if pos % 50 == 7:
            tags.append(("mw-replace", rc[0], rev[0]))
        elif pos % 97 == 11:
            tags.append(("mw-undo", rc[0], rev[0]))
        if len(revs) >= 50_000:
            w.rows("revision", rev_cols, revs)
            w.rows("recentchange", rc_cols, rcs)
            revs, rcs = [], []
    w.rows("revision", rev_cols, revs)
    w.rows("recentchange", rc_cols, rcs)
    took["revisions + recentchange"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for name in ("mw-replace", "mw-undo"):
        if not w.scalar(f"SELECT count(*) FROM change_tag_def WHERE name = '{name}'"):
            w.rows("change_tag_def", "name, user_defined, active", [(name, False, True)])
    w.rows("change_tag", "tag, rc_id, rev_id", tags)
    # Logged actions: protections of ordinary pages (the entries, their rc rows, the protections).
    log_base = int(w.scalar("SELECT coalesce(max(id), 0) FROM log_entry")) + 1
    rc_log_base = rc_base + spec.revisions
    protected = rng.sample(range(1, spec.pages - spec.targets + 1), min(spec.protected, spec.pages // 50))
    details = json.dumps({"edit": {"level": "autoconfirmed", "expiry": "infinite"}})
    logs, log_rcs, protections = [], [], []
    for k, pg in enumerate(protected):
        ns, title = ns_title(pg)
        stamp = when(rng.randrange(spec.revisions)) + timedelta(microseconds=1)
        comment = f"Bench protection {k}"
        logs.append((log_base + k, "protect", "protect", ns, title, pg, ids["Rollbacker"], "Rollbacker",
                     comment, details, stamp))  # fmt: skip
        log_rcs.append((rc_log_base + k, stamp, "log", ns, title, pg, log_base + k, "protect", "protect",
                        ids["Rollbacker"], "Rollbacker", comment, False, False, 2))  # fmt: skip
        protections.append((pg, "edit", "autoconfirmed", None, False))
    w.rows(
        "log_entry",
        "id, type, action, namespace, title, page_id, user_id, user_text, comment, params, timestamp",
        logs,
    )
    w.rows(
        "recentchange",
        "id, timestamp, type, namespace, title, page_id, log_id, log_type, log_action, user_id, user_text,"
        " comment, minor, bot, patrolled",
        log_rcs,
    )
    w.rows("protection", "page_id, type, level, expiry, cascade", protections)
    # Watchlists: "Watcher" watches `watched` ordinary pages (and their talk pages), every editor some.
    watch: list[tuple] = []
    seen_at = now - timedelta(days=2)
    watchers = [(ids["Watcher"], spec.watched)] + [(uid, OTHER_WATCH) for uid in editor_ids]
    for user_id, count in watchers:
        for k, pg in enumerate(rng.sample(range(1, spec.pages - spec.targets + 1), count)):
            ns, title = ns_title(pg)
            notified = seen_at if k % 10 == 0 else None
            watch.append((user_id, ns & ~1, title, notified))
            watch.append((user_id, ns | 1, title, notified))
    w.rows("watchlist", "user_id, namespace, title, notified", watch)
    # What wiki.recent keeps with every change: the time of the title's latest one (migration 0025).
    w.execute(
        "UPDATE watchlist SET changed = COALESCE((SELECT max(r.timestamp) FROM recentchange r"
        " WHERE r.namespace = watchlist.namespace AND r.title = watchlist.title), '1970-01-01 00:00:00')"
    )
    if w.pg:
        for table in ("user", "page", "revision", "recentchange", "log_entry", "change_tag", "watchlist"):
            sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            w.execute(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')
    w.commit()
    took["tags, logs, watchlists"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if w.pg:
        w.conn.autocommit = True
        w.execute("VACUUM ANALYZE")
    else:
        w.execute("ANALYZE")
        w.commit()
    took["vacuum/analyze"] = time.perf_counter() - t0
    w.close()
    return took


# Templates and copies ------------------------------------------------------------------------


def _pg_admin(url: str):
    import psycopg

    base = url.rpartition("/")[0]
    return psycopg.connect(base + "/postgres", autocommit=True)


def _pg_comment(conn, name: str) -> str | None:
    row = conn.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (name,)
    ).fetchone()
    return None if row is None else (row[0] or "")


def _fresh(stamp: str) -> bool:
    try:
        built = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    return datetime.utcnow() - built < MAX_AGE


def prepare(url: str, spec: Spec, instance: Path, log=print) -> dict[str, object]:
    """A fresh copy of the dataset at `url` (PostgreSQL) or in `instance` (SQLite, url ""); returns
    what was done (built or reused, seconds) for the report."""
    instance.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql"):
        return _prepare_pg(url, spec, instance, log)
    return _prepare_sqlite(spec, instance, log)


def _upgrade(url: str, instance: Path) -> None:
    """Apply the migrations (to an empty database, or those newer than a template: a new index is
    then built once, on the template)."""
    env = {**os.environ, "WIKI_DATABASE_URL": url, "WIKI_INSTANCE_DIR": str(instance)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _prepare_pg(url: str, spec: Spec, instance: Path, log) -> dict[str, object]:
    base, _, name = url.rpartition("/")
    tpl = f"{name}_tpl"
    tpl_url = f"{base}/{tpl}"
    key = spec.key()
    out: dict[str, object] = {}
    with _pg_admin(url) as admin:
        comment = _pg_comment(admin, tpl)
        stamp, _, got_key = (comment or "").partition(" ")
        if comment is None or got_key != key or not _fresh(stamp):
            log(f"  building the template database {tpl} (key {key}) ...")
            admin.execute(f'DROP DATABASE IF EXISTS "{tpl}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{tpl}"')
            t0 = time.perf_counter()
            out["steps"] = load(tpl_url, instance, spec, None)
            out["built_s"] = time.perf_counter() - t0
            admin.execute(f"COMMENT ON DATABASE \"{tpl}\" IS '{datetime.utcnow().isoformat()} {key}'")
        t0 = time.perf_counter()
        _upgrade(tpl_url, instance)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{tpl}"')
        out["copy_s"] = time.perf_counter() - t0
    return out


def _prepare_sqlite(spec: Spec, instance: Path, log) -> dict[str, object]:
    DATA.mkdir(parents=True, exist_ok=True)
    key = spec.key()
    tpl = DATA / f"collab_{key}.db"
    stamp_file = tpl.with_suffix(".built")
    out: dict[str, object] = {}
    stamp = stamp_file.read_text().strip() if stamp_file.exists() and tpl.exists() else ""
    if not _fresh(stamp):
        log(f"  building the template {tpl.name} ...")
        for old in DATA.glob("collab_*.db*"):
            old.unlink()
        for old in DATA.glob("collab_*.built"):
            old.unlink()
        t0 = time.perf_counter()
        out["steps"] = load(f"sqlite:///{tpl}", instance, spec, tpl)
        out["built_s"] = time.perf_counter() - t0
        stamp_file.write_text(datetime.utcnow().isoformat())
    t0 = time.perf_counter()
    _upgrade(f"sqlite:///{tpl}", instance)
    with sqlite3.connect(tpl) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    target = instance / "wiki.db"
    for leftover in (target, target.with_name("wiki.db-wal"), target.with_name("wiki.db-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(tpl, target)
    out["copy_s"] = time.perf_counter() - t0
    return out
