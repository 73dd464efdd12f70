"""Render benchmark: generated ~5 KB, 50 KB and 300 KB pages, and every seed page.

Prints milliseconds per page (best of several runs). MediaWiki 1.39 takes about 10, 75 and
452 ms on the generated sizes; the bar is a third of that, in CPU time. Run: python bench/render_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conformance.adapter import context  # noqa: E402
from wiki.markup import render  # noqa: E402

TEMPLATES = {
    "Template:Infobox": '{| class="infobox"\n|-\n! {{{title|Untitled}}}\n|-\n| {{{body}}}\n|}',
    "Template:Cite": "''{{{1}}}'' ({{{year|n.d.}}})",
}


def section(i: int) -> str:
    return f"""== Section {i} ==
Intro paragraph with '''bold''', ''italic'' and a [[Page {i}|link]]s, plus [[Other page]].
See also [http://example.org/{i} an external link] and http://example.com/bare/{i}.
* Item one with [[Linked item]]
** Nested item with {{{{Cite|Source {i}|year=2023}}}}
*** Deeper item
**** Deepest item with ''emphasis''
* Item two
# First
# Second
#: continuation
; Term : definition
{{{{Infobox|title=Box {i}|body=Cell text}}}}
{{| class="wikitable"
|-
! Header A !! Header B
|-
| cell 1 || cell 2
|-
| [[Table link]] || '''bold cell'''
|}}
----
"""


def page(size: int) -> str:
    parts, i, total = [], 0, 0
    while total < size:
        chunk = section(i)
        parts.append(chunk)
        total += len(chunk)
        i += 1
    return "".join(parts)


def best_ms(text: str, runs: int) -> tuple[float, float]:
    """Best wall-clock and best CPU milliseconds (CPU time is steadier on a busy machine)."""
    ctx = context("Bench page", TEMPLATES)
    wall = cpu = float("inf")
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render(text, ctx)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall * 1000, cpu * 1000


def main() -> None:
    targets = {"5KB": (5_000, 10.0, 30), "50KB": (50_000, 75.0, 10), "300KB": (300_000, 452.0, 6)}
    print(f"{'page':40s} {'bytes':>8s} {'ms':>8s} {'cpu ms':>8s} {'MW ms':>7s} {'bar':>6s}")
    for name, (size, mw, runs) in targets.items():
        text = page(size)
        ms, cpu = best_ms(text, runs)
        ok = "ok" if cpu <= mw / 3 else "SLOW"  # CPU time: wall time on a loaded machine says little
        print(f"{'generated ' + name:40s} {len(text):8d} {ms:8.1f} {cpu:8.1f} {mw:7.0f} {ok:>6s}")
    for path in sorted((ROOT / "wiki" / "content").glob("*.wiki")):
        text = path.read_text(encoding="utf-8")
        ms, cpu = best_ms(text, 5)
        print(f"{path.stem[:40]:40s} {len(text):8d} {ms:8.1f} {cpu:8.1f}")


if __name__ == "__main__":
    main()
