"""Debian's nginx in front of a live gunicorn, configured by the deploy/nginx.conf the project
ships: run as a local process on a free port with its own prefix (temp files, logs, pid)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

from tests.conftest import ROOT, LiveServer

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx.conf"


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given local address (127.0.0.2, 127.0.0.3, ...: all of 127/8 is this host),
    so that nginx sees distinct clients."""

    def __init__(self, address: str, **kw) -> None:
        self.address = address
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw) -> None:
        kw["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kw)


def client_at(address: str) -> requests.Session:
    """A browser-like session whose connections come from `address`."""
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter(address))
    return session


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(upstream_port: int, listen_port: int) -> str:
    """deploy/nginx.conf with this test's ports: the only two lines changed."""
    text = SHIPPED.read_text()
    text, n_server = re.subn(r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};", text)
    text, n_listen = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    assert n_server == 1 and n_listen == 1, "deploy/nginx.conf changed shape: update this fixture"
    return text


class Nginx:
    def __init__(self, upstream_port: int) -> None:
        if not os.path.exists(NGINX):
            raise RuntimeError("nginx is missing: install Debian's nginx (apt-get install -y nginx)")
        # Not under pytest's 0700 temp folder: nginx's workers (user nobody when started as root)
        # must reach their temp files.
        self.prefix = Path(tempfile.mkdtemp(prefix="wiki-nginx-"))
        self.prefix.chmod(0o755)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.prefix / "site.conf").write_text(site_config(upstream_port, self.port))
        temp = "\n".join(
            f"    {kind}_temp_path {self.prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.prefix / "nginx.conf").write_text(
            f"""worker_processes 1;
pid {self.prefix / "nginx.pid"};
error_log {self.prefix / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {self.prefix / "access.log"};
{temp}
    include {self.prefix / "site.conf"};
}}
"""
        )
        self.proc: subprocess.Popen | None = None

    def start(self) -> Nginx:
        cmd = [
            NGINX,
            "-p",
            str(self.prefix),
            "-e",
            str(self.prefix / "error.log"),
            "-c",
            str(self.prefix / "nginx.conf"),
        ]
        check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen(
            [*cmd, "-g", "daemon off;"], stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                requests.get(self.url + "/wiki/Special:SpecialPages", timeout=2)
                return self
            except requests.ConnectionError:
                if self.proc.poll() is not None:
                    raise RuntimeError("nginx exited: " + self.proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.1)
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)


@pytest.fixture
def proxied(database_url, instance_dir):
    """gunicorn with WIKI_TRUSTED_PROXIES=1 behind nginx: (gunicorn, nginx)."""
    server = LiveServer(database_url, instance_dir, env={"WIKI_TRUSTED_PROXIES": "1"}).start()
    nginx = Nginx(server.port)
    try:
        yield server, nginx.start()
    finally:
        nginx.stop()
        server.stop()


@pytest.fixture
def direct(database_url, instance_dir):
    """gunicorn without WIKI_TRUSTED_PROXIES, reached directly."""
    server = LiveServer(database_url, instance_dir, env={"WIKI_TRUSTED_PROXIES": ""}).start()
    yield server
    server.stop()
