"""Fixtures: a fresh app and database per test (SQLite by default, PostgreSQL when
WIKI_TEST_DATABASE_URL is set), a test client, and a real gunicorn server on a free port."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
# Tests make many edits from one address in a minute: rate limits are off unless a test turns them
# on (tests/security/test_rate_limits.py). Set here so that gunicorn servers inherit it too.
os.environ.setdefault("WIKI_RATE_LIMITS", "off")
# The test client's address is 127.0.0.1, which the wiki trusts by default (no rate limit, no
# CAPTCHA): tests of those defences must meet them.
os.environ.setdefault("WIKI_RATE_LIMITS_EXCLUDED_IPS", "")
os.environ.setdefault("WIKI_CAPTCHA_SKIP_IPS", "")


def require_browser() -> None:
    """The browser tests need Debian's Chromium and Python's playwright: without them a developer's
    run skips those tests, CI (CI=true, where .ci/run installs both) fails them."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if importlib.util.find_spec("playwright") is None:
        missing.append("Python playwright is not installed (make install)")
    if not missing:
        return
    if IN_CI:
        pytest.fail("; ".join(missing) + ": CI must run the browser tests", pytrace=False)
    pytest.skip("; ".join(missing))


def _pg_url() -> str:
    """The PostgreSQL test database; under pytest-xdist each worker gets its own (`test_gw0`, ...)."""
    url = os.environ.get("WIKI_TEST_DATABASE_URL", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base, name = url.rsplit("/", 1)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_{worker}"})
        if exists.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}_{worker}"'))
    engine.dispose()
    return f"{base}/{name}_{worker}"


PG_URL = _pg_url()

from tests.helpers import WikiClient  # noqa: E402


def _migrate(url: str, instance: Path) -> None:
    """Apply the Alembic migrations to `url`, as `flask db upgrade` does."""
    env = {**os.environ, "WIKI_DATABASE_URL": url, "WIKI_INSTANCE_DIR": str(instance)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    """A migrated database: a SQLite file to copy per test, or the PostgreSQL URL."""
    work = tmp_path_factory.mktemp("dbtemplate")
    if PG_URL:
        engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        _migrate(PG_URL, work)
        return PG_URL
    path = work / "template.db"
    _migrate(f"sqlite:///{path}", work)
    return str(path)


def _truncate_pg(url: str) -> None:
    # A finished test's search-indexer thread may still be reading when TRUNCATE takes its locks;
    # PostgreSQL then aborts one side as a deadlock: try again rather than error the next test.
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                names = [
                    r[0]
                    for r in conn.execute(
                        text(
                            "SELECT tablename FROM pg_tables "
                            "WHERE schemaname='public' AND tablename <> 'alembic_version'"
                        )
                    )
                ]
                if names:
                    tables = ", ".join(f'"{n}"' for n in names)
                    conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.2)
    engine.dispose()


def fresh_database_url(database_template: str, folder: Path) -> str:
    """An empty migrated database for one module's app: a copy of the template in `folder` (SQLite),
    or the PostgreSQL test database emptied."""
    if PG_URL:
        _truncate_pg(PG_URL)
        return PG_URL
    return copy_sqlite(database_template, folder / "wiki.db")


@pytest.fixture
def database_url(database_template, tmp_path) -> str:
    if PG_URL:
        _truncate_pg(PG_URL)
        return PG_URL
    return copy_sqlite(database_template, tmp_path / "wiki.db")


def copy_sqlite(source: str | Path, target: Path) -> str:
    """Copy a SQLite database consistently (WAL included) and answer its URL."""
    src, dst = sqlite3.connect(str(source)), sqlite3.connect(str(target))
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return f"sqlite:///{target}"


def make_app(database_url: str, instance: Path, **config):
    from wiki import create_app

    return create_app(
        {
            "TESTING": True,
            "WIKI_INSTANCE_DIR": str(instance),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WIKI_INDEX_DIR": str(instance / "search"),
            **config,
        }
    )


def close_app(app) -> None:
    indexer = app.extensions.get("wiki.search.indexer")
    if indexer is not None:  # its thread must not drain a shared database's outbox for later tests
        indexer.stop(wait=10)
    with app.app_context():
        from wiki.extensions import db

        db.session.remove()
        db.engine.dispose()


def fresh_pg_database(suffix: str) -> str:
    """An empty PostgreSQL database `<test db>_<suffix>` beside the test database (dropped first)."""
    base, name = PG_URL.rsplit("/", 1)
    engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_{suffix}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}_{suffix}"'))
    engine.dispose()
    return f"{base}/{name}_{suffix}"


