"""Extension tags rendered with third-party libraries, outside the pure renderer.

`HOOKS` maps a tag name to `hook(content, attributes) -> HTML or (HTML, tracking categories)`;
wiki.site hands them to the
renderer through SiteSettings.tag_hooks, and the renderer filters what they return
(wiki.markup.exttags.safe_html). <syntaxhighlight>/<source> use Pygments as MediaWiki's
SyntaxHighlight extension does; <math> turns LaTeX into MathML with latex2mathml.
"""

from __future__ import annotations

from collections.abc import Callable

from wiki.taghooks.math import render_math
from wiki.taghooks.syntaxhighlight import highlight

TagHook = Callable[[str, dict[str, str]], str | tuple[str, list[str]]]

HOOKS: dict[str, TagHook] = {
    "syntaxhighlight": highlight,
    "source": highlight,
    "math": render_math,
}
