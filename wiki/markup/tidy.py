"""What MediaWiki's HTML tidying (RemexHtml and its compat munger) adds to the document.

Inline content left directly in the body or a <blockquote> is wrapped in <p>
("p-wrapping"): a wrapper opens at the first inline element or non-blank text and closes
at the next block element; formatting elements open across that block are split and
reopened around it. Empty <li>, <p>, <tr> get class "mw-empty-elt". A light stack of open
elements follows HTML5's implied ends where they matter; the rest is left to the browser.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b([^>]*)>|[^<]+|<")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
INLINE = frozenset(
    "a abbr acronym applet b basefont bdo big br button cite code del dfn em font i iframe img "
    "input ins kbd label legend map object param q rb rbc rp rt rtc ruby s samp select small "
    "span strike strong sub sup textarea tt u var video audio bdi data time mark".split()
)
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_METADATA = frozenset("link meta style script".split())
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section "
    "summary table ul li dd dt listing plaintext xmp".split()
)
_SCOPE = frozenset("table td th caption html marquee object applet button template".split())
_MARKED = frozenset({"li", "p", "tr"})
_WS = " \t\n\r\f"


class _Node:
    __slots__ = ("name", "tag", "index", "nonblank", "wrapper", "splittable", "pwrap", "marked")

    def __init__(self, name: str, tag: str, index: int) -> None:
        self.name = name
        self.tag = tag
        self.index = index  # position of the start tag in the output
        self.nonblank = 0
        self.wrapper = False
        self.splittable = False
        self.pwrap: _Node | None = None  # the p-wrapper this node is inside
        self.marked = False


class _Tidy:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[_Node] = []
        self.open: dict[str, int] = {}  # open elements by name, to skip hopeless searches

    # --- tree operations --------------------------------------------------------------
    def top(self) -> _Node | None:
        return self.stack[-1] if self.stack else None

    def needs_pwrap(self) -> bool:
        return not self.stack or self.stack[-1].name == "blockquote"

    def push(self, name: str, tag: str) -> _Node:
        parent = self.top()
        node = _Node(name, tag, len(self.out))
        self.out.append(tag)
        if parent is not None:
            parent.nonblank += 1
            if (parent.wrapper or parent.splittable) and name in _FORMATTING:
                node.splittable = True
            node.pwrap = parent if parent.wrapper else parent.pwrap
        self.stack.append(node)
        self.open[name] = self.open.get(name, 0) + 1
        return node

    def wrap(self) -> _Node:
        node = self.push("p", "<p>")
        node.wrapper = True
        if len(self.stack) > 1:
            self.stack[-2].nonblank -= 1  # the wrapper itself does not count
        return node

    def pop(self, emit: bool = True) -> None:
        node = self.stack.pop()
        if node.name:
            self.open[node.name] -= 1
        if node.wrapper:
            if node.nonblank > 0:
                self.out.append("</p>")
            else:
                self.out[node.index] = ""
            return
        if not node.name:
            return
        if node.marked and node.nonblank == 0:
            self.out[node.index] = f'<{node.name} class="mw-empty-elt">'
        if emit or node.name not in _FORMATTING:
            self.out.append(f"</{node.name}>")

    def find(self, names: set[str] | frozenset[str]) -> int:
        if not any(self.open.get(n) for n in names):
            return -1
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node.name in names and not node.wrapper:
                return i
            if node.wrapper and "p" in names:
                return i
            if node.name in _SCOPE:
                return -1
        return -1

    def pop_to(self, i: int, emit: bool = True) -> None:
        """Close the elements down to index i; implied ends of formatting elements are left
        to the browser when emit is False, so that it reopens them as HTML5 says."""
        while len(self.stack) > i:
            self.pop(emit or len(self.stack) == i + 1)

    def split(self, inline: bool) -> None:
        """Close the formatting elements up to the wrapper (or base) and reopen them."""
        start = len(self.stack)
        while start > 0 and self.stack[start - 1].splittable:
            start -= 1
        if start < len(self.stack) and self.stack[start - 1 : start] and (self.stack[start - 1].wrapper):
            start -= 1
        clones = [n for n in self.stack[start:] if not n.wrapper]
        for node in clones:
            if node.nonblank == 0:  # nothing inside yet: drop it rather than close it
                self.out[node.index] = ""
                self.open[node.name] -= 1
                node.name = ""
        self.pop_to(start)
        if inline:
            self.wrap()
        for old in clones:
            tag = old.tag
            name = tag[1:].split(None, 1)[0].rstrip(">").lower()
            node = self.push(name, tag)
            node.splittable = True

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
                self.open["p"] -= 1
                for rest in self.stack[i:]:
                    rest.pwrap = None
                if i > 0:
                    self.stack[i - 1].nonblank += 1
                return

    # --- tokens -----------------------------------------------------------------------
    def text(self, chunk: str) -> None:
        if chunk.strip(_WS):
            top = self.top()
            if self.needs_pwrap():
                self.wrap()
            elif top is not None and top.splittable and top.pwrap is None:
                self.split(True)
            self.stack[-1].nonblank += 1
        self.out.append(chunk)

    def start(self, name: str, tag: str, attrs: str) -> None:
        inline = name in INLINE
        top = self.top()
        if name in _METADATA:
            pass
        elif top is not None and top.wrapper and not inline:
            self.pop()
        elif top is not None and top.splittable and (top.pwrap is not None) != inline:
            self.split(inline)
        elif inline and self.needs_pwrap():
            self.wrap()
        elif not inline and top is not None and top.pwrap is not None:
            self.disable_wrapper()
        if not inline:
            if name in _CLOSES_P:
                i = self.find({"p"})
                if i >= 0:
                    self.pop_to(i)
            if name in ("li", "dd", "dt"):
                self._close_item(name)
        if name in _VOID:
            if self.stack:
                self.stack[-1].nonblank += 1
            self.out.append(tag)
            return
        node = self.push(name, tag)
        node.marked = name in _MARKED and not attrs.strip(" /" + _WS)

    def _close_item(self, name: str) -> None:
        targets = ("li",) if name == "li" else ("dd", "dt")
        for i in range(len(self.stack) - 1, -1, -1):
            node = self.stack[i]
            if node.name in targets:
                self.pop_to(i)
                return
            if node.name in ("ul", "ol", "dl", "div", "address", "p") or node.name in _SCOPE:
                return

    def end(self, name: str, tag: str) -> None:
        if name == "p":
            i = self.find({"p"})
            if i < 0:
                self.start("p", "<p>", "")
                self.pop()
                return
            self.pop_to(i)
            return
        i = self.find({name})
        if i < 0:
            # Stray: dropped, except formatting ends that HTML5's reconstruction may still
            # match (<li><s>a</li><li>b</s>); the browser ignores the others.
            if name in _FORMATTING:
                self.out.append(tag)
            return
        self.pop_to(i, emit=False)

    def run(self, html: str) -> str:
        pos, size = 0, len(html)
        token = _TOKEN.match
        while pos < size:
            if not self.stack:
                end = _safe_region_end(html, pos)
                if end:
                    self.out.append(_mark_empty(html[pos:end]))
                    pos = end
                    continue
            m = token(html, pos)
            pos = m.end()
            name = m.group(2)
            if name is None:
                self.text(m.group(0))
            elif m.group(1):
                self.end(name.lower(), m.group(0))
            else:
                self.start(name.lower(), m.group(0), m.group(3))
        while self.stack:
            self.pop(emit=False)
        return "".join(self.out)


# --- fast path: whole top-level blocks that tidying cannot change but for empty items ----

_REGION_START = re.compile(r"(\s*)<(ul|ol|dl|table|h[1-6]|pre|p)(?=[\s>])[^>]*>", re.I)
_RISKY = re.compile(r"<(?:/?blockquote|/p[\s>])", re.I)
_BLOCK_IN_P = re.compile(
    r"<(?:" + "|".join(sorted(_CLOSES_P - {"p"})) + r"|/?li|/?dd|/?dt|/?t[drh]|/?tbody|/?caption"
    r"|/?ul|/?ol|/?dl|/?table|/?div)[\s>/]",
    re.I,
)
_EMPTY = re.compile(r"<(li|p|tr)>([ \t\n\r\f]*)(?:</\1>|(?=<li[\s>]))")
_TAGS = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")


def _balanced(region: str) -> bool:
    """Strictly nested tags only: anything else needs the full tree rules."""
    stack: list[str] = []
    for slash, name in _TAGS.findall(region):
        name = name.lower()
        if slash:
            if not stack or stack.pop() != name:
                return False
        elif name not in _VOID:
            stack.append(name)
    return not stack


def _safe_region_end(html: str, pos: int) -> int:
    """End of a balanced top-level list, table, heading, pre or paragraph at `pos`, or 0."""
    m = _REGION_START.match(html, pos)
    if not m:
        return 0
    name = m.group(2).lower()
    if name == "p":
        close = html.find("</p>", m.end())
        if close < 0:
            return 0
        inner = html[m.end() : close]
        if "<" in inner and (_BLOCK_IN_P.search(inner) or _RISKY.search(inner) or not _balanced(inner)):
            return 0
        return close + 4
    depth = 0
    tags = re.compile(rf"<(/?){name}(?=[\s>])[^>]*>", re.I)
    for t in tags.finditer(html, m.start(2) - 1):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            if _RISKY.search(html, m.end(), t.start()) or not _balanced(html[pos : t.end()]):
                return 0
            return t.end()
    return 0


def _mark_empty(region: str) -> str:
    if "></" not in region and "<li>\n</li>" not in region and "<li><li" not in region:
        return region
    return _EMPTY.sub(_mark, region)


def _mark(m: re.Match[str]) -> str:
    name = m.group(1)
    tail = f"</{name}>" if m.group(0).endswith(f"</{name}>") else ""
    return f'<{name} class="mw-empty-elt">{m.group(2)}{tail}'


def tidy(html: str) -> str:
    """p-wrap loose inline content and mark empty list items, paragraphs and rows."""
    return _Tidy().run(html)
