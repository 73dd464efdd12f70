"""The compare endpoint's JSON: sections of both texts and wikidiff2's inline JSON diff.

Line types as wikidiff2's: 0 context, 1 added, 2 deleted, 3 changed (with highlightRanges whose
type is 0 for inserted and 1 for deleted bytes). Offsets and ranges count UTF-8 bytes.
"""

from __future__ import annotations

import re
from typing import Any

from wiki import diffs

_HEADING = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1[ \t]*$", re.M)
_WORDS = re.compile(r"\w+|\s+|[^\w\s]", re.U)
MAX_WORD_LINE_BYTES = 10_000  # longer changed lines are shown as deleted and added, not word-marked


def sections(text: str) -> list[dict[str, Any]]:
    out = []
    for match in _HEADING.finditer(text):
        offset = len(text[: match.start()].encode("utf-8"))
        out.append({"level": len(match.group(1)), "heading": match.group(0).rstrip(), "offset": offset})
    return out


def _offsets(lines: list[str]) -> list[int]:
    """Byte offset of the start of each line."""
    out, at = [], 0
    for line in lines:
        out.append(at)
        at += len(line.encode("utf-8")) + 1
    return out


def _changed(old: str, new: str, line_no: int, off_from: int, off_to: int) -> dict[str, Any]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    text, ranges, at = [], [], 0
    for tag, i1, i2, j1, j2 in diffs.align(a, b):
        if tag == "equal":
            chunk = "".join(a[i1:i2])
            text.append(chunk)
            at += len(chunk.encode("utf-8"))
            continue
        for kind, chunk in ((1, "".join(a[i1:i2])), (0, "".join(b[j1:j2]))):
            if chunk:
                size = len(chunk.encode("utf-8"))
                ranges.append({"start": at, "length": size, "type": kind})
                text.append(chunk)
                at += size
    return {
        "type": 3,
        "lineNumber": line_no,
        "text": "".join(text),
        "offset": {"from": off_from, "to": off_to},
        "highlightRanges": ranges,
    }


def diff(old_text: str, new_text: str) -> list[dict[str, Any]]:
    old, new = old_text.split("\n"), new_text.split("\n")
    old_at, new_at = _offsets(old), _offsets(new)
    out: list[dict[str, Any]] = []
    if old_text == new_text:
        return out

    def added(j: int) -> None:
        out.append(
            {"type": 1, "lineNumber": j + 1, "text": new[j], "offset": {"from": None, "to": new_at[j]}}
        )

    def deleted(i: int) -> None:
        out.append({"type": 2, "text": old[i], "offset": {"from": old_at[i], "to": None}})

    for tag, i1, i2, j1, j2 in diffs.align(old, new):
        if tag == "equal":
            for k in range(i2 - i1):
                i, j = i1 + k, j1 + k
                entry = {"type": 0, "lineNumber": j + 1, "text": new[j]}
                out.append(entry | {"offset": {"from": old_at[i], "to": new_at[j]}})
        elif tag == "delete":
            for i in range(i1, i2):
                deleted(i)
        elif tag == "insert":
            for j in range(j1, j2):
                added(j)
        else:
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                i, j = i1 + k, j1 + k
                if len(old[i]) + len(new[j]) > MAX_WORD_LINE_BYTES:
                    deleted(i)
                    added(j)
                else:
                    out.append(_changed(old[i], new[j], j + 1, old_at[i], new_at[j]))
            for i in range(i1 + pairs, i2):
                deleted(i)
            for j in range(j1 + pairs, j2):
                added(j)
    return _near_changes(out)


def _near_changes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Context lines only within CONTEXT_LINES of a change, as wikidiff2 keeps them."""
    changed = [k for k, e in enumerate(entries) if e["type"] != 0]
    keep: set[int] = set()
    for k in changed:
        keep.update(range(k - diffs.CONTEXT_LINES, k + diffs.CONTEXT_LINES + 1))
    return [e for k, e in enumerate(entries) if k in keep]
