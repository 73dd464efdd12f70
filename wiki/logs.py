"""The log of page and user actions (moves, deletions, protections, blocks): Special:Log's table."""

from __future__ import annotations

import json

from .extensions import db
from .models import LogEntry


def record(
    type_: str,
    action: str,
    *,
    namespace: int,
    title: str,
    actor,
    comment: str = "",
    page_id: int | None = None,
    params: dict | None = None,
) -> LogEntry:
    """Add a log entry (in the caller's transaction); `title` is a dbkey, `actor` a pages.Actor."""
    entry = LogEntry(
        type=type_,
        action=action,
        namespace=namespace,
        title=title,
        page_id=page_id,
        user_id=actor.user_id,
        user_text=actor.name,
        comment=comment[:767],
        params=json.dumps(params or {}),
    )
    db.session.add(entry)
    return entry
