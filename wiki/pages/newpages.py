"""Special:NewPages' query: page creations still in recent changes, newest first, keyset paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wiki import recent
from wiki.extensions import db
from wiki.models import Page, RecentChange


@dataclass(frozen=True)
class NewPagesFilter:
    namespace: int | None = None
    user: str | None = None
    hide_patrolled: bool = False
    hide_bots: bool = True
    hide_redirects: bool = True


def new_pages(
    keep: NewPagesFilter, *, before_id: int | None = None, limit: int = 50
) -> list[tuple[RecentChange, Page]]:
    """Up to `limit` + 1 creations (the extra row says a next page exists) of pages that still exist."""
    query = (
        select(RecentChange, Page)
        .join(Page, Page.id == RecentChange.page_id)
        .where(RecentChange.type == "new")
    )
    if keep.namespace is not None:
        query = query.where(RecentChange.namespace == keep.namespace)
    if keep.user:
        query = query.where(RecentChange.user_text == keep.user)
    if keep.hide_patrolled:
        query = query.where(RecentChange.patrolled == recent.UNPATROLLED)
    if keep.hide_bots:
        query = query.where(RecentChange.bot.is_(False))
    if keep.hide_redirects:
        query = query.where(Page.is_redirect.is_(False))
    if before_id is not None:
        query = query.where(RecentChange.id <= before_id)
    rows = db.session.execute(query.order_by(RecentChange.id.desc()).limit(limit + 1))
    return [(rc, page) for rc, page in rows]
