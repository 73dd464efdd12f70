"""Redirect detection: `#REDIRECT [[Target]]` at the start of the text (any case, optional colon)."""

from __future__ import annotations

import re

_REDIRECT = re.compile(r"\A\s*#redirect\s*:?\s*\[\[([^\]\[|\n]+)(?:\|[^\]\n]*)?\]\]", re.I)


def redirect_target(text: str) -> str | None:
    """The link target of a redirect page (may include a #fragment), or None."""
    match = _REDIRECT.match(text)
    if not match:
        return None
    target = match.group(1).strip()
    return target or None
