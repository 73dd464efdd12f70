"""The tidy pass's fast path: whole top-level blocks that tidying cannot change but for empty items.

A list, table, heading, <pre>, paragraph or <div> (holding no <p>) at the top level whose tags
nest strictly and which holds no <blockquote> or stray </p> comes out of RemexHtml and its
munger as it went in, except that empty <li>, <p> and <tr> are marked; such a region is copied
without building a tree.
"""

from __future__ import annotations

import re

_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol pre section "
    "summary table ul li dd dt listing plaintext xmp".split()
)
# Patterns run on the lower-cased document.
_REGION_START = re.compile(r"(\s*)<(ul|ol|dl|table|h[1-6]|pre|p|div)(?=[\s>])[^>]*>")
_BLOCK_IN_P = re.compile(
    r"<(?:" + "|".join(sorted(_CLOSES_P)) + r"|/?li|/?dd|/?dt|/?t[drh]|/?tbody|/?caption"
    r"|/?ul|/?ol|/?dl|/?table|/?div)[\s>/]"
)
_P_START = re.compile(r"<p[\s>]")
_EMPTY = re.compile(r"<(li|p|tr)>([ \t\n\r\f]*)(?:</\1>|(?=<li[\s>]))")
_TABLE_CONTEXT = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_TAGS = re.compile(r"<(/?)([a-z][a-z0-9]*)")
_REGION_NAMES = "ul ol dl table h1 h2 h3 h4 h5 h6 pre div".split()
_SAME_NAME = {name: re.compile(rf"<(/?){name}(?=[\s>])[^>]*>") for name in _REGION_NAMES}


def _balanced(low: str, start: int, end: int) -> bool:
    """Strictly nested tags only, and no <blockquote> or </p> (which p-wrapping and HTML5's
    implied ends treat specially) between `start` and `end` of the lower-cased page."""
    stack: list[str] = []
    push, pop = stack.append, stack.pop
    for slash, name in _TAGS.findall(low, start, end):
        if slash:
            if not stack or pop() != name or name == "p":
                return False
        elif name not in _VOID:
            if name == "blockquote" or (name == "table" and stack and stack[-1] in _TABLE_CONTEXT):
                return False  # a table right inside a table ends it: for the tree rules
            push(name)
    return not stack


def safe_region_end(html: str, pos: int, low: str | None = None) -> int:
    """End of a balanced top-level list, table, heading, pre, paragraph or div at `pos`, or 0.

    `low` is the document lower-cased (same length), if the caller has it.
    """
    if low is None:
        low = html.lower()
        if len(low) != len(html):
            return 0
    m = _REGION_START.match(low, pos)
    if not m:
        return 0
    name = m.group(2)
    if name == "p":
        close = low.find("</p>", m.end())
        if close < 0:
            return 0
        if low.find("<", m.end(), close) >= 0 and (
            _BLOCK_IN_P.search(low, m.end(), close) or not _balanced(low, m.end(), close)
        ):
            return 0
        return close + 4
    depth = 0
    for t in _SAME_NAME[name].finditer(low, m.start(2) - 1):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            if not _balanced(low, pos, t.end()):
                return 0
            if name == "div" and _P_START.search(low, m.end(), t.start()):
                return 0
            return t.end()
    return 0


def mark_empty(region: str) -> str:
    """Class mw-empty-elt on the empty <li>, <p> and <tr> of a fast-path region."""
    return _EMPTY.sub(_mark, region)


def _mark(m: re.Match[str]) -> str:
    name = m.group(1)
    tail = f"</{name}>" if m.group(0).endswith(f"</{name}>") else ""
    return f'<{name} class="mw-empty-elt">{m.group(2)}{tail}'
