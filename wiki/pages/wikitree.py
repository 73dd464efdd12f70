"""Where comments and raw-content tags are in wikitext, found on the mwparserfromhell tree.

The pre-save transform and section numbering must leave these spans alone (MediaWiki hides them
behind strip markers first). mwparserfromhell's tokenizer spends most of its time on links,
templates and tables, none of which can hide a comment or a tag; so the tree is built from a copy
of the text where those characters are neutralised one for one, and the spans it finds are the
spans of the original text.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Node, Tag
from mwparserfromhell.wikicode import Wikicode

# Characters of links, templates, tables, lists, entities and bold/italic (not of tags or comments).
_NEUTRAL = str.maketrans({c: "x" for c in "[]{}|'&:;*#_~"})
_HIDDEN = "\x01"
_CANDIDATE = re.compile(r"<(?:!--|[a-z])", re.I)


def protected(node: object, tags: frozenset[str]) -> bool:
    return isinstance(node, Comment) or (isinstance(node, Tag) and str(node.tag).strip().lower() in tags)


def _blank(code: Wikicode, tags: frozenset[str]) -> None:
    out: list[Node] = []
    for node in code.nodes:
        if protected(node, tags):
            out.append(mwparserfromhell.nodes.Text(_HIDDEN * len(str(node))))
            continue
        for child in node.__children__():
            _blank(child, tags)
        out.append(node)
    code.nodes = out


def spans(text: str, tags: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of each comment and each tag named in `tags` (outermost only), in order."""
    if not _CANDIDATE.search(text):
        return []
    code = mwparserfromhell.parse(text.replace(_HIDDEN, " ").translate(_NEUTRAL), skip_style_tags=True)
    _blank(code, tags)
    masked = str(code)
    return [m.span() for m in re.finditer(f"{_HIDDEN}+", masked)]
