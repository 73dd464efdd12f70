"""Pathological renders: the inputs of issue 16 that cost 5-30 s of CPU before the render limits.

Prints, per input, the CPU and wall time of one render, the HTML size and which limit stopped it
(the bar: each under 2 s). Run: python bench/pathological_render.py [--no-time-limit]
With --no-time-limit only the deterministic limits (output size, per-function) bound the work.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conformance.adapter import context  # noqa: E402
from tests.unit.markup_cases import PATHOLOGICAL, PATHOLOGICAL_TEMPLATES  # noqa: E402
from wiki.markup import render  # noqa: E402


def measure(no_limit: bool = False) -> list[dict]:
    """One render of each input: bytes in, HTML out, CPU and wall seconds, what stopped it."""
    out = []
    for name, text in PATHOLOGICAL.items():
        ctx = context(articles=PATHOLOGICAL_TEMPLATES)
        if no_limit:
            ctx.time_limit = None
        cpu, wall = time.process_time(), time.perf_counter()
        rendered = render(text, ctx)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        stopped = rendered.limit_error or ", ".join(c for c, _ in rendered.categories) or "-"
        out.append(
            {"name": name, "bytes": len(text), "html": len(rendered.html), "cpu": cpu, "wall": wall,
             "stopped": stopped}
        )  # fmt: skip
    return out


def main() -> None:
    results = measure("--no-time-limit" in sys.argv)
    print(f"{'input':36} {'bytes in':>10} {'HTML out':>10} {'CPU s':>7} {'wall s':>7}  stopped by")
    for r in results:
        sizes = f"{r['bytes']:>10,} {r['html']:>10,}"
        print(f"{r['name']:36} {sizes} {r['cpu']:>7.2f} {r['wall']:>7.2f}  {r['stopped']}")
    print(f"worst wall time {max(r['wall'] for r in results):.2f} s (bar: 2 s)")


if __name__ == "__main__":
    main()
