"""<poem> as MediaWiki's Poem extension: each line break kept (<br />), leading spaces kept
(&#160;), ":" indentation as an indented span, the text parsed as wikitext in a div.poem."""

from __future__ import annotations

import re
from collections.abc import Callable

from wiki.markup.escape import escape_attr
from wiki.markup.html.sanitizer import decode_tag_attributes, validate_attributes

_INDENT = re.compile(r"^(:+)(.+)$", re.M)
_BREAK = re.compile(r"(?<!^----)\n", re.M)
_LEADING = re.compile(r"^ +", re.M)


def render_poem(
    attrs: str, content: str | None, parse: Callable[[str], str], hide: Callable[[str], str]
) -> str:
    """The HTML of one <poem>: `parse` is the render's recursive parse, `hide` makes a strip marker."""
    params = decode_tag_attributes(attrs)
    newline = "" if "compact" in params else "\n"
    br = hide("<br />")
    text = _INDENT.sub(
        lambda m: f'<span class="mw-poem-indented" style="display: inline-block; '
        f'margin-inline-start: {len(m.group(1))}em;">{m.group(2)}</span>',
        content or "",
    )
    text = re.sub(r"^\n", "", text)
    text = re.sub(r"\n\Z", "", text)
    text = _BREAK.sub(br + "\n", text)
    text = _LEADING.sub(lambda m: "&#160;" * len(m.group(0)), text)
    text = parse(text).replace("<hr />" + br, "<hr />")
    kept = validate_attributes({k: v for k, v in params.items() if k != "compact"}, "div")
    kept["class"] = f"poem {kept['class']}" if kept.get("class") else "poem"
    attributes = "".join(f' {k}="{escape_attr(v)}"' for k, v in kept.items())
    return f"<div{attributes}>{newline}{text.strip()}{newline}</div>"
