"""The real MediaWiki 1.39 as a baseline: started from ../shared/tools/mediawiki/ when it is there.

setup.sh installs it from Debian's packages (once; we wait if another process is running it),
start.sh serves it on 127.0.0.1:8080. Pages are loaded with ptserver.php --load, and its
JSON-lines mode parses wikitext in one long-lived PHP process: MediaWiki's in-process parse time.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT.parent / "shared" / "tools" / "mediawiki"
ANCHOR = Path(os.environ.get("ANCHOR_DIR", "/var/tmp/wiki-anchors"))
URL = "http://127.0.0.1:8080"
ADMIN, ADMIN_PASSWORD = "Admin", "AnchorAdmin-2024!"  # the local lab's account (setup.sh)


def _setup_running() -> bool:
    return subprocess.run(["pgrep", "-f", "mediawiki/setup.sh"], capture_output=True).returncode == 0


def start() -> str | None:
    """Bring MediaWiki up; None when it cannot be (with the reason printed)."""
    if not (TOOLS / "setup.sh").exists():
        print("MediaWiki baseline skipped: ../shared/tools/mediawiki is absent")
        return None
    if os.geteuid() != 0:
        print("MediaWiki baseline skipped: setup.sh and start.sh need root")
        return None
    for _ in range(120):
        if not _setup_running():
            break
        time.sleep(5)
    if not (ANCHOR / "mw-run" / "nginx.conf").exists():
        subprocess.run(["bash", str(TOOLS / "setup.sh")], check=True, capture_output=True)
    subprocess.run(["bash", str(TOOLS / "start.sh")], check=True, capture_output=True)
    return URL


def load_pages(pages: list[tuple[str, str]]) -> None:
    """Create or update these pages in MediaWiki's main wiki (a null edit when unchanged)."""
    folder = ANCHOR / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "perf_pages.json"
    path.write_text(json.dumps([{"title": t, "text": x} for t, x in pages], ensure_ascii=False))
    subprocess.run(["chown", "-R", "www-data", str(folder)], check=True)
    cmd = ["runuser", "-u", "www-data", "--", "php", str(TOOLS / "ptserver.php"), "--load", str(path)]
    subprocess.run(cmd, check=True, capture_output=True)


def warm(url: str) -> None:
    for _ in range(3):
        requests.get(url, timeout=60)


class Parser:
    """MediaWiki's parser in one PHP process (the main wiki's settings, so templates resolve)."""

    def __enter__(self) -> Parser:
        cmd = ["runuser", "-u", "www-data", "--", "php", str(TOOLS / "ptserver.php")]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1
        )
        self.parse("warm [[up]] {{Cite|x}}")
        found = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout.split()
        self.php_pid = int(found[0]) if found else self.proc.pid  # runuser forks php
        return self

    def cpu_ns(self) -> int:
        """CPU time the PHP process has used so far (schedstat: nanoseconds, unlike /proc/stat ticks)."""
        with open(f"/proc/{self.php_pid}/schedstat") as fh:
            return int(fh.read().split()[0])

    def parse(self, text: str, title: str = "Bench page") -> str:
        self.proc.stdin.write(json.dumps({"wikitext": text, "title": title}, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("MediaWiki's ptserver.php died")
        return json.loads(line).get("html", "")

    def best_ms(self, text: str, runs: int, title: str = "Bench page") -> tuple[float, float]:
        """Best wall-clock and best CPU milliseconds of MediaWiki's parse of `text`."""
        wall = cpu = float("inf")
        for _ in range(runs):
            start, start_cpu = time.perf_counter(), self.cpu_ns()
            self.parse(text, title)
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, (self.cpu_ns() - start_cpu) / 1e9)
        return wall * 1000, cpu * 1000

    def __exit__(self, *_exc) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)