@pytest.fixture(scope="session")
def seeded_database_url(database_template, tmp_path_factory) -> str:
    """A database with content/ seeded once per session (SQLite: a file to copy; PostgreSQL: the
    separate database `<test db>_seeded`). Tests that share it must only read it."""
    work = tmp_path_factory.mktemp("seeded")
    if PG_URL:
        url = fresh_pg_database("seeded")
        _migrate(url, work)
        _seed(url, work)
        return url
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        url = copy_sqlite(database_template, work / "seeded.db")
        _seed(url, work)
        return url
    # Under xdist the first worker seeds a file every worker of this run copies.
    shared = tmp_path_factory.getbasetemp().parent / f"seeded-{run}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "seeded.db").exists():
            url = copy_sqlite(database_template, work / "seeding.db")
            _seed(url, work)
            copy_sqlite(work / "seeding.db", shared / "seeded.db")
    return copy_sqlite(shared / "seeded.db", work / "seeded.db")


def _seed(url: str, work: Path) -> None:
    from wiki import seed

    app = make_app(url, work / "instance")
    with app.app_context():
        reports = list(seed.seed_dir(ROOT / "wiki" / "content"))
    close_app(app)
    assert not [r for r in reports if r.outcome.startswith("error")], reports


@pytest.fixture(scope="module")
def seeded_app(seeded_database_url, tmp_path_factory):
    """An app over the seeded wiki (its own copy on SQLite), with its own search index, per module."""
    work = tmp_path_factory.mktemp("seeded_app")
    url = seeded_database_url
    if url.startswith("sqlite:///"):
        url = copy_sqlite(url[len("sqlite:///") :], work / "wiki.db")
    app = make_app(url, work)
    ensure = app.extensions.get("wiki.ensure_index")
    if ensure is not None:
        with app.app_context():
            ensure()
    yield app
    close_app(app)


@pytest.fixture
def instance_dir(tmp_path) -> Path:
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def app(database_url, instance_dir):
    app = make_app(database_url, instance_dir)
    yield app
    close_app(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wiki(client) -> WikiClient:
    """A test client that edits through the real forms."""
    return WikiClient(client)


def listening_socket() -> socket.socket:
    """A socket already listening on a free port, for gunicorn to serve (`--bind fd://N`).

    Binding here rather than passing a port number closes a race: between looking up a free port
    and gunicorn binding it, a server of a parallel test could take it, and this test would then
    talk to that server (its database, its pages)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


class LiveServer:
    """A real gunicorn serving the wiki on a free port (`listener` reuses another server's port)."""

    def __init__(
        self,
        database_url: str,
        instance: Path,
        workers: int = 2,
        env: dict | None = None,
        listener: socket.socket | None = None,
    ):
        self.listener = listener or listening_socket()
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "WIKI_DATABASE_URL": database_url,
            "WIKI_INSTANCE_DIR": str(instance),
            "WIKI_INDEX_DIR": str(instance / "search"),
            "WIKI_SERVER": self.url,
            **(env or {}),
        }
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    def start(self) -> LiveServer:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "python:wiki.gunicorn_conf",
                "-w",
                str(self.workers),
                "-b",
                f"fd://{self.listener.fileno()}",
                "--graceful-timeout",
                "2",
                "wiki:create_app()",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            pass_fds=(self.listener.fileno(),),
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                requests.get(self.url + "/wiki/Special:SpecialPages", timeout=2)
                return self
            except (requests.ConnectionError, requests.Timeout):
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        "gunicorn exited: " + self.proc.stderr.read().decode()[-2000:]
                    ) from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.listener.close()
        self._show_errors()

    def _show_errors(self) -> None:
        """Print the server's tracebacks (pytest shows them with a failing test's output)."""
        if self.proc is None or self.proc.stderr is None or self.proc.stderr.closed:
            return
        os.set_blocking(self.proc.stderr.fileno(), False)  # the indexer may still hold the pipe
        try:
            err = (self.proc.stderr.read() or b"").decode(errors="replace")
        except OSError:
            return
        if "Traceback" in err:
            print("server stderr:\n" + err[-6000:])


@pytest.fixture
def live_server(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir).start()
    yield server
    server.stop()


# Packages whose fixtures are package-scoped (one seeded server and one Chromium for the browser
# tests): under `--dist loadscope` their modules go to one worker together, so each is made once.
WHOLE_PACKAGES = ("tests/e2e/",)


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PackageScopes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for package in WHOLE_PACKAGES:
                if nodeid.startswith(package):
                    return package
            return super()._split_scope(nodeid)

    return PackageScopes(config, log)
