"""Preprocessor: comments, templates, arguments, parser functions, magic words.

`expand(text, ctx, state)` is MediaWiki's preprocessor for HTML output:

1. `scan.build` turns the text into nodes (templates {{ }}, arguments {{{ }}}, comments,
   extension tags such as <nowiki> and <pre>, include-control tags, heading lines);
2. `expander.Expander` expands them in frames: templates come from `ctx.template_text`,
   parser functions from `parserfunctions`, magic variables from `magicwords`;
3. the extension tags, hidden behind strip markers during expansion so that functions
   such as {{lc:}} leave them alone, are put back as written.

What the page transcluded is recorded in `state`: `templates` (prefixed titles, in order),
`default_sort`, `display_title`, `errors` (limits hit). Parsed template trees, fetched texts
and expansions of templates called without arguments are cached in `state` for the render.

Unsupported on purpose: `{{subst:}}` (left as written, as MediaWiki does when rendering),
transclusion of special pages (a link instead) and interwiki transclusion (left as text).
"""

from __future__ import annotations

import re

from wiki.markup.context import RenderContext
from wiki.markup.limits import RenderLimitExceeded
from wiki.markup.preprocessor.expander import MARKER_PREFIX, Expander
from wiki.markup.state import ParseState

_NEEDS_WORK = re.compile(r"\{\{|<!--|</?(?:noinclude|includeonly|onlyinclude)", re.IGNORECASE)
_HEADING_LINE = re.compile(r"(?:^|\n)=")
_MARKER = re.compile(r"\x7f'\"`UNIQ--([a-z0-9-]+?)-[0-9A-F]{8}-QINU`\"'\x7f")
# Markers of this kind hold HTML comments the preprocessor adds (MediaWiki's insertStripItem):
# they stay markers until the render's own strip state puts them back as HTML.
COMMENT = "comment"
_MAX_UNSTRIP_ROUNDS = 20


def expand(text: str, ctx: RenderContext, state: ParseState, keep_tags: bool = False) -> str:
    """Expand templates and remove comments; extension tags such as <nowiki> stay in place.

    With `keep_tags` the extension tags stay behind their markers (`state.strip_items` maps each
    to its source; a marker's number is the order in which MediaWiki would call the tag's hook).
    """
    if not isinstance(text, str) or not text:
        return text if isinstance(text, str) else ""
    if state.page_size is None:
        state.page_size = len(text.encode("utf-8", "replace"))
    if not _NEEDS_WORK.search(text) and not (state.heading_markers and _HEADING_LINE.search(text)):
        return text
    try:
        expander = Expander(ctx, state)
        frame = expander.root_frame()
        out = expander.expand(expander.tree(text, False), frame)
        return out if keep_tags else unstrip(out, state)
    except RenderLimitExceeded:
        raise
    except RecursionError:
        state.errors.append("recursion")
        return '<span class="error">Expansion depth limit exceeded</span>'
    except Exception:  # noqa: BLE001 - a page must always render; show it unexpanded
        state.errors.append("preprocessor-failure")
        return text


def unstrip(text: str, state: ParseState) -> str:
    """Put back what strip markers stand for (extension tags, as written), but HTML comments."""
    items = state.strip_items
    if not items or MARKER_PREFIX not in text:
        return text
    for _ in range(_MAX_UNSTRIP_ROUNDS):
        new = _MARKER.sub(
            lambda m: items.get(m.group(0), m.group(0)) if m.group(1) != COMMENT else m.group(0), text
        )
        if new == text:
            break
        text = new
    return text
