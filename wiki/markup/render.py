"""Placeholder pipeline; the real one is being built (issue 3)."""

from __future__ import annotations

import html as _html

from .context import Rendered, RenderContext


def render(text: str, ctx: RenderContext) -> Rendered:
    """Render wikitext to HTML."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{_html.escape(p)}\n</p>" for p in paras)
    return Rendered(html=f'<div class="mw-parser-output">{body}</div>')
