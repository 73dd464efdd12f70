"""What MediaWiki's HTML tidying (RemexHtml and its compat munger) adds to the document.

A streaming emulation of the HTML5 tree builder's "in body" rules - implied end tags, the
list of active formatting elements with its reconstruction, the adoption agency algorithm -
combined with MediaWiki's munger: inline content left directly in the body or a
<blockquote> is wrapped in <p> ("p-wrapping"), formatting elements open across a block are
split and reopened around it, and empty <li>, <p>, <tr> get class "mw-empty-elt".

Output is written in order; the stack of open elements is always the chain of ancestors of
the insertion point, so a node is closed by appending its end tag. The adoption agency moves
the furthest block out of the formatting element: the output from that block on is cut off,
the end tags and the moved elements are written, and the cut-off part is put back.
Table insertion modes only in part: table parts outside a table are dropped, a new cell, row
or section ends the open one, a table right inside a table (not in a cell) ends it; foster
parenting is left to the browser, which does it the same way.
"""

from __future__ import annotations

import re

from wiki.markup.html.tidy_fast import mark_empty, safe_region_end
from wiki.markup.html.tidy_tree import (
    BUTTON_SCOPE,
    FORMATTING,
    IN_TABLE,
    MARKER,
    MARKER_ELEMENTS,
    METADATA,
    SCOPE,
    TABLE_PARTS,
    Node,
    Tree,
)

# A tag name runs to whitespace, "/" or ">" as in HTML5 (so <mw:tocplace> is one element).
_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>|[^<]+|<")
_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# HTML5's "special" elements: the furthest block of the adoption agency is one of these.
_SPECIAL = frozenset(
    "address applet area article aside base basefont bgsound blockquote body br button caption "
    "center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing "
    "main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script "
    "search section select source style summary table tbody td template textarea tfoot th thead "
    "title tr track ul wbr xmp".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup main menu nav ol p search section summary ul pre listing "
    "table hr xmp plaintext".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BLOCK_END = frozenset(
    "address article aside blockquote button center details dialog dir div dl fieldset "
    "figcaption figure footer form header hgroup listing main menu nav ol pre search section "
    "summary ul".split()
)
_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
_TABLE_CLOSES = {
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"}) | _SECTIONS),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"}) | _SECTIONS),
    "tr": (frozenset({"tr"}), frozenset({"table", "html"}) | _SECTIONS),
    "tbody": (_SECTIONS, frozenset({"table", "html"})),
    "thead": (_SECTIONS, frozenset({"table", "html"})),
    "tfoot": (_SECTIONS, frozenset({"table", "html"})),
}
_LIST_SCOPE = SCOPE | {"ol", "ul"}
_RECONSTRUCT_VOID = frozenset("br img wbr area embed keygen input".split())
_MARKED = frozenset({"li", "p", "tr"})
_WS = " \t\n\r\f"
_AFE_LIMIT = 24


