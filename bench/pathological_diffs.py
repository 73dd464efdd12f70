"""Worst-case times of diffs and merges on the inputs that used to take minutes (issue 16).

    .venv/bin/python bench/pathological_diffs.py

Each case is (old, new, theirs): the diff view compares old and new, the merge applies new and
theirs to old. The bar is 1 s for each. The tests (tests/unit/test_diffs.py and
tests/web/test_diff_view.py) use the same cases.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MIB = 1 << 20
# Under MediaWiki's $wgMaxArticleSize (2,048 KiB) so the cases can be saved as pages.
NEAR_2_MIB = 2 * MIB - 4096


def _repetitive_lines(rng: random.Random, size: int) -> str:
    """Lines from a tiny alphabet: many equal lines, the input that made difflib super-linear."""
    alphabet = ["", "*", "}}", "|-", "x", "{{a}}", "----"]
    out, total = [], 0
    while total < size:
        line = rng.choice(alphabet)
        out.append(line)
        total += len(line) + 1
    return "\n".join(out)


def _words(rng: random.Random, size: int, vocabulary: int = 8) -> list[str]:
    words = [f"w{i}" for i in range(vocabulary)]
    out, total = [], 0
    while total < size:
        word = rng.choice(words)
        out.append(word)
        total += len(word) + 1
    return out


def _scatter(rng: random.Random, words: list[str], changes: int) -> str:
    words = list(words)
    for _ in range(changes):
        words[rng.randrange(len(words))] = rng.choice(["zz", "w1", "w2", "yy"])
    return " ".join(words)


def _paragraphs(rng: random.Random, size: int) -> list[str]:
    out, total, n = [], 0, 0
    while total < size:
        text = f"Paragraph {n}: " + " ".join(f"t{rng.randrange(10**6)}" for _ in range(30))
        out.append(text)
        total += len(text) + 2
        n += 1
    return out


def cases() -> dict[str, tuple[str, str, str]]:
    rng = random.Random(16)
    small_old = _repetitive_lines(rng, 4500)
    line_80k = _words(rng, 80 * 1024)
    line_2m = _words(rng, NEAR_2_MIB - 64, vocabulary=4)
    repeated = ("spam and eggs\n" * ((NEAR_2_MIB - 64 * 1024) // 14)).rstrip("\n")
    paragraphs = _paragraphs(rng, NEAR_2_MIB // 4)
    shuffled = list(paragraphs)
    rng.shuffle(shuffled)
    reversed_ = list(reversed(paragraphs))
    return {
        "4-5 KiB of repetitive lines": (
            small_old,
            _repetitive_lines(rng, 4500),
            _repetitive_lines(rng, 4500),
        ),
        "80 KiB one-line edit": (
            " ".join(line_80k),
            _scatter(rng, line_80k, 300),
            _scatter(rng, line_80k, 300),
        ),
        "2 MiB of repeated lines": (
            repeated,
            repeated.replace("spam and eggs\nspam", "spam and eggs\neggs and spam", 5000),
            ("eggs and spam\n" * (NEAR_2_MIB // 14)).rstrip("\n"),
        ),
        "one 2 MiB line": (" ".join(line_2m), _scatter(rng, line_2m, 2000), _scatter(rng, line_2m, 2000)),
        "reordered paragraphs": ("\n\n".join(paragraphs), "\n\n".join(shuffled), "\n\n".join(reversed_)),
    }


# The bar, in CPU seconds of the thread that answers (what a request costs a worker); the wall
# clock may be longer only when the machine is oversubscribed, up to WALL_SLACK times the bar.
BAR_SECONDS = 1.0
WALL_SLACK = 5.0


class Timer:
    """CPU seconds of this thread and wall-clock seconds over a `with` block."""

    def __enter__(self) -> Timer:
        self._cpu, self._wall = time.thread_time(), time.perf_counter()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.cpu = time.thread_time() - self._cpu
        self.wall = time.perf_counter() - self._wall

    def within_bar(self) -> bool:
        return self.cpu < BAR_SECONDS and self.wall < BAR_SECONDS * WALL_SLACK

    def __str__(self) -> str:
        return f"{self.cpu:.2f} s CPU, {self.wall:.2f} s wall"


def measure() -> dict[str, tuple[Timer, Timer]]:
    """(diff, merge) timings of each case."""
    from wiki import diffs

    out = {}
    for name, (old, new, theirs) in cases().items():
        with Timer() as diff_time:
            diffs.diff_rows(old, new)
        with Timer() as merge_time:
            diffs.merge3(old, new, theirs)
        out[name] = (diff_time, merge_time)
    return out


def main() -> None:
    results = measure()
    print(f"{'case':30} {'diff wall':>10} {'diff cpu':>9} {'merge wall':>11} {'merge cpu':>10}")
    for name, (d, m) in results.items():
        print(f"{name:30} {d.wall:10.3f} {d.cpu:9.3f} {m.wall:11.3f} {m.cpu:10.3f}")
    worst = max(max(d.wall, m.wall) for d, m in results.values())
    print(f"worst case: {worst:.3f} s wall clock (bar: {BAR_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
