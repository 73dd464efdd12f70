"""What a user typed -> a query string every backend can parse without surprises.

Readers type anything: stray quotes and brackets, lone operators, control characters, pasted
paragraphs. `clean` keeps the sensible reading (words, "phrases", -excluded, OR, prefix*,
intitle:) and drops what would fail or be pathologically slow (a lone `*`, `a*` expanding to
half the lexicon, mid-word wildcards, unknown field prefixes). Too long a query is refused with
a message naming the limit, as MediaWiki does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiki.search.base import BadQuery

MAX_QUERY_CHARS = 300
MIN_PREFIX_CHARS = 3

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]+")
_FIELD = re.compile(r"(?<![\w\"])(\w+):")
_SHORT_PREFIX = re.compile(r"(?<![\w*])(\w{0,2})\*")  # fewer than MIN_PREFIX_CHARS before the star
_MID_WILDCARD = re.compile(r"[*?](?=\w)|\?")
_LONE = re.compile(r"(?<!\S)[-*+~^]+(?!\S)")
_OPS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class CleanQuery:
    text: str  # what the backend parses
    shown: str  # what the user typed, tidied, for "results for ..." and the search box
    note: str | None = None  # what was ignored, when something was


def _balance_quotes(text: str) -> str:
    if text.count('"') % 2:
        index = text.rfind('"')
        text = text[:index] + " " + text[index + 1 :]
    return text


def _balance_brackets(text: str) -> str:
    out, depth = [], 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                out.append(" ")
                continue
            depth -= 1
        out.append(ch)
    text = "".join(out)
    for _ in range(depth):  # unclosed: drop the last unmatched opening brackets
        index = text.rfind("(")
        text = text[:index] + " " + text[index + 1 :]
    return text.replace("()", " ")


def _drop_stray_operators(text: str) -> str:
    words = text.split()
    out: list[str] = []
    for word in words:
        if word in _OPS and (not out or out[-1] in _OPS):
            continue
        out.append(word)
    while out and out[-1] in _OPS:
        out.pop()
    return " ".join(out)


def _field(match: re.Match[str]) -> str:
    return "intitle:" if match.group(1).lower() == "intitle" else match.group(1) + " "


def clean(raw: str) -> CleanQuery:
    """The query to run for `raw`; raises BadQuery when there is nothing sensible to run."""
    shown = " ".join(_CONTROL.sub(" ", raw or "").split())
    if len(shown) > MAX_QUERY_CHARS:
        raise BadQuery(
            f"The search query is {len(shown):,} characters long; the limit is {MAX_QUERY_CHARS} characters."
        )
    text = _balance_quotes(shown)
    text = _balance_brackets(text)
    text = _FIELD.sub(_field, text)
    text = _SHORT_PREFIX.sub(lambda m: m.group(1), text)
    text = _MID_WILDCARD.sub(" ", text)
    text = _LONE.sub(" ", text)
    text = _drop_stray_operators(text)
    if not re.search(r"\w", text):
        raise BadQuery("Type one or more words to search for.")
    note = None
    if text.replace(" ", "") != shown.replace(" ", ""):
        note = f"Showing results for {text}: some characters of the query have no meaning in search."
    return CleanQuery(text=text, shown=shown, note=note)
