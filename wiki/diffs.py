"""Line and word diffs between revisions, and the three-way merge used on edit conflicts.

Every diff is bounded in time and memory whatever the input (issue 16): the alignment is
diff-match-patch's Myers bisection with a deadline, beyond which the unaligned rest is shown as one
changed block; word-level marks are computed per changed line pair only below a complexity limit
and within a time budget per diff (as MediaWiki's wikidiff2 does), otherwise the pair is shown as
whole changed lines. The three-way merge is the `merge3` package over the same bounded alignment,
so a merge that cannot be aligned in time becomes an explicit conflict.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

import merge3 as _merge3
from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]  # ships no types

_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.U)
CONTEXT_LINES = 2
# Seconds one line alignment may take before the rest is shown as one changed block.
LINE_TIMEOUT = 0.15
# Seconds all the word-level marks of one diff may take; later pairs are shown as whole lines.
WORD_BUDGET = 0.1
# wikidiff2's max_word_level_diff_complexity: word marks only when (old words) x (new words) is below.
MAX_WORD_COMPLEXITY = 40_000_000
# Word marks only for changed middles of at most this many characters (tokenising costs time too).
MAX_WORD_CHARS = 200_000
# Past this many units (lines or words) left after trimming, do not align at all (memory bound:
# the bisection keeps two integer arrays of this length).
MAX_UNITS = 400_000

Opcode = tuple[str, int, int, int, int]


@dataclass
class DiffRow:
    """One row of MediaWiki's two-column diff table."""

    kind: str  # "lineno" | "context" | "change" | "delete" | "add"
    left: str = ""  # HTML (escaped, with <del>/<ins> marks)
    right: str = ""
    left_no: int = 0
    right_no: int = 0


class _BoundedDMP(diff_match_patch):
    """diff-match-patch without its half-match shortcut, which costs O(n²) on periodic input
    (it scans every occurrence of a quarter of the text) and is not covered by the deadline."""

    def diff_halfMatch(self, text1, text2):  # noqa: N802 (the library's name)
        return None


