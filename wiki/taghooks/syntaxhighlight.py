"""<syntaxhighlight lang=...> and <source> with Pygments, in the shape of MediaWiki's
SyntaxHighlight extension: `line`, `start=`, `highlight=`, `inline`, `class`, `dir`; an unknown
language or code over the size limit is shown as plain text in the same frame."""

from __future__ import annotations

import html
import re

from pygments import highlight as pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CSS_CLASS = "mw-highlight"
ERROR_CATEGORY = "Pages with syntax highlighting errors"  # unknown language, code over the limit
MAX_BYTES = 102_400  # SyntaxHighlight's HIGHLIGHT_MAX_BYTES: larger code is shown unhighlighted
MAX_LINES = 1000  # at most this many highlighted lines (HIGHLIGHT_MAX_LINES)
_WRAPPED = re.compile(r'^<div class="?mw-highlight"?>(.*)</div>$', re.S)
_LINENO = re.compile(r'<span class="linenos">\s*([^<]*?)\s*</span>')
_CLASS = re.compile(r"^[\w\s-]*$")


def lexer_for(lang: str | None) -> tuple[str, Lexer] | None:
    """(lower-cased name, Pygments lexer) for a language name, or None when unknown."""
    if not lang:
        return None
    name = lang.strip().lower()
    try:
        return name, get_lexer_by_name(name, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_lines(spec: str) -> list[int]:
    """The line numbers of `highlight="1,4-6"` (at most MAX_LINES)."""
    lines: list[int] = []
    for value in (v.strip() for v in spec.split(",")):
        if value.isascii() and value.isdigit():
            lines.append(int(value))
        elif "-" in value:
            first, _, last = value.partition("-")
            start, end = _intval(first), _intval(last)
            if 0 < start < end and end - start < MAX_LINES:
                lines.extend(range(start, end + 1))
        if len(lines) > MAX_LINES:
            return lines[:MAX_LINES]
    return lines


def _intval(text: str) -> int:
    m = re.match(r"\s*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def highlight(content: str, attrs: dict[str, str]) -> tuple[str, list[str]]:
    """The HTML of one <syntaxhighlight> tag, and its tracking category when it fell back to text."""
    code = re.sub(r"^\n+", "", content.rstrip())
    inline = "inline" in attrs or attrs.get("enclose") == "none"
    lines = "line" in attrs
    found = lexer_for(attrs.get("lang"))
    if inline:
        code = code.strip()
    failed = found is None and "lang" in attrs
    if len(code.encode("utf-8")) > MAX_BYTES:
        found, failed = None, True
    body = _plain(code, inline) if found is None else _pygments(code, found[1], attrs, inline, lines)
    classes = [attrs["class"]] if _CLASS.match(attrs.get("class", "x")) and attrs.get("class") else []
    classes.append(CSS_CLASS)
    if found is not None:
        classes.append(f"{CSS_CLASS}-lang-{found[0]}")
    direction = "rtl" if attrs.get("dir") == "rtl" else "ltr"
    classes.append(f"mw-content-{direction}")
    if lines:
        classes.append(f"{CSS_CLASS}-lines")
    opening = f'class="{html.escape(" ".join(classes))}" dir="{direction}"'
    if attrs.get("style"):  # the renderer checks it as it checks wikitext styles
        opening += f' style="{html.escape(attrs["style"])}"'
    tracking = [ERROR_CATEGORY] if failed else []
    if inline:
        return f"<code {opening}>{body.strip().replace(chr(10), ' ')}</code>", tracking
    return f"<div {opening}>{body}</div>", tracking


def _plain(code: str, inline: bool) -> str:
    escaped = html.escape(code, quote=False)
    return escaped if inline else f"<pre>{escaped}</pre>"


def _pygments(code: str, lexer: Lexer, attrs: dict[str, str], inline: bool, lines: bool) -> str:
    if not code:
        return ""
    options: dict[str, object] = {"cssclass": CSS_CLASS}
    if lines:
        options["linenos"] = "inline"
    marked = highlight_lines(attrs.get("highlight", ""))
    if marked:
        options["hl_lines"] = marked
    start = attrs.get("start", "")
    if start.isascii() and start.isdigit():
        options["linenostart"] = int(start)
    if inline:
        options["nowrap"] = True
    out = pygmentize(code, lexer, HtmlFormatter(**options))
    if lines:
        out = _LINENO.sub(
            lambda m: f'<span class="linenos" data-line="{html.escape(m.group(1))}"></span>', out
        )
    if inline:
        return out
    m = _WRAPPED.match(out.strip())
    return m.group(1).strip() if m else _plain(code, inline)
