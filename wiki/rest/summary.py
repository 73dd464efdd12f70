"""A page's summary for previews: its defining sentence, from the rendered page.

`lead_sentence` is the one function that says what a page's summary text is. Until the
page-structure reader (issue 19) lands it reads the first paragraph of the rendered HTML and keeps
its first sentence; pointing it at the structure reader's defining sentence changes nothing else.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from datetime import datetime

from wiki import pages
from wiki.concepts import store as concepts_store
from wiki.models import Page
from wiki.pages import parsercache

MAX_EXTRACT_CHARS = 600
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.I)
_DROP = re.compile(r"<(sup|style|script)\b[^>]*>.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
# A sentence ends at . ! or ? followed by a space and a capital, a digit or an opening mark.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘(\[])")
_CACHE_SIZE = 2048
_memo: OrderedDict[tuple[int, int, str], str] = OrderedDict()
_kinds: dict[tuple[int, int, str], bool] = {}
_stamps: dict[tuple[int, int], datetime] = {}


def first_sentence(text: str) -> str:
    """The first sentence of plain text (the whole text when it has one), cut at MAX_EXTRACT_CHARS."""
    head = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(head) > MAX_EXTRACT_CHARS:
        head = head[: MAX_EXTRACT_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return head


def first_paragraph(rendered_html: str) -> str:
    """Plain text of the first paragraph of rendered HTML that has any text."""
    for match in _PARAGRAPH.finditer(rendered_html):
        text = _SPACE.sub(" ", html.unescape(_TAG.sub("", _DROP.sub("", match.group(1))))).strip()
        if text:
            return text
    return ""


def latest_timestamp(page: Page) -> datetime | None:
    """When the page's current revision was saved (None if it is gone); memoised per revision."""
    if page.latest is None:
        return None
    key = (page.id, page.latest)
    found = _stamps.get(key)
    if found is None:
        rev = pages.latest(page)
        if rev is None:
            return None
        found = _stamps[key] = rev.timestamp
        if len(_stamps) > _CACHE_SIZE:
            _stamps.pop(next(iter(_stamps)))
    return found


def is_disambiguation(page: Page) -> bool:
    """Whether the page is in a disambiguation category (memoised per revision, as the sentence)."""
    if page.latest is None:
        return False
    key = (page.id, page.latest, str(page.touched))
    found = _kinds.get(key)
    if found is None:
        categories = pages.view(page).categories
        found = _kinds[key] = any("disambiguation" in name.lower() for name, _key in categories)
        if len(_kinds) > _CACHE_SIZE:
            _kinds.pop(next(iter(_kinds)))
    return found


def lead_sentence(page: Page, *, render: bool = True) -> str | None:
    """The page's defining sentence (plain text), "" when it has none; memoised per revision and
    page.touched (which moves when a template the page uses changes).

    With render=False a page not in the parser cache answers None instead of being rendered (a
    list of search results describes the pages it can afford to)."""
    if page.latest is None:
        return ""
    defining, _genus = concepts_store.summary(page.id)  # a concept page's defining sentence
    if defining:
        return defining
    key = (page.id, page.latest, f"{parsercache.RENDER_VERSION}:{page.touched}")
    found = _memo.get(key)
    if found is not None:
        _memo.move_to_end(key)
        return found
    if render:
        rendered_html = pages.view(page).html
    else:
        cached = parsercache.get(page.id, page.latest)
        if cached is None:
            return None
        rendered_html = cached.html
    text = first_sentence(first_paragraph(rendered_html))
    _memo[key] = text
    if len(_memo) > _CACHE_SIZE:
        _memo.popitem(last=False)
    return text
