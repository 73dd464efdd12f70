"""Servers the benchmarks start and stop: our gunicorn, the bare Flask baseline, nginx; and wrk."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The same settings for our app and the bare Flask ceiling: a worker per core, two threads each
# (gthread keeps connections alive, which sync workers cannot: 3-4x the requests per second here).
OURS = ["-c", "python:wiki.gunicorn_conf"]  # what `make run` adds: the search indexer process
GUNICORN = ["--workers", str(os.cpu_count() or 2), "--worker-class", "gthread", "--threads", "2"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask_cli(instance: Path, *args: str, env: dict | None = None, check: bool = True):
    full_env = {**os.environ, "WIKI_INSTANCE_DIR": str(instance), **(env or {})}
    return subprocess.run(
        [str(BIN / "flask"), "--app", "wiki", *args],
        cwd=ROOT,
        env=full_env,
        check=check,
        capture_output=True,
        text=True,
    )


class Server:
    """A process serving HTTP on a free port, stopped (with its children) on exit."""

    def __init__(self, cmd: list[str], env: dict | None = None, cwd: Path = ROOT, probe: str = "/"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [c.replace("{port}", str(self.port)) for c in cmd]
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.probe = probe
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                requests.get(self.url + self.probe, timeout=5)
                return self
            except requests.RequestException:
                if self.proc.poll() is not None:
                    err = self.proc.stderr.read().decode()[-1500:]
                    raise RuntimeError(f"{self.cmd[0]} exited: {err}") from None
                time.sleep(0.2)
        raise RuntimeError(f"{self.cmd} did not answer")

    def __exit__(self, *_exc) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def worker_rss_mb(self) -> float:
        """The largest resident set of the server's gunicorn workers, in MB."""
        return max((rss for rss, args in self._children() if "search-indexer" not in args), default=0.0)

    def indexer_rss_mb(self) -> float:
        """The resident set of the search indexer process beside the workers, in MB (0 if none)."""
        return max((rss for rss, args in self._children() if "search-indexer" in args), default=0.0)

    def _children(self) -> list[tuple[float, str]]:
        if self.proc is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "rss=,args=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        )
        rows = (line.split(None, 1) for line in out.stdout.splitlines() if line.strip())
        return [(int(rss) / 1024, args) for rss, args in rows if rss.isdigit()]


def wiki_server(instance: Path, env: dict | None = None) -> Server:
    cmd = [str(BIN / "gunicorn"), *OURS, *GUNICORN, "--bind", "127.0.0.1:{port}", "wiki:create_app()"]
    return Server(cmd, env={"WIKI_INSTANCE_DIR": str(instance), **(env or {})}, probe="/wiki/Main_Page")


def baseline_server(html_file: Path) -> Server:
    cmd = [str(BIN / "gunicorn"), *GUNICORN, "--bind", "127.0.0.1:{port}", "baseline_app:app"]
    return Server(cmd, env={"BENCH_HTML": str(html_file)}, cwd=ROOT / "bench", probe="/wiki/x")


class Nginx:
    """nginx serving one file as a static page: the machine's limit for these bytes."""

    def __init__(self, html_file: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.dir / "wiki").mkdir()
        shutil.copy(html_file, self.dir / "wiki" / "page")
        os.chmod(self.dir, 0o755)
        (self.dir / "nginx.conf").write_text(
            f"""worker_processes {os.cpu_count() or 2};
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {self.dir}; proxy_temp_path {self.dir}; fastcgi_temp_path {self.dir};
  uwsgi_temp_path {self.dir}; scgi_temp_path {self.dir};
  sendfile on; tcp_nopush on; keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.dir};
    location / {{ default_type text/html; }}
  }}
}}
"""
        )

    def __enter__(self) -> Nginx:
        subprocess.run(["nginx", "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)], check=True)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                requests.get(self.url + "/wiki/page", timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def __exit__(self, *_exc) -> None:
        pid_file = self.dir / "nginx.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGQUIT)
            time.sleep(0.5)
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(text: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    if found is None:
        raise ValueError(f"wrk printed a latency this does not read: {text!r}")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, seconds: int, threads: int = 2, connections: int = 16) -> WrkResult:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # Read errors are connections a sync worker closed after answering (no keep-alive): not failures.
    errors = (int(bad.group(1)) if bad else 0) + (int(errs.group(1)) + int(errs.group(4)) if errs else 0)
    return WrkResult(rps, p50, p99, errors)
