"""Expansion of preprocessor nodes in frames: templates, arguments, tags, headings.

A `Frame` is one page being expanded: the page itself (root) or a template with its
arguments. Arguments are expanded lazily, in the caller's frame, once. The `Expander`
mirrors MediaWiki's PPFrame::expand and Parser::braceSubstitution/argSubstitution, with its
limits: expansion depth, template depth, node count, post-expand include size, template
loops. Extension tags are replaced by strip markers so that parser functions such as
{{lc:}} do not see inside them; preprocess.expand() puts the tags back at the end.
"""

from __future__ import annotations

from wiki.markup import limits
from wiki.markup.context import RenderContext, TitleLike
from wiki.markup.preprocessor.names import PHP_WS, escape_wikitext, parse_title
from wiki.markup.preprocessor.scan import build
from wiki.markup.preprocessor.tree import EQUALS, Arg, Comment, ExtTag, Heading, Ignored, Node, Template
from wiki.markup.state import ParseState

NO_ARGS, NO_TEMPLATES, STRIP_COMMENTS, NO_IGNORE, RECOVER_COMMENTS, NO_TAGS = 1, 2, 4, 8, 16, 32
RECOVER_ORIG = NO_ARGS | NO_TEMPLATES | NO_IGNORE | RECOVER_COMMENTS | NO_TAGS

MARKER_PREFIX = "\x7f'\"`UNIQ-"
MARKER_SUFFIX = "-QINU`\"'\x7f"
DEFAULT_EXT_TAGS = frozenset(
    "nowiki pre ref references math chem ce gallery source syntaxhighlight poem indicator "
    "templatedata templatestyles score timeline hiero inputbox categorytree imagemap graph "
    "mapframe maplink section langconvert charinsert rss".split()
)
# Extensions that parse their content in the frame. Not <ref>: Cite keeps a ref's text as written
# and parses it with the reference list ({{{1}}} in a template's <ref> stays as written).
_FRAME_TAGS = frozenset({"poem"})


class Frame:
    """A page being expanded: its title, its caller and its arguments."""

    __slots__ = ("title", "parent", "args", "cache", "depth", "loop")

    def __init__(self, title: str, parent: Frame | None, loop: frozenset[str]) -> None:
        self.title = title
        self.parent = parent
        self.depth: int = parent.depth + 1 if parent else 0
        self.loop = loop
        self.args: dict[str, tuple[bool, list[Node]]] = {}
        self.cache: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Frame({self.title!r}, depth={self.depth})"


