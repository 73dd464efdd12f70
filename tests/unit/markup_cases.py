"""Shared helper for the table-driven markup tests: render on the parser-test site."""

from __future__ import annotations

from tests.conformance.adapter import context, render
from wiki.markup import render as render_markup

WRAP = ('<div class="mw-parser-output">', "</div>")


def html(wikitext: str, title: str = "Parser test", articles: dict | None = None) -> str:
    """The HTML inside the mw-parser-output wrapper."""
    out = render(wikitext, title=title, articles=articles or {})
    assert out.startswith(WRAP[0]) and out.endswith(WRAP[1])
    return out[len(WRAP[0]) : -len(WRAP[1])]


def rendered(wikitext: str, title: str = "Parser test", articles: dict | None = None):
    return render_markup(wikitext, context(title, articles or {}))
