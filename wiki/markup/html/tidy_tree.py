"""The tree side of the tidy pass: open elements, p-wrappers and splitting, as RemexHtml's
compat munger builds them (MediaWiki's RemexCompatMunger), written out as a stream.

The stack of open elements is always the chain of ancestors of the insertion point, so a
node is closed by appending its end tag; a node's `index` is where its start tag is in the
output, so that an element found empty can be marked or removed afterwards.
"""

from __future__ import annotations

INLINE = frozenset(
    "a abbr acronym applet b basefont bdo big br button cite code del dfn em font i iframe img "
    "input ins kbd label legend map object param q rb rbc rp rt rtc ruby s samp select small "
    "span strike strong sub sup textarea tt u var video audio bdi data time mark".split()
)
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
METADATA = frozenset("link meta style script".split())
TABLE_PARTS = frozenset("table caption colgroup col tbody thead tfoot tr td th".split())
IN_TABLE = frozenset("table tbody thead tfoot tr".split())
IMPLIED = frozenset("dd dt li optgroup option p rb rp rt rtc".split())
SCOPE = frozenset("applet caption html table td th marquee object template".split())
BUTTON_SCOPE = SCOPE | {"button"}
MARKER_ELEMENTS = frozenset("applet object marquee td th caption".split())
WRAP = "mw:p-wrap"


class Node:
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
        self.pwrap: Node | None = None  # the p-wrapper this node is inside
        self.base: Node | None = None  # the body or <blockquote> that p-wrapping works under
        self.needs_pwrap = False
        self.marked = False
        self.open = True
        self.erased = False


MARKER = Node("#marker", "", -1)
MARKER.open = False


class Tree:
    """Open elements and active formatting elements; the munger's insertion rules."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.root = Node("#root", "", -1)
        self.root.needs_pwrap = True
        self.stack: list[Node] = [self.root]
        self.afe: list[Node] = []  # the list of active formatting elements, with markers
        self.open: dict[str, int] = {}  # open elements by name, to skip hopeless searches
        self.skip_lf = False

    # --- the munger: inserting an element where the tree builder puts it ------------------
    def _push(self, name: str, tag: str) -> Node:
        parent = self.stack[-1]
        node = Node(name, tag, len(self.out))
        self.out.append(tag)
        if parent.name not in IN_TABLE or name in TABLE_PARTS:  # else fostered out by the browser
            parent.nonblank += 1
        self._adopt_state(node, parent)
        self.stack.append(node)
        self.open[name] = self.open.get(name, 0) + 1
        return node

    @staticmethod
    def _adopt_state(node: Node, parent: Node) -> None:
        if (parent.wrapper or parent.splittable) and node.name in FORMATTING:
            node.splittable = True
        node.pwrap = parent if parent.wrapper else parent.pwrap
        node.base = parent.base if parent.base is not None else (parent if parent.needs_pwrap else None)
        node.needs_pwrap = node.name == "blockquote"

    def _prepare(self, name: str) -> None:
        """The munger's choice of parent for a new element: wrap, split or unwrap first."""
        top = self.stack[-1]
        if name in METADATA:
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

    def insert(self, name: str, tag: str) -> Node:
        self._prepare(name)
        return self._push(name, tag)

    def insert_void(self, name: str, tag: str) -> None:
        self._prepare(name)
        self.stack[-1].nonblank += 1
        self.out.append(tag)

    def wrap(self) -> Node:
        base = self.stack[-1]
        node = self._push(WRAP, "<p>")
        node.wrapper = True
        node.base = base
        base.nonblank -= 1  # the wrapper itself does not count
        return node

    def pop(self) -> Node:
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
        if node.name in MARKER_ELEMENTS:
            self.clear_to_marker()
        return node

    def split(self, inline: bool) -> Node:
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
                self.open[WRAP] -= 1
                for rest in self.stack[i:]:
                    rest.pwrap = None
                self.stack[i - 1].nonblank += 1
                return

    # --- the tree builder's stack ------------------------------------------------------
    def current(self) -> Node:
        for i in range(len(self.stack) - 1, -1, -1):
            if not self.stack[i].wrapper:
                return self.stack[i]
        return self.root

    def index_in_scope(self, names: frozenset[str] | set[str], barrier: frozenset[str] = SCOPE) -> int:
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
            if name not in IMPLIED or name == keep:
                return
            self.pop_to(self._last_index(self.current()))

    def _last_index(self, node: Node) -> int:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i] is node:
                return i
        return -1

    def close_p(self) -> None:
        i = self.index_in_scope({"p"}, BUTTON_SCOPE)
        if i >= 0:
            self.implied_ends("p")
            self.pop_to(self.index_in_scope({"p"}, BUTTON_SCOPE))

    # --- active formatting elements ---------------------------------------------------
    def clear_to_marker(self) -> None:
        afe = self.afe
        while afe:
            if afe.pop() is MARKER:
                return

    def _replace_afe(self, old: Node, new: Node) -> None:
        afe = self.afe
        for i in range(len(afe) - 1, -1, -1):
            if afe[i] is old:
                afe[i] = new
                return
