"""Wikitext -> plain text for the search index: cheap regular expressions, not the renderer.

Indexing 100,000 pages cannot afford a full render per page, and search needs only the words a
reader sees: link labels, text of lists and tables, headings. Templates, tables' attribute
syntax, comments, references' markup and HTML tags are dropped; entities are decoded. The same
function builds the indexed body and the text a snippet is cut from, so highlights line up.
"""

from __future__ import annotations

import html
import re

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_NOWIKI = re.compile(r"<nowiki>(.*?)</nowiki>", re.S | re.I)
_DROP_BLOCKS = re.compile(r"<(ref|math|score|syntaxhighlight|source|gallery)\b[^>]*?/>", re.I)
_REF = re.compile(r"<ref\b[^>/]*>.*?</ref>", re.S | re.I)
_TEMPLATE = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*\}\}")
_MAGIC = re.compile(r"__[A-Z]+__")
_FILE_LINK = re.compile(r"\[\[(?:File|Image|Media|Category):[^\[\]]*(?:\[\[[^\[\]]*\]\][^\[\]]*)*\]\]", re.I)
_LINK = re.compile(r"\[\[:?([^\[\]|]*)(?:\|([^\[\]]*))?\]\]([a-z]*)")
_EXTLINK = re.compile(r"\[(?:https?:|ftp:|mailto:|//)[^\s\]]*\s*([^\]]*)\]")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_TABLE_ROW = re.compile(r"^\s*(\{\||\|\}|\|-|\|\+).*$", re.M)
_TABLE_CELL = re.compile(r"^\s*[|!]\s*(?:[^|\n\[]*\|(?!\|))?", re.M)
_CELL_SEP = re.compile(r"\|\||!!")
_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$", re.M)
_LIST = re.compile(r"^[*#:;]+\s*", re.M)
_QUOTES = re.compile(r"'{2,}")
_RULE = re.compile(r"^-{4,}\s*$", re.M)
_REDIRECT = re.compile(r"\A\s*#redirect\s*:?\s*", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n+")


def _strip_templates(text: str) -> str:
    # Innermost first: nested templates need a few passes; the bound stops pathological input.
    for _ in range(8):
        text, count = _TEMPLATE.subn(" ", text)
        if not count:
            break
    return text


def _link(match: re.Match[str]) -> str:
    target: str = match.group(1)
    label: str | None = match.group(2)
    trail: str = match.group(3)
    if label is not None and label.strip():
        return label + trail
    return target.split("#", 1)[0].split(":", 1)[-1] + trail if ":" in target else target + trail


def to_text(wikitext: str) -> str:
    """The words a reader sees on the page, one paragraph per line."""
    text = _COMMENT.sub("", wikitext)
    text = _NOWIKI.sub(lambda m: html.escape(m.group(1), quote=False), text)
    text = _REDIRECT.sub("", text)
    text = _DROP_BLOCKS.sub(" ", text)
    text = _REF.sub(" ", text)
    text = _strip_templates(text)
    text = _MAGIC.sub("", text)
    text = _FILE_LINK.sub(" ", text)
    text = _LINK.sub(_link, text)
    text = _EXTLINK.sub(lambda m: m.group(1), text)
    text = _TAG.sub("", text)
    text = _TABLE_ROW.sub("", text)
    text = _TABLE_CELL.sub("", text)
    text = _CELL_SEP.sub(" ", text)
    text = _HEADING.sub(lambda m: m.group(2), text)
    text = _RULE.sub("", text)
    text = _LIST.sub("", text)
    text = _QUOTES.sub("", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text)
    return _BLANKS.sub("\n", text).strip()


def word_count(text: str) -> int:
    return len(text.split())
