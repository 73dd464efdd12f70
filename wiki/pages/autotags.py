"""The change tags the software puts on an edit by looking at it (MediaWiki's getChangeTag)."""

from __future__ import annotations

from wiki import site
from wiki.markup import redirect

# An edit that leaves a tenth of the text and under 500 bytes "replaced" it (MediaWiki's threshold).
REPLACE_RATIO, REPLACE_MAX_BYTES = 10, 500
MANUAL_REVERT_RADIUS = (
    15  # revisions searched for an identical text (MediaWiki's $wgManualRevertSearchRadius)
)


def for_edit(old_text: str | None, new_text: str) -> tuple[str, ...]:
    """mw-new-redirect, mw-removed-redirect, mw-changed-redirect-target, mw-blank, mw-replace."""
    old_target = _target(old_text) if old_text is not None else None
    new_target = _target(new_text)
    tags: list[str] = []
    if new_target is not None and old_target is None:
        tags.append("mw-new-redirect")
    elif old_target is not None and new_target is None:
        tags.append("mw-removed-redirect")
    elif old_target is not None and new_target is not None and old_target != new_target:
        tags.append("mw-changed-redirect-target")
    if old_text:
        old_size, new_size = len(old_text.encode("utf-8")), len(new_text.encode("utf-8"))
        if new_size == 0:
            tags.append("mw-blank")
        elif old_size > REPLACE_RATIO * new_size and new_size < REPLACE_MAX_BYTES:
            tags.append("mw-replace")
    return tuple(tags)


def _target(text: str) -> str | None:
    title = redirect.target(text, site.parse_title)
    return title.prefixed_text if title is not None else None
