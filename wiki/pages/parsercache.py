"""Rendered HTML of each page's latest revision, kept in the database so every worker shares it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from wiki.extensions import db
from wiki.markup import Rendered
from wiki.models import ParserCache


def _markup_digest() -> str:
    """A digest of the renderer's source: a deploy that changes how pages render gets a new version,
    so HTML from the old renderer is never served, even if nobody bumps RENDER_VERSION by hand."""
    digest = hashlib.sha1()
    package = Path(__file__).parent.parent
    for folder in ("markup", "taghooks"):  # taghooks: the extension tags the wiki hands the renderer
        for path in sorted((package / folder).rglob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


# The manual part: bump it when the output changes for reasons outside wiki/markup (site settings).
RENDER_VERSION = "1-" + _markup_digest()


@dataclass
class CachedPage:
    html: str
    categories: list[tuple[str, str]] = field(default_factory=list)
    display_title: str | None = None
    headings: list[dict[str, Any]] = field(default_factory=list)


def get(page_id: int, rev_id: int) -> CachedPage | None:
    row = db.session.get(ParserCache, page_id)
    if row is None or row.rev_id != rev_id or row.render_version != RENDER_VERSION:
        return None
    meta = json.loads(row.meta or "{}")
    return CachedPage(
        html=row.html,
        categories=[tuple(c) for c in meta.get("categories", [])],
        display_title=meta.get("display_title"),
        headings=meta.get("headings", []),
    )


def to_cached(rendered: Rendered) -> CachedPage:
    return CachedPage(
        html=rendered.html,
        categories=list(rendered.categories),
        display_title=rendered.display_title,
        headings=[{"level": h.level, "text": h.text, "anchor": h.anchor} for h in rendered.headings],
    )


def put(page_id: int, rev_id: int, cached: CachedPage) -> None:
    meta = json.dumps(
        {
            "categories": cached.categories,
            "display_title": cached.display_title,
            "headings": cached.headings,
        }
    )
    row = db.session.get(ParserCache, page_id)
    if row is None:
        row = ParserCache(page_id=page_id)
        db.session.add(row)
    row.rev_id, row.render_version, row.html, row.meta = rev_id, RENDER_VERSION, cached.html, meta


def drop(page_id: int) -> None:
    db.session.execute(delete(ParserCache).where(ParserCache.page_id == page_id))
