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
from tests.helpers import form_fields

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx.conf"
# Debian's libnginx-mod-http-cache-purge: the shipped configuration answers PURGE with it.
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


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


def login(session: requests.Session, base: str, name: str, password: str, **headers) -> requests.Response:
    page = session.get(f"{base}/wiki/Special:UserLogin", headers=headers, timeout=10)
    data = {**form_fields(page.text), "wpName": name, "wpPassword": password}
    return session.post(
        f"{base}/w/index.php?title=Special:UserLogin",
        data=data,
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def anonymous_edit(session: requests.Session, base: str, title: str, text: str, **headers) -> None:
    form = session.get(
        f"{base}/w/index.php", params={"title": title, "action": "edit"}, headers=headers, timeout=10
    )
    assert form.status_code == 200
    fields = {**form_fields(form.text), "wpTextbox1": text, "wpSummary": "", "wpSave": "1"}
    saved = session.post(
        f"{base}/w/index.php",
        params={"title": title, "action": "submit"},
        data=fields,
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )
    assert saved.status_code == 303, saved.text[:500]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(upstream_port: int, listen_port: int, cache_dir: Path) -> str:
    """deploy/nginx.conf with this test's ports and cache folder: the only three lines changed."""
    text = SHIPPED.read_text()
    text, n_server = re.subn(r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};", text)
    text, n_listen = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen_port};", text)
    text, n_cache = re.subn(r"cache_path /var/cache/nginx/wiki ", f"cache_path {cache_dir} ", text)
    assert (n_server, n_listen, n_cache) == (1, 1, 1), "deploy/nginx.conf changed shape: update this fixture"
    return text


class Nginx:
    def __init__(self, upstream_port: int) -> None:
        if not os.path.exists(NGINX):
            raise RuntimeError("nginx is missing: install Debian's nginx (apt-get install -y nginx)")
        if not PURGE_MODULE.exists():
            raise RuntimeError(
                "nginx's purge module is missing: apt-get install -y libnginx-mod-http-cache-purge"
            )
        # Not under pytest's 0700 temp folder: nginx's workers (user nobody when started as root)
        # must reach their temp files.
        self.prefix = Path(tempfile.mkdtemp(prefix="wiki-nginx-"))
        self.prefix.chmod(0o755)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.prefix / "site.conf").write_text(site_config(upstream_port, self.port, self.prefix / "cache"))
        temp = "\n".join(
            f"    {kind}_temp_path {self.prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.prefix / "nginx.conf").write_text(
            f"""worker_processes 1;
load_module {PURGE_MODULE};
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

    def halt(self) -> None:
        """Stop the process, keeping its files (the cache): start() brings it back."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def stop(self) -> None:
        self.halt()
        shutil.rmtree(self.prefix, ignore_errors=True)


def behind_nginx(database_url: str, instance_dir: Path, env: dict, purge: bool = False):
    """gunicorn (with `env`) behind nginx, the wiki purging that nginx when `purge` is set."""
    server = LiveServer(database_url, instance_dir, env={"WIKI_TRUSTED_PROXIES": "1", **env})
    nginx = Nginx(server.port)
    server.env["WIKI_CDN_SERVERS"] = f"127.0.0.1:{nginx.port}" if purge else ""
    try:
        server.start()
        yield server, nginx.start()
    finally:
        nginx.stop()
        server.stop()


@pytest.fixture
def proxied(database_url, instance_dir):
    """gunicorn with WIKI_TRUSTED_PROXIES=1 behind nginx: (gunicorn, nginx)."""
    yield from behind_nginx(database_url, instance_dir, {})


@pytest.fixture
def direct(database_url, instance_dir):
    """gunicorn without WIKI_TRUSTED_PROXIES, reached directly."""
    server = LiveServer(database_url, instance_dir, env={"WIKI_TRUSTED_PROXIES": ""}).start()
    yield server
    server.stop()