def _encode(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    """Each distinct unit as one character (MAX_UNITS keeps them below chr's limit), so the
    character diff is the unit diff."""
    codes: dict[str, str] = {}

    def code(unit: str) -> str:
        found = codes.get(unit)
        if found is None:
            found = codes[unit] = chr(len(codes))
        return found

    return "".join(map(code, a)), "".join(map(code, b))


def _trim(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix (not overlapping it)."""
    lo = _common_length(a, b)
    return lo, _common_length(a[lo:], b[lo:], suffix=True)


def align(a: Sequence[str], b: Sequence[str], timeout: float = LINE_TIMEOUT) -> list[Opcode]:
    """difflib-style opcodes turning `a` into `b`, found within `timeout` seconds (coarser past it)."""
    lo, hi = _trim(a, b)
    n, m = len(a), len(b)
    mid_a, mid_b = a[lo : n - hi], b[lo : m - hi]
    if not mid_a or not mid_b or len(mid_a) + len(mid_b) > MAX_UNITS or timeout <= 0:
        return _coarse(a, b, lo, hi)
    encoded = _encode(mid_a, mid_b)
    ops: list[Opcode] = [("equal", 0, lo, 0, lo)] if lo else []
    dmp = _BoundedDMP()
    dmp.Diff_Timeout = timeout
    i, j = lo, lo
    for op, text in dmp.diff_main(encoded[0], encoded[1], checklines=False):
        size = len(text)
        if op == dmp.DIFF_EQUAL:
            _push(ops, "equal", i, i + size, j, j + size)
            i, j = i + size, j + size
        elif op == dmp.DIFF_DELETE:
            _push(ops, "delete", i, i + size, j, j)
            i += size
        else:
            _push(ops, "insert", i, i, j, j + size)
            j += size
    if hi:
        ops.append(("equal", n - hi, n, m - hi, m))
    return ops


def _push(ops: list[Opcode], kind: str, i1: int, i2: int, j1: int, j2: int) -> None:
    """Append an opcode; a deletion and an insertion side by side become one replacement."""
    if i1 == i2 and j1 == j2:
        return
    if ops and kind != "equal" and ops[-1][0] != "equal" and ops[-1][2] == i1 and ops[-1][4] == j1:
        _, p1, _p2, q1, _q2 = ops.pop()
        ops.append(("replace", p1, i2, q1, j2))
        return
    ops.append((kind, i1, i2, j1, j2))


def _grouped(ops: list[Opcode], n: int) -> list[list[Opcode]]:
    """Changes with `n` units of context around each, as difflib's get_grouped_opcodes."""
    if not any(op[0] != "equal" for op in ops):
        return []
    ops = list(ops)
    if ops[0][0] == "equal":
        _, i1, i2, j1, j2 = ops[0]
        ops[0] = ("equal", max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if ops[-1][0] == "equal":
        _, i1, i2, j1, j2 = ops[-1]
        ops[-1] = ("equal", i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i2 - i1 > 2 * n:
            group.append((tag, i1, min(i2, i1 + n), j1, min(j2, j1 + n)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


class _Budget:
    """The time left for word-level marks in one diff."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


def _word_marks(old: str, new: str, budget: _Budget) -> tuple[str, str]:
    if budget.left() <= 0:  # out of time: whole lines, at the cost of escaping them
        return (
            f'<del class="diffchange diffchange-inline">{html.escape(old)}</del>' if old else "",
            f'<ins class="diffchange diffchange-inline">{html.escape(new)}</ins>' if new else "",
        )
    # The equal ends are cut by characters first: tokenising a 2 MiB line costs more than the bar.
    lo, hi = _equal_ends(old, new)
    mid_old, mid_new = old[lo : len(old) - hi], new[lo : len(new) - hi]
    head, tail = html.escape(old[:lo]), html.escape(old[len(old) - hi :])
    pieces = [(mid_old, mid_new)]
    left_over = budget.left()
    if len(mid_old) + len(mid_new) <= MAX_WORD_CHARS and left_over > 0:
        a, b = _WORDS.findall(mid_old), _WORDS.findall(mid_new)
        # Beyond the complexity limit the changed middle is one block, as wikidiff2 shows it.
        if len(a) * len(b) <= MAX_WORD_COMPLEXITY:
            pieces = [
                ("".join(a[i1:i2]), "".join(b[j1:j2])) for _op, i1, i2, j1, j2 in align(a, b, left_over)
            ]
    left, right = [head], [head]
    for old_part, new_part in pieces:
        if old_part == new_part:
            left.append(html.escape(old_part))
            right.append(html.escape(new_part))
            continue
        if old_part:
            left.append(f'<del class="diffchange diffchange-inline">{html.escape(old_part)}</del>')
        if new_part:
            right.append(f'<ins class="diffchange diffchange-inline">{html.escape(new_part)}</ins>')
    left.append(tail)
    right.append(tail)
    return "".join(left), "".join(right)


def _common_length(a: Sequence[str], b: Sequence[str], *, suffix: bool = False) -> int:
    """Length of the common prefix (or suffix), by halving: C-speed slice compares, O(n log n)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        same = a[len(a) - mid :] == b[len(b) - mid :] if suffix else a[:mid] == b[:mid]
        lo, hi = (mid, hi) if same else (lo, mid - 1)
    return lo


def _joined(first: str, second: str) -> bool:
    """Whether two adjacent characters belong to one token (a word, or a run of spaces)."""
    kind = 0 if first.isspace() else (1 if first.isalnum() or first == "_" else 2)
    return kind != 2 and kind == (0 if second.isspace() else (1 if second.isalnum() or second == "_" else 2))


def _equal_ends(old: str, new: str) -> tuple[int, int]:
    """Common prefix and suffix lengths, moved back to word boundaries (by at most 64 characters:
    a longer "word" is cut where it differs)."""
    lo = _common_length(old, new)
    for _ in range(64):
        if lo == 0 or not any(lo < len(t) and _joined(t[lo - 1], t[lo]) for t in (old, new)):
            break
        lo -= 1
    hi = _common_length(old[lo:], new[lo:], suffix=True)
    for _ in range(64):
        if hi == 0 or not any(len(t) - hi > lo and _joined(t[-hi - 1], t[-hi]) for t in (old, new)):
            break
        hi -= 1
    return lo, hi


def _coarse(a: Sequence[str], b: Sequence[str], lo: int, hi: int) -> list[Opcode]:
    """Common prefix and suffix kept, the middle marked as one change."""
    ops: list[Opcode] = []
    n, m = len(a), len(b)
    if lo:
        ops.append(("equal", 0, lo, 0, lo))
    _push(ops, "delete", lo, n - hi, lo, lo)
    _push(ops, "insert", n - hi, n - hi, lo, m - hi)
    if hi:
        ops.append(("equal", n - hi, n, m - hi, m))
    return ops


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """Rows for a side-by-side diff: changed lines with word marks, two lines of context."""
    a, b = old_text.split("\n"), new_text.split("\n")
    budget = _Budget(WORD_BUDGET)
    rows: list[DiffRow] = []
    for group in _grouped(align(a, b), CONTEXT_LINES):
        first = group[0]
        rows.append(DiffRow("lineno", left_no=first[1] + 1, right_no=first[3] + 1))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend(
                    DiffRow("context", html.escape(line), html.escape(line), i + 1, j + 1)
                    for i, j, line in zip(range(i1, i2), range(j1, j2), a[i1:i2], strict=True)
                )
            elif op == "replace":
                rows.extend(_replace_rows(a[i1:i2], b[j1:j2], i1, j1, budget))
            elif op == "delete":
                rows.extend(DiffRow("delete", html.escape(a[i]), left_no=i + 1) for i in range(i1, i2))
            else:
                rows.extend(DiffRow("add", right=html.escape(b[j]), right_no=j + 1) for j in range(j1, j2))
    return rows


def _replace_rows(old: list[str], new: list[str], i0: int, j0: int, budget: _Budget) -> list[DiffRow]:
    rows = []
    for k in range(max(len(old), len(new))):
        if k < len(old) and k < len(new):
            left, right = _word_marks(old[k], new[k], budget)
            rows.append(DiffRow("change", left, right, i0 + k + 1, j0 + k + 1))
        elif k < len(old):
            rows.append(DiffRow("delete", html.escape(old[k]), left_no=i0 + k + 1))
        else:
            rows.append(DiffRow("add", right=html.escape(new[k]), right_no=j0 + k + 1))
    return rows


class _Matcher:
    """The sequence-matcher interface `merge3` asks for, over the bounded alignment."""

    def __init__(self, _isjunk: object, a: Sequence[str], b: Sequence[str]) -> None:
        self.a, self.b = a, b

    def get_matching_blocks(self) -> list[tuple[int, int, int]]:
        blocks = [(i1, j1, i2 - i1) for op, i1, i2, j1, _j2 in align(self.a, self.b) if op == "equal"]
        return [*blocks, (len(self.a), len(self.b), 0)]


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """Apply both sides' changes to `base`; None when they touch the same lines differently."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    b, x, y = base.split("\n"), mine.split("\n"), theirs.split("\n")
    out: list[str] = []
    for region in _merge3.Merge3(b, x, y, sequence_matcher=_Matcher).merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out.extend(b[region[1] : region[2]])
        elif kind in ("same", "a"):
            out.extend(x[region[1] : region[2]])
        elif kind == "b":
            out.extend(y[region[1] : region[2]])
        else:
            return None
    return "\n".join(out)


_MINUS = '<td class="diff-marker" data-marker="−">−</td><td class="diff-deletedline"><div>'
_PLUS = '<td class="diff-marker" data-marker="+">+</td><td class="diff-addedline"><div>'
_EMPTY = '<td colspan="2" class="diff-empty"></td>'


def table_rows_html(rows: list[DiffRow]) -> str:
    """The <tr> rows of MediaWiki's diff table; built here rather than in a template loop, which
    cost a third of a 2 MiB diff's time. The cells are HTML already escaped here."""
    out = []
    for row in rows:
        if row.kind == "lineno":
            out.append(
                f'<tr><td colspan="2" class="diff-lineno">Line {row.left_no}:</td>'
                f'<td colspan="2" class="diff-lineno">Line {row.right_no}:</td></tr>'
            )
        elif row.kind == "context":
            out.append(
                f'<tr><td class="diff-marker"></td><td class="diff-context"><div>{row.left}</div></td>'
                f'<td class="diff-marker"></td><td class="diff-context"><div>{row.right}</div></td></tr>'
            )
        elif row.kind == "change":
            out.append(f"<tr>{_MINUS}{row.left}</div></td>{_PLUS}{row.right}</div></td></tr>")
        elif row.kind == "delete":
            out.append(f"<tr>{_MINUS}{row.left}</div></td>{_EMPTY}</tr>")
        else:
            out.append(f"<tr>{_EMPTY}{_PLUS}{row.right}</div></td></tr>")
    return "\n".join(out)