class _Tidy(Tree):
    """The HTML5 tree builder's rules for start tags, end tags and text, on the munger's tree."""

    def __init__(self) -> None:
        super().__init__()
        self.skip_lf = False

    def push_afe(self, node: Node) -> None:
        """Add a formatting element; at most three identical ones after the last marker.

        Beyond HTML5, at most _AFE_LIMIT entries after the marker: the oldest goes. Every
        paragraph reopens them all, so a page with thousands of distinct open <font>s would
        otherwise grow quadratically; real pages never come near the limit."""
        afe = self.afe
        start = len(afe)
        while start > 0 and afe[start - 1] is not MARKER:
            start -= 1
        same = [i for i in range(start, len(afe)) if afe[i].tag == node.tag]
        if len(same) >= 3:
            del afe[same[0]]
        elif len(afe) - start >= _AFE_LIMIT:
            del afe[start]
        afe.append(node)

    def reconstruct(self) -> None:
        afe = self.afe
        if not afe or afe[-1] is MARKER or afe[-1].open:
            return
        if self.current().name in IN_TABLE:
            return  # foster parenting is left to the browser
        i = len(afe) - 1
        while i > 0 and afe[i - 1] is not MARKER and not afe[i - 1].open:
            i -= 1
        for j in range(i, len(afe)):
            old = afe[j]
            afe[j] = self.insert(old.name, old.tag)

    def find_afe(self, name: str) -> Node | None:
        for i in range(len(self.afe) - 1, -1, -1):
            node = self.afe[i]
            if node is MARKER:
                return None
            if node.name == name:
                return node
        return None

    def adoption_agency(self, name: str) -> None:
        cur = self.current()
        if cur.name == name and cur not in self.afe:
            self.pop_to(self._last_index(cur))
            return
        for _ in range(8):
            fe = self.find_afe(name)
            if fe is None:
                self.any_other_end(name)
                return
            if not fe.open:
                self.afe.remove(fe)
                return
            fi = self._last_index(fe)
            stack = self.stack
            for j in range(len(stack) - 1, fi, -1):
                if stack[j].name in SCOPE:
                    return  # not in scope: ignored
            fb_i = next((j for j in range(fi + 1, len(stack)) if stack[j].name in _SPECIAL), -1)
            if fb_i < 0:
                self.pop_to(fi)
                self.afe.remove(fe)
                return
            self._move_furthest_block(fe, fi, fb_i)

    def _move_furthest_block(self, fe: Node, fi: int, fb_i: int) -> None:
        stack, afe = self.stack, self.afe
        fb = stack[fb_i]
        between = stack[fi + 1 : fb_i]
        above = stack[fb_i + 1 :]
        bookmark = Node("#bookmark", "", -1)
        afe.insert(afe.index(fe) + 1, bookmark)
        clones: list[Node] = []  # elements to clone, innermost first
        for inner, node in enumerate(reversed(between), 1):
            in_afe = node in afe
            if inner > 3 and in_afe:
                afe.remove(node)
                in_afe = False
            if in_afe:
                if not clones:
                    afe.remove(bookmark)
                    afe.insert(afe.index(node) + 1, bookmark)
                clones.append(node)
        # Cut the output at the furthest block: what follows its start tag is its content.
        cut = fb.index
        tail = self.out[cut + 1 :]
        del self.out[cut:]
        del stack[fb_i:]
        self.open[fb.name] -= 1
        self.pop_to(fi)  # the formatting element and what was between end where the block began
        for old in reversed(clones):
            self._replace_afe(old, self.insert(old.name, old.tag))
        self._prepare(fb.name)
        parent = stack[-1]
        parent.nonblank += 1
        self._adopt_state(fb, parent)
        fb.index = len(self.out)
        self.out.append(fb.tag)
        stack.append(fb)
        self.open[fb.name] += 1
        # The block's content goes into a new formatting element: inside the block's open
        # p-wrapper if it has one (a <blockquote>), else directly (wrapped if need be).
        if above and above[0].wrapper:
            host, above = above[0], above[1:]
            head = host.index - cut
            old_index = host.index
            self._restore(tail[:head], [host], cut + 1)
            tail = tail[head:]
            cut = old_index
            count = host.nonblank
            new = self._push(fe.name, fe.tag)
        else:
            count = fb.nonblank
            new = self.insert(fe.name, fe.tag)
        new.nonblank = count
        afe.remove(fe)
        afe[afe.index(bookmark)] = new
        self._restore(tail, above, cut + 1)

    def _restore(self, chunks: list[str], nodes: list[Node], origin: int) -> None:
        """Put back output cut off at `origin`, with the open nodes whose start tags it holds."""
        shift = len(self.out) - origin
        for node in nodes:  # still open and counted in self.open
            node.index += shift
        self.stack.extend(nodes)
        self.out.extend(chunks)

    def any_other_end(self, name: str) -> None:
        stack = self.stack
        for i in range(len(stack) - 1, 0, -1):
            node = stack[i]
            if node.wrapper:
                continue
            if node.name == name:
                self.implied_ends(name)
                self.pop_to(self._last_index(node))
                return
            if node.name in _SPECIAL:
                return

    # --- tokens -----------------------------------------------------------------------
    def text(self, chunk: str) -> None:
        if self.skip_lf:
            self.skip_lf = False
            if chunk[0] == "\n":  # a newline right after <pre> is not content: kept with the tag
                pre = self.stack[-1]
                pre.tag += "\n"
                self.out[pre.index] += "\n"
                chunk = chunk[1:]
                if not chunk:
                    return
        elif chunk[0] == "\n" and self.stack[-1].index == len(self.out) - 1 and self.stack[-1].name == "pre":
            chunk = "\n" + chunk  # content that starts with a newline keeps it, as serialised
        blank = not chunk.strip(_WS)
        if self.afe:
            self.reconstruct()
        top = self.stack[-1]
        if top.needs_pwrap and not blank:
            top = self.wrap()
        elif top.splittable and top.pwrap is None:
            top = self.split(True)
        if not blank and top.name not in IN_TABLE:
            top.nonblank += 1
        self.out.append(chunk)

    def start(self, name: str, tag: str, attrs: str) -> None:
        if name in FORMATTING:
            if name == "a" and self.find_afe("a") is not None:
                old = self.find_afe("a")
                self.adoption_agency("a")
                if old in self.afe:
                    self.afe.remove(old)
            elif name == "nobr":
                self.reconstruct()
                if self.index_in_scope({"nobr"}) >= 0:
                    self.adoption_agency("nobr")
            self.reconstruct()
            self.push_afe(self.insert(name, tag))
            return
        if name in _CLOSES_P:
            if name == "table" and self.current().name in IN_TABLE:
                self.pop_to(self.index_in_scope({"table"}, frozenset({"html"})))  # ends the open table
            self.close_p()
            if name in _VOID:  # <hr>
                self.insert_void(name, tag)
                return
        elif name in _HEADINGS:
            self.close_p()
            if self.current().name in _HEADINGS:
                self.pop_to(self._last_index(self.current()))
        elif name in ("li", "dd", "dt"):
            self._close_item(name)
            self.close_p()
        elif name in _VOID:
            if name in _RECONSTRUCT_VOID:
                self.reconstruct()
            self.insert_void(name, tag)
            return
        elif name in ("rb", "rtc", "rp", "rt"):
            if self.index_in_scope({"ruby"}) >= 0:
                self.implied_ends("rtc" if name in ("rp", "rt") else "")
        elif name in TABLE_PARTS:
            if not self.open.get("table"):
                return  # a table part outside any table is ignored
            closes = _TABLE_CLOSES.get(name)
            if closes:  # a new cell, row or section ends the open one
                i = self.index_in_scope(closes[0], closes[1])
                if i >= 0:
                    self.pop_to(i)
        elif name not in METADATA:
            self.reconstruct()
        node = self.insert(name, tag)
        node.marked = name in _MARKED and not attrs.strip(" /" + _WS)
        self.skip_lf = name in ("pre", "listing")
        if name in MARKER_ELEMENTS:
            self.afe.append(MARKER)

    def _close_item(self, name: str) -> None:
        targets = ("li",) if name == "li" else ("dd", "dt")
        stack = self.stack
        for i in range(len(stack) - 1, 0, -1):
            node = stack[i]
            if node.wrapper:
                continue
            if node.name in targets:
                self.implied_ends(node.name)
                self.pop_to(self._last_index(node))
                return
            if node.name in _SPECIAL and node.name not in ("address", "div", "p"):
                return

    def end(self, name: str, tag: str) -> None:
        if name in FORMATTING:
            self.adoption_agency(name)
        elif name == "p":
            if self.index_in_scope({"p"}, BUTTON_SCOPE) < 0:
                self.start("p", "<p>", "")
            self.close_p()
        elif name == "li" or name in ("dd", "dt"):
            i = self.index_in_scope({name}, _LIST_SCOPE if name == "li" else SCOPE)
            if i >= 0:
                self.implied_ends(name)
                self.pop_to(self.index_in_scope({name}, _LIST_SCOPE if name == "li" else SCOPE))
        elif name in _HEADINGS:
            if self.index_in_scope(_HEADINGS) >= 0:
                self.implied_ends()
                self.pop_to(self.index_in_scope(_HEADINGS))
        elif name in _BLOCK_END or name in ("applet", "marquee", "object"):
            if self.index_in_scope({name}) >= 0:
                self.implied_ends()
                self.pop_to(self.index_in_scope({name}))
        elif name in TABLE_PARTS:
            barrier = frozenset({"html", "template"} if name == "table" else {"html", "template", "table"})
            i = self.index_in_scope({name}, barrier)
            if i >= 0:
                self.pop_to(i)
        elif name == "br":
            self.start("br", "<br />", "")
        else:
            self.any_other_end(name)

    def run(self, html: str) -> str:
        pos, size = 0, len(html)
        token = _TOKEN.match
        stack = self.stack
        lowered = html.lower()
        # lower-casing changed offsets (rare letters): no lower-cased copy
        low = lowered if len(lowered) == len(html) else None
        while pos < size:
            if len(stack) == 1 and not self.afe:
                end = safe_region_end(html, pos, low)
                if end:
                    self.out.append(mark_empty(html[pos:end]))
                    self.root.nonblank += 1
                    pos = end
                    continue
            m = token(html, pos)
            assert m is not None  # the token pattern matches any character
            pos = m.end()
            name = m.group(2)
            if name is None:
                self.text(m.group(0))
                continue
            self.skip_lf = False
            if m.group(1):
                self.end(name.lower(), m.group(0))
            else:
                self.start(name.lower(), m.group(0), m.group(3))
        while len(stack) > 1:
            self.pop()
        return "".join(self.out)


def tidy(html: str) -> str:
    """p-wrap loose inline content, balance tags as HTML5 does, mark empty items."""
    return _Tidy().run(html)
