"""What a user typed -> a query string every backend can parse without surprises.

Readers type anything: stray quotes and brackets, lone operators, control characters, pasted
paragraphs. `clean` keeps the sensible reading (words, "phrases", -excluded, OR, prefix*,
intitle:) and drops what would fail (a lone `*`, unknown field prefixes) or reads it as words
(`a*` and `ab*` are the words themselves, a mid-word wildcard splits the word). What would be
slow whatever the index holds is refused with a message naming the limit (wiki.search.limits):
too long a query, too many words or prefixes, and a word that starts with a wildcard (`*a*`
would have to test every term of the index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wiki.search.base import BadQuery, QueryRefused
from wiki.search.limits import (
    MAX_PREFIXES,
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MIN_PREFIX_CHARS,
    too_long,
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]+")
_FIELD = re.compile(r"(?<![\w\"])(\w+):")
_WILDCARDS = re.compile(r"[*?]{2,}")
_LEADING_WILDCARD = re.compile(r"(?<![\w*?])[*?](?=\w)")
# a star after fewer than MIN_PREFIX_CHARS letters (or after no word at all)
_SHORT_PREFIX = re.compile(rf"(?<![\w*])(\w{{0,{MIN_PREFIX_CHARS - 1}}})\*(?!\w)")
_PREFIX = re.compile(r"\w\*")
_TERM = re.compile(r"[^\s\"()]+")
_MID_WILDCARD = re.compile(r"\*(?=[^\s\")])|\?")  # a star ends a word or is no wildcard
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
    check_length(shown)
    text = _WILDCARDS.sub(lambda m: "*" if "*" in m.group() else "?", shown)
    if _LEADING_WILDCARD.search(text):
        raise QueryRefused(
            "A search word cannot start with a wildcard (as in *a* or *tion): type the first "
            f"letters of the word, at least {MIN_PREFIX_CHARS}, then *, as in histor*."
        )
    text = _balance_quotes(text)
    text = _balance_brackets(text)
    text = _FIELD.sub(_field, text)
    text = _SHORT_PREFIX.sub(lambda m: m.group(1), text)
    text = _MID_WILDCARD.sub(" ", text)
    text = _LONE.sub(" ", text)
    text = _drop_stray_operators(text)
    if not re.search(r"\w", text):
        raise BadQuery("Type one or more words to search for.")
    _check_size(text)
    note = None
    if text.replace(" ", "") != shown.replace(" ", ""):
        note = f"Showing results for {text}: some characters of the query have no meaning in search."
    return CleanQuery(text=text, shown=shown, note=note)


def check_length(text: str) -> None:
    """Refuse a query longer than MAX_QUERY_CHARS (MediaWiki's cirrussearch-query-too-long)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(too_long(len(text)), "cirrussearch-query-too-long")


def check_terms(terms: list[str]) -> None:
    """Refuse more than MAX_QUERY_TERMS words: each one is a posting list (or a scan) to merge."""
    if len(terms) > MAX_QUERY_TERMS:
        raise QueryRefused(
            f"The query has {len(terms)} words; a search can look for at most {MAX_QUERY_TERMS}.",
            "cirrussearch-query-too-long",
        )


def _check_size(text: str) -> None:
    """Refuse more words or prefixes than a search may look up (wiki.search.limits)."""
    check_terms([t for t in _TERM.findall(text) if t not in _OPS and re.search(r"\w", t)])
    prefixes = len(_PREFIX.findall(text))
    if prefixes > MAX_PREFIXES:
        raise QueryRefused(
            f"The query has {prefixes} words ending in *; a search can expand at most {MAX_PREFIXES}."
        )
