"""Shared helpers for the markup tests: render on the parser-test site; the pathological inputs
of issue 16 (used by tests/unit/test_markup_limits.py and bench/pathological_render.py)."""

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


def nested_int(depth: int) -> str:
    """{{int:{{int:...x...}}}}, `depth` levels deep."""
    text = "x"
    for _ in range(depth):
        text = "{{int:" + text + "}}"
    return text


# Inputs that cost 5-30 s of CPU per render before the render limits (wiki.markup.limits).
PATHOLOGICAL = {
    "{{int:}} nested 40 deep": nested_int(40),
    "{{#time:}} with a 1 MB format": "{{#time:" + "Y" * 1_000_000 + "}}",
    "200,000 headings": "== h ==\n" * 200_000,
    "200,000 headings from a template": "{{H}}" * 2_000,
    "2 MiB of *": "*" * (2 * 1024 * 1024),
    "100,000 <ref>": "<ref>a</ref>" * 100_000 + "\n<references/>",
    "420,000 [[A]]": "[[A]]" * 420_000,
}
PATHOLOGICAL_TEMPLATES = {"Template:H": "=a=\n" * 100}
