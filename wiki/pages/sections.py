"""Sections of wikitext as MediaWiki numbers them: 0 is the lead, then one per heading line.

The edit paths (the browser's `section=` and the API's) share these functions. The wikitext tree
(mwparserfromhell) tells what is not wikitext (comments, <nowiki>, <pre> and the other raw-content
tags): a heading line there does not count. What is a heading is MediaWiki's line rule.
"""

from __future__ import annotations

import re

from wiki.markup.escape import escape_id
from wiki.markup.preprocessor.textfunctions import section_name
from wiki.pages import wikitree

HEADING = re.compile(r"^(={1,6})(.+?)\1[ \t]*$")
# Tags whose content is never parsed for headings (MediaWiki's preprocessor strips them first).
_VERBATIM_TAGS = frozenset("nowiki pre syntaxhighlight source math".split())


def _masked(text: str) -> str:
    """`text` with comments and verbatim tags blanked (offsets and newlines kept)."""
    found = wikitree.spans(text, _VERBATIM_TAGS)
    if not found:
        return text
    out, pos = [], 0
    for start, end in found:
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def spans(text: str) -> list[tuple[int, int, int]]:
    """(level, start, end) of each section, section 0 (level 0) first."""
    masked = _masked(text)
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


def count(text: str) -> int:
    """How many sections `text` has (the lead included)."""
    return len(spans(text))


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


def heading_of(section_text: str) -> str | None:
    """The heading text of a section (None for the lead): what `/* ... */` summaries name."""
    first = section_text.split("\n", 1)[0]
    match = HEADING.match(first)
    if match is None:
        return None
    return section_name(match.group(2).strip())


def anchor(heading: str) -> str:
    """The fragment a heading's section has on the page (legacy mode, as the renderer writes it)."""
    return escape_id(section_name(heading))


def new_section_summary(heading: str) -> str:
    """The summary MediaWiki gives a new section without one."""
    return f"/* {section_name(heading)} */ new section"


class NoSuchSection(LookupError):
    """The section asked for is not in the text (MediaWiki's `nosuchsection`)."""


def parse_section(raw: str | None) -> int | str | None:
    """`section=`: None (whole page), "new", or a number; ValueError for anything else."""
    if raw is None or raw == "":
        return None
    if raw == "new":
        return "new"
    # "T-2": section 2 of a transcluded page, as the edit links of its headings say (their title is
    # that page's)
    number = raw[2:] if raw.startswith("T-") else raw
    if number.isdigit() and len(number) <= 6:
        return int(number)
    raise ValueError(raw)


def edited(current: str, section: int | str | None, new: str, heading: str = "") -> str:
    """The whole page after `new` replaces `section` of `current` (or is added, "new")."""
    if section is None:
        return new
    if section == "new":
        return append_new(current, heading, new)
    assert isinstance(section, int)
    out = replace(current, section, new)
    if out is None:
        raise NoSuchSection(section)
    return out
