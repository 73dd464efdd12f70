"""Sections of wikitext as MediaWiki numbers them: 0 is the lead, then one per heading."""

from __future__ import annotations

import re

HEADING = re.compile(r"^(={1,6})(.+?)\1[ \t]*$")
_COMMENT = re.compile(r"<!--.*?(-->|\Z)", re.S)
_VERBATIM = re.compile(r"<(nowiki|pre|syntaxhighlight|source|math)\b[^>]*>.*?(</\1\s*>|\Z)", re.S | re.I)


def _blank(match: re.Match) -> str:
    """Keep offsets and newlines, hide the content (headings there do not count)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def spans(text: str) -> list[tuple[int, int, int]]:
    """(level, start, end) of each section, section 0 (level 0) first."""
    masked = _VERBATIM.sub(_blank, _COMMENT.sub(_blank, text))
    heads: list[tuple[int, int]] = []
    pos = 0
    for line in masked.split("\n"):
        match = HEADING.match(line)
        if match:
            heads.append((len(match.group(1)), pos))
        pos += len(line) + 1
    out = [(0, 0, heads[0][1] if heads else len(text))]
    for i, (level, start) in enumerate(heads):
        end = len(text)
        for later_level, later_start in heads[i + 1 :]:
            if later_level <= level:
                end = later_start
                break
        out.append((level, start, end))
    return out


def get(text: str, number: int) -> str | None:
    """The text of section `number` (with its heading and subsections), or None."""
    found = spans(text)
    if number < 0 or number >= len(found):
        return None
    _level, start, end = found[number]
    return text[start:end].rstrip("\n")


def replace(text: str, number: int, new: str) -> str | None:
    """`text` with section `number` replaced by `new`, or None when there is no such section."""
    found = spans(text)
    if number < 0 or number >= len(found):
        return None
    _level, start, end = found[number]
    before, after = text[:start], text[end:]
    new = new.strip("\n")
    if after:
        new += "\n\n"
    return before + new + after


def append_new(text: str, heading: str, body: str) -> str:
    """A new section at the end (section=new)."""
    block = f"== {heading} ==\n\n{body}" if heading else body
    return f"{text.rstrip()}\n\n{block}" if text.strip() else block
