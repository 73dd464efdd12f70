"""Snippets: a few short passages of a page's text with the matched words highlighted.

Analysing a whole page to find its matches costs milliseconds per hit at real page sizes, so
candidates are found with one regular expression over the text (a stem is a prefix of the
words it came from, nearly always), and only candidate words are run through the analyser to
confirm they match. The output is HTML: text escaped, matches in <span class="searchmatch">.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

WINDOW_BEFORE = 60
WINDOW_AFTER = 160
MAX_FRAGMENTS = 2
FALLBACK_CHARS = 220

Stem = Callable[[str], str]


class Highlighter:
    """Finds the words of `text` whose stem is one of `terms` (or starts with one of `prefixes`)."""

    def __init__(self, terms: Iterable[str], prefixes: Iterable[str], stem: Stem):
        self.terms = {t.lower() for t in terms if t}
        self.prefixes = tuple(p.lower() for p in prefixes if p)
        self.stem = stem
        starts = sorted({t[:4] for t in self.terms} | set(self.prefixes), key=len, reverse=True)
        self.pattern = (
            re.compile(r"\b(?:" + "|".join(re.escape(s) for s in starts) + r")\w*", re.I) if starts else None
        )

    def _matches(self, word: str) -> bool:
        low = word.lower()
        if self.prefixes and low.startswith(self.prefixes):
            return True
        return low in self.terms or self.stem(low) in self.terms

    def spans(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        if self.pattern is None:
            return []
        out = []
        for match in self.pattern.finditer(text):
            if self._matches(match.group(0)):
                out.append(match.span())
                if limit is not None and len(out) >= limit:
                    break
        return out

    def mark(self, text: str) -> str:
        """`text` as HTML with every matching word wrapped."""
        parts, last = [], 0
        for start, end in self.spans(text):
            parts.append(html.escape(text[last:start]))
            parts.append(f'<span class="searchmatch">{html.escape(text[start:end])}</span>')
            last = end
        parts.append(html.escape(text[last:]))
        return "".join(parts)


def _window(text: str, pos: int) -> tuple[int, int]:
    start = max(0, pos - WINDOW_BEFORE)
    end = min(len(text), pos + WINDOW_AFTER)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < pos else start
    if end < len(text):
        space = text.rfind(" ", pos, end)
        end = space if space > pos else end
    return start, end


def snippet(text: str, highlighter: Highlighter) -> str:
    """Up to MAX_FRAGMENTS passages around the first matches, or the page's opening words."""
    windows: list[tuple[int, int]] = []
    for start, _end in highlighter.spans(text, limit=12):
        if windows and start < windows[-1][1]:
            continue
        a, b = _window(text, start)
        if windows:
            a = max(a, windows[-1][1] + 1)
        windows.append((a, b))
        if len(windows) >= MAX_FRAGMENTS:
            break
    if not windows:
        cut = text[:FALLBACK_CHARS]
        return html.escape(cut.rsplit(" ", 1)[0] if len(text) > FALLBACK_CHARS else cut).replace("\n", " ")
    parts = [highlighter.mark(text[a:b].replace("\n", " ")) for a, b in windows]
    lead = "" if windows[0][0] == 0 else "… "
    tail = "" if windows[-1][1] >= len(text) else " …"
    return lead + " … ".join(parts) + tail
