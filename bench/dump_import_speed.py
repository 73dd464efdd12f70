"""import-dump speed, search indexing included: pages/s by wall clock and by CPU time, peak memory.

    .venv/bin/python bench/dump_import_speed.py [--pages 2000] [--revisions 1] [--dump FILE]

CPU time is reported too because the wall clock of a loaded machine says little. BENCH_ROOT
points at another checkout to measure it with the same dump (e.g. the commit before a change).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(os.environ.get("BENCH_ROOT", Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from dump_import_scale import write_dump  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--revisions", type=int, default=1)
    p.add_argument("--dump")
    a = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="dump-speed-") as tmp:
        work = Path(tmp)
        dump = Path(a.dump) if a.dump else work / "bench.xml.bz2"
        if not a.dump:
            write_dump(dump, a.pages, a.revisions)
        inst = work / "inst"
        inst.mkdir()
        env = {
            **os.environ,
            "WIKI_INSTANCE_DIR": str(inst),
            "WIKI_INDEX_DIR": str(inst / "search"),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("WIKI_DATABASE_URL", None)
        flask = [sys.executable, "-m", "flask", "--app", "wiki"]
        subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.monotonic()
        r = subprocess.run(
            [*flask, "import-dump", "--quiet", str(dump)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        wall = time.monotonic() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(r.stdout.strip(), r.stderr.strip()[-500:])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        n = a.pages
        print(
            f"{n} pages: wall {wall:.1f} s = {n / wall:.0f} pages/s; "
            f"cpu {cpu:.1f} s = {n / cpu:.0f} pages/s; "
            f"peak RSS {after.ru_maxrss / 1024:.0f} MiB"
        )
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
