"""Line and word diffs between revisions, and the three-way merge used on edit conflicts."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.U)
CONTEXT_LINES = 2


@dataclass
class DiffRow:
    """One row of MediaWiki's two-column diff table."""

    kind: str  # "lineno" | "context" | "change" | "delete" | "add"
    left: str = ""  # HTML (escaped, with <del>/<ins> marks)
    right: str = ""
    left_no: int = 0
    right_no: int = 0


def _word_marks(old: str, new: str) -> tuple[str, str]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f'<del class="diffchange diffchange-inline">{old_part}</del>')
        if new_part:
            right.append(f'<ins class="diffchange diffchange-inline">{new_part}</ins>')
    return "".join(left), "".join(right)


def diff_rows(old_text: str, new_text: str) -> list[DiffRow]:
    """Rows for a side-by-side diff: changed lines with word marks, two lines of context."""
    a, b = old_text.split("\n"), new_text.split("\n")
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first = group[0]
        rows.append(DiffRow("lineno", left_no=first[1] + 1, right_no=first[3] + 1))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend(
                    DiffRow("context", html.escape(line), html.escape(line), i + 1, j + 1)
                    for i, j, line in zip(range(i1, i2), range(j1, j2), a[i1:i2], strict=True)
                )
            elif op == "replace":
                rows.extend(_replace_rows(a[i1:i2], b[j1:j2], i1, j1))
            elif op == "delete":
                rows.extend(DiffRow("delete", html.escape(a[i]), left_no=i + 1) for i in range(i1, i2))
            else:
                rows.extend(DiffRow("add", right=html.escape(b[j]), right_no=j + 1) for j in range(j1, j2))
    return rows


def _replace_rows(old: list[str], new: list[str], i0: int, j0: int) -> list[DiffRow]:
    rows = []
    for k in range(max(len(old), len(new))):
        if k < len(old) and k < len(new):
            left, right = _word_marks(old[k], new[k])
            rows.append(DiffRow("change", left, right, i0 + k + 1, j0 + k + 1))
        elif k < len(old):
            rows.append(DiffRow("delete", html.escape(old[k]), left_no=i0 + k + 1))
        else:
            rows.append(DiffRow("add", right=html.escape(new[k]), right_no=j0 + k + 1))
    return rows


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _overlap(h1: tuple[int, int, list[str]], h2: tuple[int, int, list[str]]) -> bool:
    (a1, b1, _), (a2, b2, _) = h1, h2
    if max(a1, a2) < min(b1, b2):
        return True
    # An insertion touching the other change (or at the same point) is ambiguous.
    return (a1 == b1 and a2 <= a1 <= b2) or (a2 == b2 and a1 <= a2 <= b1)


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """Apply both sides' changes to `base`; None when they touch the same lines differently."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    b = base.split("\n")
    hunks = [(h, 0) for h in _hunks(b, mine.split("\n"))] + [(h, 1) for h in _hunks(b, theirs.split("\n"))]
    hunks.sort(key=lambda item: (item[0][0], item[0][1]))
    applied: list[tuple[int, int, list[str]]] = []
    for hunk, _side in hunks:
        if applied and _overlap(applied[-1], hunk):
            if applied[-1] == hunk:
                continue  # both sides made the same change
            return None
        applied.append(hunk)
    out: list[str] = []
    pos = 0
    for start, end, lines in applied:
        out.extend(b[pos:start])
        out.extend(lines)
        pos = end
    out.extend(b[pos:])
    return "\n".join(out)
