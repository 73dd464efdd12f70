"""The ParserFunctions extension: #if, #ifeq, #iferror, #ifexpr, #expr, #switch, #ifexist,
#time, #timel, #rel2abs, #titleparts.

Branches are expanded lazily: only the branch taken is expanded, as in MediaWiki, so a
template in the branch not taken is never transcluded.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from wiki.markup.preprocessor import expr, timefmt
from wiki.markup.preprocessor.names import PHP_WS

if TYPE_CHECKING:
    from wiki.markup.preprocessor.expander import Expander, Frame
    from wiki.markup.preprocessor.tree import Arg, Node

_ERROR = re.compile(r'<(?:strong|span|p|div)\s(?:[^\s>]*\s+)*?class="(?:[^"\s>]*\s+)*?error(?:\s[^">]*)?"')
_NUMERIC = re.compile(r"^[ \t\n\r\x0b\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\x0b\f]*$")


def _branch(ex: Expander, frame: Frame, args: list[Arg], n: int) -> str:
    if n >= len(args):
        return ""
    return ex.expand(args[n].nodes(), frame).strip(PHP_WS)


def _decoded(ex: Expander, frame: Frame, nodes: list[Node]) -> tuple[str, str]:
    """(decoded and trimmed, trimmed) expansion of `nodes`."""
    expanded = ex.expand(nodes, frame)
    return html.unescape(expanded).strip(PHP_WS), expanded.strip(PHP_WS)


def loose_equal(a: str, b: str) -> bool:
    """PHP 8's `==` on two strings: numeric strings compare as numbers."""
    if _NUMERIC.match(a) and _NUMERIC.match(b):
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return a == b


def if_(ex: Expander, frame: Frame, test: str, args: list[Arg]) -> str:
    return _branch(ex, frame, args, 0 if test else 1)


def ifeq(ex: Expander, frame: Frame, first: str, args: list[Arg]) -> str:
    left = html.unescape(first).strip(PHP_WS)
    right = _decoded(ex, frame, args[0].nodes())[0] if args else ""
    return _branch(ex, frame, args, 1 if loose_equal(left, right) else 2)


def iferror(ex: Expander, frame: Frame, test: str, args: list[Arg]) -> str:
    if _ERROR.search(test):
        return _branch(ex, frame, args, 0)
    if len(args) < 2:
        return test
    return _branch(ex, frame, args, 1)


def expr_(ex: Expander, frame: Frame, text: str, args: list[Arg]) -> str:
    try:
        return expr.evaluate(text)
    except expr.ExprError as e:
        return f'<strong class="error">{html.escape(str(e), quote=False)}</strong>'


def ifexpr(ex: Expander, frame: Frame, text: str, args: list[Arg]) -> str:
    try:
        result = expr.evaluate(text)
    except expr.ExprError as e:
        return f'<strong class="error">{html.escape(str(e), quote=False)}</strong>'
    try:
        truth = bool(float(result)) if result else False
    except ValueError:
        truth = bool(result)
    return _branch(ex, frame, args, 0 if truth else 1)


def switch(ex: Expander, frame: Frame, first: str, args: list[Arg]) -> str:
    primary = html.unescape(first).strip(PHP_WS)
    found = default_found = False
    default = None
    last_no_equals = False
    last_item = ""
    for arg in args:
        if arg.name is not None:
            last_no_equals = False
            if found:
                return ex.expand(arg.value, frame).strip(PHP_WS)
            test = _decoded(ex, frame, arg.name)[0]
            if loose_equal(test, primary):
                return ex.expand(arg.value, frame).strip(PHP_WS)
            if default_found or test.lower() == "#default":
                default = arg.value
                default_found = False
        else:
            last_no_equals = True
            test, last_item = _decoded(ex, frame, arg.value)
            if loose_equal(test, primary):
                found = True
            elif test.lower() == "#default":
                default_found = True
    if last_no_equals:
        return last_item
    if default is not None:
        return ex.expand(default, frame).strip(PHP_WS)
    return ""


def ifexist(ex: Expander, frame: Frame, name: str, args: list[Arg]) -> str:
    title = ex.title(name, 0)
    exists = False
    if title is not None and not title.interwiki:
        key = title.prefixed_text
        cache = ex.state.existence
        if key in cache:
            exists = cache[key]
        elif title.namespace == -1:
            exists = key.split(":", 1)[1].lower() in getattr(ex.ctx.site, "special_pages", ())
        elif ex.expensive():
            try:
                exists = key in ex.ctx.existing_titles([key])
            except Exception:  # noqa: BLE001 - unknown existence reads as missing
                exists = False
            cache[key] = exists
    return _branch(ex, frame, args, 0 if exists else 1)


def time(ex: Expander, frame: Frame, fmt: str, args: list[Arg]) -> str:
    when = ex.expand(args[0].nodes(), frame).strip(PHP_WS) if args else ""
    # Repeated calls are answered from the page's cache and not counted again, as in MediaWiki.
    cache = ex.state.time_results
    result = cache.get((fmt, when))
    if result is None:
        result = cache[(fmt, when)] = timefmt.format_time(fmt, when, ex.ctx.site.clock(), ex.count_time_chars)
    return result


def rel2abs(ex: Expander, frame: Frame, path: str, args: list[Arg]) -> str:
    base = ex.expand(args[0].nodes(), frame).strip(PHP_WS) if args else ""
    base = base or ex.ctx.title.prefixed_text
    if not path.startswith(("/", "./", "../")) and path not in (".", ".."):
        return path
    parts = base.split("/") if path.startswith((".", "/")) else []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return (
                    '<strong class="error">Error: Invalid depth in path: "'
                    + html.escape(path, quote=False)
                    + '" (tried to access a node above the root node).</strong>'
                )
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def titleparts(ex: Expander, frame: Frame, name: str, args: list[Arg]) -> str:
    values = [ex.expand(a.nodes(), frame).strip(PHP_WS) for a in args[:2]]
    count = int(values[0]) if values and re.fullmatch(r"-?\d+", values[0] or "") else 0
    first = int(values[1]) if len(values) > 1 and re.fullmatch(r"-?\d+", values[1]) else 0
    title = ex.title(name, 0)
    if title is None:
        return name
    parts = title.prefixed_text.split("/", 25)
    start = first - 1 if first > 0 else (len(parts) + first if first < 0 else 0)
    start = max(start, 0)
    chosen = parts[start:]
    if count > 0:
        chosen = chosen[:count]
    elif count < 0:
        chosen = chosen[:count]
    return "/".join(chosen)


FUNCTIONS = {
    "#if": if_,
    "#ifeq": ifeq,
    "#iferror": iferror,
    "#expr": expr_,
    "#ifexpr": ifexpr,
    "#switch": switch,
    "#ifexist": ifexist,
    "#time": time,
    "#timel": time,
    "#rel2abs": rel2abs,
    "#titleparts": titleparts,
}
