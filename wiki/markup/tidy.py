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
Table insertion modes are not modelled: table parts are treated as ordinary elements.
"""

from __future__ import annotations

import re

from .tidy_fast import mark_empty, safe_region_end

# A tag name runs to whitespace, "/" or ">" as in HTML5 (so <mw:tocplace> is one element).
_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)>|[^<]+|<")
_VOID = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
INLINE = frozenset(
    "a abbr acronym applet b basefont bdo big br button cite code del dfn em font i iframe img "
    "input ins kbd label legend map object param q rb rbc rp rt rtc ruby s samp select small "
    "span strike strong sub sup textarea tt u var video audio bdi data time mark".split()
)
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_METADATA = frozenset("link meta style script".split())
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
_TABLE_PARTS = frozenset("table caption colgroup col tbody thead tfoot tr td th".split())
_IN_TABLE = frozenset("table tbody thead tfoot tr".split())
_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
_TABLE_CLOSES = {
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"}) | _SECTIONS),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"}) | _SECTIONS),
    "tr": (frozenset({"tr"}), frozenset({"table", "html"}) | _SECTIONS),
    "tbody": (_SECTIONS, frozenset({"table", "html"})),
    "thead": (_SECTIONS, frozenset({"table", "html"})),
    "tfoot": (_SECTIONS, frozenset({"table", "html"})),
}
_IMPLIED = frozenset("dd dt li optgroup option p rb rp rt rtc".split())
_SCOPE = frozenset("applet caption html table td th marquee object template".split())
_LIST_SCOPE = _SCOPE | {"ol", "ul"}
_BUTTON_SCOPE = _SCOPE | {"button"}
_MARKER_ELEMENTS = frozenset("applet object marquee td th caption".split())
_RECONSTRUCT_VOID = frozenset("br img wbr area embed keygen input".split())
_MARKED = frozenset({"li", "p", "tr"})
_WS = " \t\n\r\f"
_WRAP = "mw:p-wrap"
_AFE_LIMIT = 24


class _Node:
    __slots__ = (
        "name", "tag", "index", "nonblank", "wrapper", "splittable", "pwrap", "base",
        "needs_pwrap", "marked", "open", "erased",
    )  # fmt: skip

    def __init__(self, name: str, tag: str, index: int) -> None:
        self.name = name
        self.tag = tag
        self.index = index  # position of the start tag in the output
        self.nonblank = 0  # element children and non-blank text, as the munger counts them
        self.wrapper = False  # a p-wrapper of the munger
        self.splittable = False  # a formatting element inside a p-wrapper or splittable parent
        self.pwrap: _Node | None = None  # the p-wrapper this node is inside
        self.base: _Node | None = None  # the body or <blockquote> that p-wrapping works under
        self.needs_pwrap = False
        self.marked = False
        self.open = True
        self.erased = False


_MARKER = _Node("#marker", "", -1)
_MARKER.open = False


class _Tidy:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.root = _Node("#root", "", -1)
        self.root.needs_pwrap = True
        self.stack: list[_Node] = [self.root]
        self.afe: list[_Node] = []  # the list of active formatting elements, with markers
        self.open: dict[str, int] = {}  # open elements by name, to skip hopeless searches
        self.skip_lf = False

    # --- the munger: inserting an element where the tree builder puts it ------------------
    def _push(self, name: str, tag: str) -> _Node:
        parent = self.stack[-1]
        node = _Node(name, tag, len(self.out))
        self.out.append(tag)
        if parent.name not in _IN_TABLE or name in _TABLE_PARTS:  # else fostered out by the browser
            parent.nonblank += 1
        self._adopt_state(node, parent)
        self.stack.append(node)
        self.open[name] = self.open.get(name, 0) + 1
        return node

    @staticmethod
    def _adopt_state(node: _Node, parent: _Node) -> None:
        if (parent.wrapper or parent.splittable) and node.name in _FORMATTING:
            node.splittable = True
        node.pwrap = parent if parent.wrapper else parent.pwrap
        node.base = parent.base if parent.base is not None else (parent if parent.needs_pwrap else None)
        node.needs_pwrap = node.name == "blockquote"

    def _prepare(self, name: str) -> None:
        """The munger's choice of parent for a new element: wrap, split or unwrap first."""
        top = self.stack[-1]
        if name in _METADATA:
            return
        inline = name in INLINE
        if top.wrapper and not inline:
            self.pop()
        elif top.splittable and (top.pwrap is not None) != inline:
            self.split(inline)
        elif inline and top.needs_pwrap:
            self.wrap()
        elif not inline and top.pwrap is not None:
            self.disable_wrapper()

    def insert(self, name: str, tag: str) -> _Node:
        self._prepare(name)
        return self._push(name, tag)

    def insert_void(self, name: str, tag: str) -> None:
        self._prepare(name)
        self.stack[-1].nonblank += 1
        self.out.append(tag)

    def wrap(self) -> _Node:
        base = self.stack[-1]
        node = self._push(_WRAP, "<p>")
        node.wrapper = True
        node.base = base
        base.nonblank -= 1  # the wrapper itself does not count
        return node

    def pop(self) -> _Node:
        node = self.stack.pop()
        node.open = False
        self.open[node.name] -= 1
        if node.wrapper:
            if node.nonblank > 0:
                self.out.append("</p>")
            else:
                self.out[node.index] = ""
            return node
        if node.erased:
            return node
        if node.marked and node.nonblank == 0:
            self.out[node.index] = f'<{node.name} class="mw-empty-elt">'
        self.out.append(f"</{node.name}>")
        if node.name in _MARKER_ELEMENTS:
            self.clear_to_marker()
        return node

    def split(self, inline: bool) -> _Node:
        """Close the splittable formatting elements up to the p-wrapper (or the base) and
        reopen them, in a new p-wrapper when the content is inline."""
        stack = self.stack
        top = stack[-1]
        wrap_base = top.base
        end = top.pwrap if top.pwrap is not None else wrap_base
        start = len(stack) - 1
        while start > 0 and stack[start - 1] is not end:
            start -= 1
        if start < 1:
            return top
        chain = stack[start:]
        for i in range(len(chain) - 1, -1, -1):  # innermost first, as counts propagate up
            node = chain[i]
            if node.nonblank == 0:  # nothing inside: removed rather than closed
                node.erased = True
                out = self.out
                for k in range(node.index, len(out)):  # blank text at most
                    out[k] = ""
                (chain[i - 1] if i else stack[start - 1]).nonblank -= 1
        while len(stack) > start:
            self.pop()
        if end is not None and end.wrapper:
            self.pop()
        if inline:
            self.wrap()
        node = stack[-1]
        for old in chain:
            node = self._push(old.name, old.tag)
            node.splittable = True
            node.base = wrap_base
            self._replace_afe(old, node)
        return node

    def disable_wrapper(self) -> None:
        """A block inside an unsplittable inline element: move that element out of the p."""
        for i, node in enumerate(self.stack):
            if node.wrapper and i + 1 < len(self.stack):
                child = self.stack[i + 1]
                node.nonblank -= 1
                if node.nonblank > 0:
                    self.out[child.index] = "</p>" + self.out[child.index]
                else:
                    self.out[node.index] = ""
                del self.stack[i]
                node.open = False
                self.open[_WRAP] -= 1
                for rest in self.stack[i:]:
                    rest.pwrap = None
                self.stack[i - 1].nonblank += 1
                return

    # --- the tree builder's stack ------------------------------------------------------
    def current(self) -> _Node:
        for i in range(len(self.stack) - 1, -1, -1):
            if not self.stack[i].wrapper:
                return self.stack[i]
        return self.root

    def index_in_scope(self, names: frozenset[str] | set[str], barrier: frozenset[str] = _SCOPE) -> int:
        if not any(self.open.get(n) for n in names):
            return -1
        stack = self.stack
        for i in range(len(stack) - 1, 0, -1):
            name = stack[i].name
            if name in names:
                return i
            if name in barrier:
                return -1
        return -1

    def pop_to(self, i: int) -> None:
        while len(self.stack) > i:
            self.pop()

    def implied_ends(self, keep: str = "") -> None:
        while True:
            name = self.current().name
            if name not in _IMPLIED or name == keep:
                return
            self.pop_to(self._last_index(self.current()))

    def _last_index(self, node: _Node) -> int:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i] is node:
                return i
        return -1

    def close_p(self) -> None:
        i = self.index_in_scope({"p"}, _BUTTON_SCOPE)
        if i >= 0:
            self.implied_ends("p")
            self.pop_to(self.index_in_scope({"p"}, _BUTTON_SCOPE))

    # --- active formatting elements ---------------------------------------------------
    def clear_to_marker(self) -> None:
        afe = self.afe
        while afe:
            if afe.pop() is _MARKER:
                return

    def _replace_afe(self, old: _Node, new: _Node) -> None:
        afe = self.afe
        for i in range(len(afe) - 1, -1, -1):
            if afe[i] is old:
                afe[i] = new
                return

    def push_afe(self, node: _Node) -> None:
        """Add a formatting element; at most three identical ones after the last marker.

        Beyond HTML5, at most _AFE_LIMIT entries after the marker: the oldest goes. Every
        paragraph reopens them all, so a page with thousands of distinct open <font>s would
        otherwise grow quadratically; real pages never come near the limit."""
        afe = self.afe
        start = len(afe)
        while start > 0 and afe[start - 1] is not _MARKER:
            start -= 1
        same = [i for i in range(start, len(afe)) if afe[i].tag == node.tag]
        if len(same) >= 3:
            del afe[same[0]]
        elif len(afe) - start >= _AFE_LIMIT:
            del afe[start]
        afe.append(node)

    def reconstruct(self) -> None:
        afe = self.afe
        if not afe or afe[-1] is _MARKER or afe[-1].open:
            return
        if self.current().name in _IN_TABLE:
            return  # foster parenting is left to the browser
        i = len(afe) - 1
        while i > 0 and afe[i - 1] is not _MARKER and not afe[i - 1].open:
            i -= 1
        for j in range(i, len(afe)):
            old = afe[j]
            afe[j] = self.insert(old.name, old.tag)

    def find_afe(self, name: str) -> _Node | None:
        for i in range(len(self.afe) - 1, -1, -1):
            node = self.afe[i]
            if node is _MARKER:
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
                if stack[j].name in _SCOPE:
                    return  # not in scope: ignored
            fb_i = next((j for j in range(fi + 1, len(stack)) if stack[j].name in _SPECIAL), -1)
            if fb_i < 0:
                self.pop_to(fi)
                self.afe.remove(fe)
                return
            self._move_furthest_block(fe, fi, fb_i)

    def _move_furthest_block(self, fe: _Node, fi: int, fb_i: int) -> None:
        stack, afe = self.stack, self.afe
        fb = stack[fb_i]
        between = stack[fi + 1 : fb_i]
        above = stack[fb_i + 1 :]
        bookmark = _Node("#bookmark", "", -1)
        afe.insert(afe.index(fe) + 1, bookmark)
        clones: list[_Node] = []  # elements to clone, innermost first
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

    def _restore(self, chunks: list[str], nodes: list[_Node], origin: int) -> None:
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
            if chunk[0] == "\n":  # a newline right after <pre> is not content
                self.out.append("\n")
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
        if not blank and top.name not in _IN_TABLE:
            top.nonblank += 1
        self.out.append(chunk)

    def start(self, name: str, tag: str, attrs: str) -> None:
        if name in _FORMATTING:
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
            if name == "table" and self.current().name in _IN_TABLE:
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
        elif name in _TABLE_PARTS:
            if not self.open.get("table"):
                return  # a table part outside any table is ignored
            closes = _TABLE_CLOSES.get(name)
            if closes:  # a new cell, row or section ends the open one
                i = self.index_in_scope(closes[0], closes[1])
                if i >= 0:
                    self.pop_to(i)
        elif name not in _METADATA:
            self.reconstruct()
        node = self.insert(name, tag)
        node.marked = name in _MARKED and not attrs.strip(" /" + _WS)
        self.skip_lf = name in ("pre", "listing")
        if name in _MARKER_ELEMENTS:
            self.afe.append(_MARKER)

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
        if name in _FORMATTING:
            self.adoption_agency(name)
        elif name == "p":
            if self.index_in_scope({"p"}, _BUTTON_SCOPE) < 0:
                self.start("p", "<p>", "")
            self.close_p()
        elif name == "li" or name in ("dd", "dt"):
            i = self.index_in_scope({name}, _LIST_SCOPE if name == "li" else _SCOPE)
            if i >= 0:
                self.implied_ends(name)
                self.pop_to(self.index_in_scope({name}, _LIST_SCOPE if name == "li" else _SCOPE))
        elif name in _HEADINGS:
            if self.index_in_scope(_HEADINGS) >= 0:
                self.implied_ends()
                self.pop_to(self.index_in_scope(_HEADINGS))
        elif name in _BLOCK_END or name in ("applet", "marquee", "object"):
            if self.index_in_scope({name}) >= 0:
                self.implied_ends()
                self.pop_to(self.index_in_scope({name}))
        elif name in _TABLE_PARTS:
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
        low = html.lower()
        if len(low) != len(html):  # lower-casing changed offsets (rare letters)
            low = None
        while pos < size:
            if len(stack) == 1 and not self.afe:
                end = safe_region_end(html, pos, low)
                if end:
                    self.out.append(mark_empty(html[pos:end]))
                    self.root.nonblank += 1
                    pos = end
                    continue
            m = token(html, pos)
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
