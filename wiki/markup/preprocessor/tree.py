"""The preprocessor's tree: MediaWiki's brace matching (Preprocessor_Hash), node by node.

`scan.build(text, for_inclusion, ext_tags)` turns wikitext into a list of nodes: plain strings,
`Template` / `Argument` ({{ }} and {{{ }}}), `Comment`, `Ignored` (include-control tags and
what they hide), `ExtTag` (<nowiki>, <pre>, ... kept verbatim) and `Heading` (a line that looks
like a section heading; only those at the top level are marked later).
"""

from __future__ import annotations


class _Equals:
    """The `=` that splits a template argument into name and value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "EQUALS"


EQUALS = _Equals()


class Part:
    """One `|`-separated piece of a bracket: its nodes and where its first `=` is."""

    __slots__ = ("out", "eqpos", "comment_end", "visual_end")

    def __init__(self, first: str = "") -> None:
        self.out: list[Node] = [first] if first else []
        self.eqpos: int | None = None
        self.comment_end: int | None = None
        self.visual_end: int | None = None


class Arg:
    """A template argument: `name=value` (name set) or positional (index set)."""

    __slots__ = ("name", "index", "value")

    def __init__(self, name: list[Node] | None, index: int, value: list[Node]) -> None:
        self.name = name
        self.index = index
        self.value = value

    def nodes(self) -> list[Node]:
        """The argument as written: name, '=', value (or just the value)."""
        if self.name is None:
            return self.value
        return [*self.name, EQUALS, *self.value]


class Template:
    """{{title|args}} (kind 'template') or {{{name|default}}} (kind 'argument')."""

    __slots__ = ("kind", "title", "args", "line_start")

    def __init__(self, kind: str, title: list[Node], args: list[Arg], line_start: bool) -> None:
        self.kind = kind
        self.title = title
        self.args = args
        self.line_start = line_start


class Comment:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Ignored:
    """Text hidden by <includeonly>/<noinclude>/<onlyinclude> rules."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class ExtTag:
    """<name attr>inner</name> of an extension tag, kept as written."""

    __slots__ = ("name", "attr", "inner", "close")

    def __init__(self, name: str, attr: str, inner: str | None, close: str | None) -> None:
        self.name = name
        self.attr = attr
        self.inner = inner
        self.close = close

    def source(self) -> str:
        if self.inner is None:
            return f"<{self.name}{self.attr}/>"
        return f"<{self.name}{self.attr}>{self.inner}{self.close or ''}"


class Heading:
    """A line `== x ==`; `top` when it sits at the top level of its page."""

    __slots__ = ("level", "index", "children", "top")

    def __init__(self, level: int, index: int, children: list[Node]) -> None:
        self.level = level
        self.index = index
        self.children = children
        self.top = False


class Piece:
    """An open bracket on the stack with the parts collected so far."""

    __slots__ = ("open", "close", "count", "parts", "line_start", "saved_prefix", "start")

    def __init__(self, open_: str, close: str, count: int, line_start: bool, prefix: str) -> None:
        self.open = open_
        self.close = close
        self.count = count
        self.parts = [Part()]
        self.line_start = line_start
        self.saved_prefix = prefix
        self.start = 0

    def flags(self) -> tuple[bool, bool, bool]:
        """(find_pipe, find_equals, in_heading) while this piece is on top."""
        find_pipe = self.open != "\n" and self.open != "["
        find_equals = find_pipe and len(self.parts) > 1 and self.parts[-1].eqpos is None
        return find_pipe, find_equals, self.open == "\n"

    def break_syntax(self, opening_count: int | None = None) -> list[Node]:
        """The piece as literal text (plus its nodes) when it does not close."""
        if self.open == "\n":
            return list(self.parts[0].out)
        count = self.count if opening_count is None else opening_count
        head = self.open[:-1]
        out: list[Node] = [self.saved_prefix + head + self.open[-1] * (count - len(head))]
        for n, part in enumerate(self.parts):
            if n:
                add(out, "|")
            for node in part.out:
                add(out, node)
        return out


# A node of the tree: plain text or one of the classes above.
Node = str | _Equals | Template | Comment | Ignored | ExtTag | Heading


def add(accum: list[Node], node: Node) -> None:
    # Strings are not merged here: appending to a growing string would be quadratic.
    if node != "":
        accum.append(node)
