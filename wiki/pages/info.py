"""What action=info shows about a page: its facts, protection, edit history and templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import distinct, func

from wiki import titles
from wiki.extensions import db
from wiki.models import Page, Protection, Redirect, Revision, TemplateLink, utcnow

RECENT_DAYS = 90  # MediaWiki's $wgRCMaxAge for "recent number of edits"
MAX_TEMPLATES = 500  # templates listed (the count is exact)


@dataclass
class PageInfo:
    page: Page
    redirects_here: int
    protection: dict[str, tuple[str, datetime | None]]  # type -> (level, expiry)
    first: Revision | None
    latest: Revision | None
    edits: int
    authors: int
    recent_edits: int
    recent_authors: int
    templates: list[tuple[int, str]] = field(default_factory=list)
    template_count: int = 0


def of(page: Page, title: titles.Title) -> PageInfo:
    revs = db.select(Revision).where(Revision.page_id == page.id)
    first = db.session.scalars(revs.order_by(Revision.id).limit(1)).first()
    latest = db.session.get(Revision, page.latest) if page.latest else None
    since = utcnow() - timedelta(days=RECENT_DAYS)
    totals = db.session.execute(
        db.select(func.count(Revision.id), func.count(distinct(Revision.user_text))).where(
            Revision.page_id == page.id
        )
    ).one()
    recent = db.session.execute(
        db.select(func.count(Revision.id), func.count(distinct(Revision.user_text))).where(
            Revision.page_id == page.id, Revision.timestamp >= since
        )
    ).one()
    redirects = db.session.scalar(
        db.select(func.count(Redirect.page_id)).where(
            Redirect.namespace == title.namespace, Redirect.title == title.dbkey
        )
    )
    now = utcnow()
    protection = {
        row.type: (row.level, row.expiry)
        for row in db.session.scalars(db.select(Protection).where(Protection.page_id == page.id))
        if row.expiry is None or row.expiry > now
    }
    used = db.select(TemplateLink.namespace, TemplateLink.title).where(TemplateLink.from_id == page.id)
    templates = [
        (ns, t)
        for ns, t in db.session.execute(
            used.order_by(TemplateLink.namespace, TemplateLink.title).limit(MAX_TEMPLATES)
        )
    ]
    template_count = db.session.scalar(db.select(func.count()).select_from(used.subquery())) or 0
    return PageInfo(
        page=page,
        redirects_here=redirects or 0,
        protection=protection,
        first=first,
        latest=latest,
        edits=totals[0],
        authors=totals[1],
        recent_edits=recent[0],
        recent_authors=recent[1],
        templates=templates,
        template_count=template_count,
    )
