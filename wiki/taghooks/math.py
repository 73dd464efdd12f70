"""<math> as MathML (latex2mathml), in the shape of MediaWiki's Math extension in MathML mode;
input it cannot read gets Math's error box ("Failed to parse (syntax error): ...")."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

ERROR_CATEGORY = "Pages with math errors"
MAX_TEX = 20_000  # characters of one formula; longer input gets the error box
_UNKNOWN = re.compile(r"<mi>(\\[A-Za-z]+)</mi>")
_NOT_TEXVC = re.compile(r"\\(href|url)\b")  # links: commands MediaWiki's texvc does not know
_DISPLAY = re.compile(r"(<math[^>]*?)\s(?:display|mode)=[\"'](?:inline|block)[\"']")


def render_math(content: str, attrs: dict[str, str]) -> tuple[str, list[str]]:
    """The HTML of one <math> tag, and the tracking category of an error."""
    tex = content.strip()
    block = attrs.get("display") == "block"
    if not tex:
        return _error(tex, "empty input")
    if len(tex) > MAX_TEX or not _balanced(tex):
        return _error(tex, "syntax error")
    try:
        mathml = convert(tex)
    except Exception:  # noqa: BLE001 - the converter raises many kinds for bad input
        return _error(tex, "syntax error")
    unknown = _NOT_TEXVC.search(tex) or _UNKNOWN.search(mathml)
    if unknown:
        name = unknown.group(1) if unknown.group(1).startswith("\\") else "\\" + unknown.group(1)
        return _error(tex, f'unknown function "{name}"')
    mathml = _DISPLAY.sub(r"\1", mathml, count=1)
    mathml = mathml.replace("<math", f'<math alttext="{html.escape(tex)}"', 1)
    if block:
        mathml = mathml.replace("<math", '<math display="block"', 1)
    element, style = ("div", "display") if block else ("span", "inline")
    inner = f'<{element} class="mwe-math-mathml-{style} mwe-math-mathml-a11y">{mathml}</{element}>'
    return f'<{element} class="mwe-math-element">{inner}</{element}>', []


def _balanced(tex: str) -> bool:
    depth = 0
    escaped = False
    for ch in tex:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _error(tex: str, reason: str) -> tuple[str, list[str]]:
    source = html.escape(tex.replace("\n", " ")[:MAX_TEX], quote=False)
    reason = html.escape(reason, quote=False)
    return f'<strong class="error texerror">Failed to parse ({reason}): {source}</strong>', [ERROR_CATEGORY]
