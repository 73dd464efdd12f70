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


def measure() -> dict[str, tuple[float, float]]:
    from wiki import diffs

    out = {}
    for name, (old, new, theirs) in cases().items():
        start = time.perf_counter()
        diffs.diff_rows(old, new)
        diff_s = time.perf_counter() - start
        start = time.perf_counter()
        diffs.merge3(old, new, theirs)
        merge_s = time.perf_counter() - start
        out[name] = (diff_s, merge_s)
    return out


def main() -> None:
    results = measure()
    print(f"{'case':32} {'diff s':>8} {'merge s':>8}")
    for name, (diff_s, merge_s) in results.items():
        print(f"{name:32} {diff_s:8.3f} {merge_s:8.3f}")
    worst = max(max(pair) for pair in results.values())
    print(f"worst case: {worst:.3f} s (bar: 1 s)")


if __name__ == "__main__":
    main()
