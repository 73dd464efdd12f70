"""The wheel runs on its own: built from the package alone, installed with the locked dependencies into
an empty virtualenv, its `wikimill` command migrates, seeds and serves the wiki in a folder that is not
the checkout; the systemd units and the Procfile of deploy/ run that command."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests

from tests.conftest import PG_URL, fresh_pg_database

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT_VENV = "/opt/wikimill/venv"  # where deploy/*.service expect the virtualenv
FLAGSHIP = "Large Language Model (LLM) Innovation Milestone"
PACKAGE_DATA = ("templates", "static", "migrations", "content")


def run(*argv: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300):
    """Run a command; on failure, fail the test with what it printed."""
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        pytest.fail(f"{argv} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel --no-deps` of a copy holding only what the build may use (no tests, no instance)."""
    work = tmp_path_factory.mktemp("build")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "wiki", source / "wiki", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", source)
    [built] = (work / "dist").glob("wikimill-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """An empty virtualenv with the wheel and the dependencies pinned by requirements.lock."""
    path = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", path)
    run(
        path / "bin" / "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        ROOT / "requirements.lock",
        wheel,
    )
    return path


def clean_env(venv: Path) -> dict[str, str]:
    """This process's environment without the settings of the test run or of the checkout's venv."""
    drop = ("WIKI_", "FLASK_", "PYTHON", "VIRTUAL_ENV", "PROMETHEUS_", "NOTIFY_SOCKET")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="module")
def wiki_env(venv) -> dict[str, str]:
    """The environment of the installed wiki's commands: SQLite in ./instance by default; under
    WIKI_TEST_DATABASE_URL a PostgreSQL database of its own (psycopg from the lock's [postgres])."""
    env = clean_env(venv)
    if PG_URL:
        env["WIKI_DATABASE_URL"] = fresh_pg_database("wheel")
    return env


@pytest.fixture(scope="module")
def site(wiki_env, tmp_path_factory) -> Path:
    """A folder where `wikimill db upgrade` and `wikimill seed` ran (its ./instance is the wiki's)."""
    folder = tmp_path_factory.mktemp("site")
    run("wikimill", "db", "upgrade", cwd=folder, env=wiki_env)
    seeded = run("wikimill", "seed", cwd=folder, env=wiki_env)
    assert re.search(r"Seed: \d+ created\.", seeded.stdout), seeded.stdout
    return folder


class Served:
    """A command that starts gunicorn on port 0, read from its log: no other test can take the port."""

    def __init__(self, command: list[str] | str, cwd: Path, env: dict[str, str]):
        self.proc = subprocess.Popen(
            command,
            shell=isinstance(command, str),
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # the server, its workers and its indexer: one group to stop
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"Listening at: (http://\S+)", 60).group(1)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def wait_for(self, pattern: str, seconds: float) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in list(self.log):
                if found := re.search(pattern, line):
                    return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"no {pattern!r} in the server's log:\n" + "".join(self.log)[-4000:])

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen[str]) -> int:
    """SIGTERM to the process group a test started (a server with its workers and indexer); its code."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            return proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.wait()


def test_the_wheel_carries_templates_static_files_migrations_seed_pages_and_license(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tree = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "wiki").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    missing = sorted(tree - names)
    assert not missing, (
        f"files of wiki/ missing from the wheel (pyproject.toml's package-data): {missing[:5]}"
    )
    for folder in PACKAGE_DATA:
        assert any(n.startswith(f"wiki/{folder}/") for n in names), folder
    assert not [n for n in names if n.startswith(("tests/", "bench/", "deploy/", "instance/"))]
    dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
    assert f"{dist_info}/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode()
    assert "Name: wikimill" in metadata and "License-Expression: MIT" in metadata
    assert "Classifier: Framework :: Flask" in metadata and "Provides-Extra: postgres" in metadata
    entry_points = zipfile.ZipFile(wheel).read(f"{dist_info}/entry_points.txt").decode()
    assert "wikimill = wiki.__main__:main" in entry_points


def test_the_installed_package_is_the_one_imported(venv, site, wiki_env):
    where = run(venv / "bin" / "python", "-c", "import wiki; print(wiki.__file__)", cwd=site, env=wiki_env)
    assert Path(where.stdout.strip()).is_relative_to(venv)
    assert (site / "instance" / "secret_key").is_file()  # the default instance folder: ./instance
    assert (site / "instance" / "wiki.db").is_file() != bool(PG_URL)


def test_help_wraps_the_flask_commands(site, wiki_env):
    env = wiki_env
    shown = run("wikimill", "--help", cwd=site, env=env).stdout
    for command in (
        "run",
        "db",
        "seed",
        "create-admin",
        "search-indexer",
        "backup",
        "restore",
        "import-dump",
    ):
        assert re.search(rf"^  {command} ", shown, re.M), f"{command} missing from wikimill --help:\n{shown}"
    made = run(
        "wikimill", "create-admin", "Packager", "--password", "correct horse battery", cwd=site, env=env
    )
    assert made.stdout.startswith("Packager is a ") and "sysop" in made.stdout


def test_run_serves_the_seeded_wiki_and_its_static_files(site, wiki_env, tmp_path):
    env = dict(wiki_env)
    # systemd's Type=notify (deploy/wikimill.service): gunicorn says READY=1 on this socket
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    notify.settimeout(30)
    env["NOTIFY_SOCKET"] = str(tmp_path / "notify")
    server = Served(["wikimill", "run", "--port", "0", "--workers", "1"], site, env)
    try:
        page = requests.get(f"{server.url}/wiki/{FLAGSHIP.replace(' ', '_')}", timeout=30)
        assert page.status_code == 200 and FLAGSHIP in page.text
        stylesheet = re.search(r'href="(/static/wiki\.[0-9a-f]+\.css)', page.text)
        assert stylesheet, "the page links no fingerprinted stylesheet"
        for path in (stylesheet.group(1), "/static/favicon.ico"):
            static = requests.get(server.url + path, timeout=30)
            assert static.status_code == 200 and static.content, path
        assert b"READY=1" in notify.recv(4096)
    finally:
        server.stop()
        notify.close()


def test_the_procfile_runs_the_server_and_the_indexer_apart(site, wiki_env):
    processes = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines() if line)
    assert set(processes) == {"web", "indexer"}
    env = {**wiki_env, "PORT": "0"}
    web = Served(processes["web"], site, env)
    indexer = subprocess.Popen(
        processes["indexer"],
        shell=True,
        cwd=site,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        web.wait_for(r"WIKI_SEARCH_INDEXER=external", 5)  # gunicorn started no indexer of its own
        params = {"action": "query", "list": "search", "srsearch": "Innovation Milestone", "format": "json"}
        deadline = time.monotonic() + 60
        while True:
            hits = requests.get(f"{web.url}/w/api.php", params=params, timeout=30).json()["query"]["search"]
            if any(h["title"] == FLAGSHIP for h in hits) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert any(h["title"] == FLAGSHIP for h in hits), hits
        # one indexer per index: a second one finds it taken, and the one holding it is the Procfile's
        second = run("wikimill", "search-indexer", cwd=site, env=env, timeout=60)
        assert "Another search indexer is running" in second.stderr
        assert indexer.poll() is None, indexer.stderr.read() if indexer.stderr else ""
    finally:
        web.stop()
        stopped = stop_group(indexer)
    assert stopped == 0  # SIGTERM stops the indexer cleanly


def _units(venv: Path, folder: Path) -> list[Path]:
    """deploy/*.service with the virtualenv of this test where the units expect /opt/wikimill/venv."""
    units = []
    for unit in sorted(DEPLOY.glob("*.service")):
        units.append(folder / unit.name)
        units[-1].write_text(unit.read_text().replace(UNIT_VENV, str(venv)))
    return units


def test_the_systemd_units_parse_and_run_commands_of_the_console_script(venv, wiki_env, tmp_path):
    units = _units(venv, tmp_path)
    assert {u.name for u in units} == {"wikimill.service", "wikimill-indexer.service"}
    if shutil.which("systemd-analyze"):
        checked = subprocess.run(
            ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True
        )
        # verify warns about unknown keys or bad values on stderr and still exits 0
        assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
    commands = []
    for unit in units:
        parsed = configparser.ConfigParser(strict=False, interpolation=None)
        parsed.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
        parsed.read(unit)
        assert {"Unit", "Service", "Install"} <= set(parsed.sections()), unit.name
        commands += [parsed["Service"][k] for k in ("ExecStartPre", "ExecStart") if k in parsed["Service"]]
    assert len(commands) == 3
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == str(venv / "bin" / "wikimill"), command
        run(
            *argv, "--help", cwd=tmp_path, env=wiki_env
        )  # the subcommand exists (db upgrade, run, search-indexer)
