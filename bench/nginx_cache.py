"""Anonymous page views through the shipped nginx (deploy/nginx.conf, its cache on and the wiki
purging it) against nginx serving the same page as a static file, and the time until an edit is
visible to anonymous readers through that cache.

    .venv/bin/python bench/nginx_cache.py [--seconds S] [--edits N]

The wiki runs as `make run` does (gunicorn, a worker per core) on a copy of the seeded wiki, with
WIKI_TRUSTED_PROXIES=1, WIKI_CDN_MAXAGE=300 and WIKI_CDN_SERVERS naming the nginx in front. Bars:
cached views at least half of nginx's static-file throughput; edit-to-visible p95 under 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scale  # noqa: E402
import servers  # noqa: E402

SHIPPED = servers.ROOT / "deploy" / "nginx.conf"
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
VIEW_PAGE = "Large_language_model"
EDIT_PAGE = "Bench_cache_page"


class ShippedNginx:
    """deploy/nginx.conf in front of `upstream_port`, in a folder of its own, as a system would run it
    (a worker per core, no access log, as the static-file nginx it is compared with)."""

    def __init__(self, upstream_port: int):
        self.dir = Path(tempfile.mkdtemp(prefix="bench-shipped-nginx-"))
        os.chmod(self.dir, 0o755)
        self.port = servers.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = SHIPPED.read_text()
        for old, new in (
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};"),
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
            ("/var/cache/nginx/wiki ", f"{self.dir / 'cache'} "),
        ):
            if old not in site:
                raise RuntimeError(f"deploy/nginx.conf has no {old!r}: update bench/nginx_cache.py")
            site = site.replace(old, new)
        (self.dir / "site.conf").write_text(site)
        temps = " ".join(f"{kind}_temp_path {self.dir / kind};" for kind in ("client_body", "proxy"))
        (self.dir / "nginx.conf").write_text(
            f"""load_module {PURGE_MODULE};
worker_processes {os.cpu_count() or 2};
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off; {temps}
  keepalive_requests 100000;
  include {self.dir / "site.conf"};
}}
"""
        )

    def __enter__(self) -> ShippedNginx:
        subprocess.run(["nginx", "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)], check=True)
        return self

    def __exit__(self, *_exc) -> None:
        pid_file = self.dir / "nginx.pid"
        if pid_file.exists():
            subprocess.run(["kill", "-QUIT", pid_file.read_text().strip()], check=False)
            time.sleep(0.5)
        shutil.rmtree(self.dir, ignore_errors=True)


def seeded_copy() -> Path:
    """A throwaway copy of bench/data/wiki_seed (seeded once, `scale.seeded_instance`)."""
    seed = scale.seeded_instance()
    copy = Path(tempfile.mkdtemp(prefix="bench-cache-wiki-")) / "instance"
    shutil.copytree(seed, copy)
    servers.flask_cli(copy, "db", "upgrade")  # a seed made before the latest migrations
    return copy


def _anonymous_save(session: requests.Session, base: str, text: str) -> None:
    token = session.get(
        f"{base}/w/api.php", params={"action": "query", "meta": "tokens", "format": "json"}, timeout=30
    ).json()["query"]["tokens"]["csrftoken"]
    answer = session.post(
        f"{base}/w/api.php",
        data={"action": "edit", "title": EDIT_PAGE, "text": text, "token": token, "format": "json"},
        timeout=30,
    ).json()
    if answer.get("edit", {}).get("result") != "Success":
        raise RuntimeError(f"the benchmark's edit failed: {answer}")


def edit_to_visible(base: str, edits: int) -> list[float]:
    """Seconds from each saved edit until an anonymous reader through the cache sees it."""
    editor, url = requests.Session(), f"{base}/wiki/{EDIT_PAGE}"
    _anonymous_save(editor, base, "Version 0.")
    delays = []
    for n in range(1, edits + 1):
        for _ in range(50):  # the reader's copy comes from the cache before each edit (a purge
            cached = requests.get(url, timeout=30)  # of the last edit may still be on its way)
            if cached.headers.get("X-Cache-Status") == "HIT":
                break
            time.sleep(0.02)
        if f"Version {n - 1}." not in cached.text or cached.headers.get("X-Cache-Status") != "HIT":
            raise RuntimeError(f"the page was not served from the cache: {cached.headers}")
        _anonymous_save(editor, base, f"Version {n}.")
        saved = time.perf_counter()
        while f"Version {n}." not in requests.get(url, timeout=30).text:
            if time.perf_counter() - saved > 30:
                raise RuntimeError(f"edit {n} not visible through the cache after 30 s")
            time.sleep(0.005)
        delays.append(time.perf_counter() - saved)
    return delays


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def bench(row: Callable[..., None], seconds: int, edits: int = 20) -> None:
    """Cached views vs static nginx (req/s) and edit-to-visible p95, as rows of bench/run.py's table."""
    print("== page views through the shipped nginx cache (wrk -t2 -c16)")
    instance = seeded_copy()
    wiki = servers.wiki_server(instance)
    nginx = ShippedNginx(wiki.port)
    wiki.env.update(
        WIKI_TRUSTED_PROXIES="1", WIKI_CDN_MAXAGE="300", WIKI_CDN_SERVERS=f"127.0.0.1:{nginx.port}"
    )
    html = instance / "view.html"
    try:
        with wiki, nginx:
            url = f"{nginx.url}/wiki/{VIEW_PAGE}"
            for _ in range(3):
                page = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=30)
            html.write_bytes(page.content)
            cached = servers.wrk(url, seconds)
            delays = edit_to_visible(nginx.url, edits)
        with servers.Nginx(html) as static:
            plain = servers.wrk(f"{static.url}/wiki/page", seconds)
    finally:
        shutil.rmtree(instance.parent, ignore_errors=True)
    ratio = cached.rps / plain.rps
    row(
        "view",
        "cached page view req/s through the shipped nginx vs nginx static",
        cached.rps,
        "req/s",
        base=plain.rps,
        base_name="nginx static",
        ratio=ratio,
        bar="≥ 0.5×",
        ok=ratio >= 0.5 and cached.errors == 0,
        extra=f"p50 {cached.p50_ms:.1f}/{plain.p50_ms:.1f} ms, "
        f"p99 {cached.p99_ms:.1f}/{plain.p99_ms:.1f} ms, {cached.errors} errors, {len(page.content):,} bytes",
    )
    worst = p95(delays)
    row(
        "view",
        f"edit visible through the cache, p95 of {edits}",
        worst * 1000,
        "ms",
        bar="≤ 1000 ms",
        ok=worst < 1.0,
        extra=f"median {sorted(delays)[len(delays) // 2] * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms",
    )


def _print_row(section: str, name: str, ours: float, unit: str, **kw) -> None:
    base = f" | {kw['base_name']}: {kw['base']:,.0f} (ratio {kw['ratio']:.2f})" if "base" in kw else ""
    verdict = "ok" if kw.get("ok") else "MISSED"
    print(f"  {name}: {ours:,.1f} {unit}{base} [bar {kw.get('bar')}: {verdict}] {kw.get('extra', '')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=15, help="wrk duration per target")
    ap.add_argument("--edits", type=int, default=20)
    args = ap.parse_args()
    bench(_print_row, args.seconds, args.edits)


if __name__ == "__main__":
    main()
