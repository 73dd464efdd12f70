"""The wiki's statistics, as Special:Statistics and meta=siteinfo&siprop=statistics show them.

MediaWiki's definitions: an article is a page of the main namespace that is not a redirect and
links to at least one page ($wgArticleCountMethod = "link"); an active user made an edit in the
last 30 days ($wgActiveUserDays); files are the pages of the File namespace.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import distinct, func

from wiki import titles
from wiki.access import groups
from wiki.extensions import db
from wiki.models import Page, PageLink, Revision, User, utcnow

ACTIVE_DAYS = 30


def counts() -> dict[str, int]:
    """pages, articles, edits, images, users, activeusers, admins (MediaWiki's keys and order)."""
    count = func.count(Page.id)
    articles = db.select(count).where(
        Page.namespace == titles.MAIN,
        Page.is_redirect.is_(False),
        db.select(PageLink.from_id).where(PageLink.from_id == Page.id).exists(),
    )
    since = utcnow() - timedelta(days=ACTIVE_DAYS)
    active = db.select(func.count(distinct(Revision.user_id))).where(
        Revision.user_id.is_not(None), Revision.timestamp >= since
    )
    return {
        "pages": db.session.scalar(db.select(count)) or 0,
        "articles": db.session.scalar(articles) or 0,
        "edits": db.session.scalar(db.select(func.count(Revision.id))) or 0,
        "images": db.session.scalar(db.select(count).where(Page.namespace == titles.FILE)) or 0,
        "users": db.session.scalar(db.select(func.count(User.id))) or 0,
        "activeusers": db.session.scalar(active) or 0,
        "admins": len(groups.members("sysop")),
    }