class Expander:
    """Expands node lists for one render (see the module docstring)."""

    def __init__(self, ctx: RenderContext, state: ParseState) -> None:
        self.ctx = ctx
        self.state = state
        options = ctx.site.options or {}
        self.ext_tags = frozenset(options.get("extension_tags", DEFAULT_EXT_TAGS))
        self.max_depth = int(options.get("max_expand_depth", limits.MAX_EXPAND_DEPTH))
        self.max_template_depth = int(options.get("max_template_depth", limits.MAX_TEMPLATE_DEPTH))
        self.max_nodes = int(options.get("max_pp_node_count", limits.MAX_PP_NODE_COUNT))
        self.max_include = int(options.get("max_include_size", limits.MAX_INCLUDE_SIZE))
        self.max_expensive = int(options.get("expensive_function_limit", limits.EXPENSIVE_FUNCTION_LIMIT))
        self.budget = state.budget
        self.depth = 0

    # --- frames and trees ------------------------------------------------------------
    def root_frame(self) -> Frame:
        return Frame(self.ctx.title.prefixed_text, None, frozenset())

    def child_frame(self, parent: Frame, args: list[Arg], title: str | None) -> Frame:
        title = title or parent.title
        frame = Frame(title, parent, parent.loop | {title})
        for arg in args:
            if arg.name is None:
                frame.args[str(arg.index)] = (False, arg.value)
            else:
                name = self.expand(arg.name, parent, STRIP_COMMENTS).strip(PHP_WS)
                frame.args[name] = (True, arg.value)
        return frame

    def argument_value(self, frame: Frame, name: str) -> str | None:
        """The expanded value of argument `name` in `frame` (named ones trimmed), or None."""
        if frame.parent is None:
            return None
        cached = frame.cache.get(name)
        if cached is not None:
            return cached
        entry = frame.args.get(name)
        if entry is None:
            return None
        named, nodes = entry
        value = self.expand(nodes, frame.parent, STRIP_COMMENTS)
        if named:
            value = value.strip(PHP_WS)
        frame.cache[name] = value
        return value

    def tree(self, text: str, for_inclusion: bool, key: str | None = None) -> list[Node]:
        if key is None:
            return build(text, for_inclusion, self.ext_tags, self.budget)
        trees = self.state.template_trees
        cached = trees.get((key, for_inclusion))
        if cached is None:
            cached = trees[(key, for_inclusion)] = build(text, for_inclusion, self.ext_tags, self.budget)
        return cached

    # --- the expansion loop -------------------------------------------------------------
    def expand(self, nodes: list[Node] | str, frame: Frame, flags: int = 0) -> str:
        if isinstance(nodes, str):
            return nodes
        state = self.state
        state.node_count += 1
        self.budget.tick()
        if state.node_count > self.max_nodes:
            return self.error("Node-count limit exceeded", "node-count")
        if self.depth >= self.max_depth:
            return self.error("Expansion depth limit exceeded", "expansion-depth")
        self.depth += 1
        try:
            out: list[str] = []
            for node in nodes:
                # type() narrows for the type checker; `is` keeps the hot loop fast
                if type(node) is str:
                    out.append(node)
                elif type(node) is Template:
                    out.append(self._bracket(node, frame, flags))
                elif node is EQUALS:
                    out.append("=")
                elif type(node) is Comment:
                    if flags & RECOVER_COMMENTS:
                        out.append(node.text)
                elif type(node) is Ignored:
                    if flags & NO_IGNORE:
                        out.append(node.text)
                elif type(node) is ExtTag:
                    out.append(node.source() if flags & NO_TAGS else self._ext(node, frame))
                elif type(node) is Heading:
                    out.append(self._heading(node, frame, flags))
            return "".join(out)
        finally:
            self.depth -= 1

    def _bracket(self, node: Template, frame: Frame, flags: int) -> str:
        if node.kind == "template":
            if flags & NO_TEMPLATES:
                return self.expand(self.bracketed("{{", node.title, node.args, "}}"), frame, flags)
            from wiki.markup.preprocessor.transclude import substitute_template

            return substitute_template(self, node, frame)
        if flags & NO_ARGS:
            return self.expand(self.bracketed("{{{", node.title, node.args, "}}}"), frame, flags)
        return self._argument(node, frame)

    def _argument(self, node: Template, frame: Frame) -> str:
        name_ws = self.expand(node.title, frame)
        value = self.argument_value(frame, name_ws.strip(PHP_WS))
        if value is None:
            if node.args:
                return self.expand(node.args[0].nodes(), frame)
            return self.expand(self.bracketed("{{{", [name_ws], node.args, "}}}"), frame)
        if not self.count_include(len(value)):
            return "<!-- WARNING: argument omitted, expansion size too large -->"
        return value

    @staticmethod
    def bracketed(open_: str, title: list[Node], args: list[Arg], close: str) -> list[Node]:
        out: list[Node] = [open_, *title]
        for arg in args:
            out.append("|")
            out.extend(arg.nodes())
        out.append(close)
        return out

    def _ext(self, node: ExtTag, frame: Frame) -> str:
        lower = node.name.lower()
        if lower in _FRAME_TAGS and frame.parent is not None and node.inner:
            inner = self.expand(self.tree(node.inner, False, "\x00" + node.inner), frame)
            source = f"<{node.name}{node.attr}>{inner}{node.close or ''}"
        else:
            source = node.source()
        return self.strip_marker(lower, source)

    def _heading(self, node: Heading, frame: Frame, flags: int) -> str:
        text = self.expand(node.children, frame, flags)
        if not (node.top and self.state.heading_markers):
            return text
        origins = self.state.heading_origins
        marker = f"{MARKER_PREFIX}-h-{len(origins)}-{MARKER_SUFFIX}"
        origins.append((frame.title, node.index))
        return text[: node.level] + marker + text[node.level :]

    # --- helpers shared with transclusion and parser functions ---------------------------
    def strip_marker(self, kind: str, text: str) -> str:
        items = self.state.strip_items
        marker = f"{MARKER_PREFIX}-{kind}-{len(items):08X}{MARKER_SUFFIX}"
        items[marker] = text
        return marker

    def error(self, message: str, key: str) -> str:
        if key not in self.state.errors:
            self.state.errors.append(key)
        return f'<span class="error">{message}</span>'

    def count_include(self, size: int) -> bool:
        """Add `size` to the post-expand include size; False once over the limit."""
        state = self.state
        if state.include_size + size > self.max_include:
            if "post-expand-include-size" not in state.errors:
                state.errors.append("post-expand-include-size")
            return False
        state.include_size += size
        return True

    def count_time_chars(self, fmt: str) -> bool:
        """Count a {{#time:}} format; False once the page's formats are over the limit."""
        self.state.time_chars += len(fmt.encode("utf-8", "replace"))
        return self.state.time_chars <= limits.MAX_TIME_CHARS

    def over_include_limit(self) -> bool:
        return "post-expand-include-size" in self.state.errors

    def expensive(self) -> bool:
        """Count one expensive parser function call; False once over the limit."""
        self.state.expensive_calls += 1
        if self.state.expensive_calls <= self.max_expensive:
            return True
        if "expensive-parserfunction" not in self.state.errors:
            self.state.errors.append("expensive-parserfunction")
        return False

    def title(self, text: str, default_ns: int = 0) -> TitleLike | None:
        key = (text, default_ns)
        cache = self.state.title_cache
        if key in cache:
            return cache[key]
        title = cache[key] = parse_title(self.ctx, text, default_ns)
        return title

    def escape(self, text: str) -> str:
        return escape_wikitext(text)
