"""Preprocessor: comments, templates, arguments, parser functions, magic words (stub)."""

from __future__ import annotations

import re

from .context import RenderContext
from .state import ParseState

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


def expand(text: str, ctx: RenderContext, state: ParseState) -> str:
    """Expand templates and remove comments; extension tags such as <nowiki> stay in place."""
    return _COMMENT.sub("", text)
