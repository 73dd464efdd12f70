"""A page revision written inside another service's transaction: a file page beside its upload.

An upload's file, version row, file page revision, links and log entry commit together or not at
all, so the file service opens the write transaction (`locks.write`) and calls `write` in it; this
module writes the revision through the same functions a save uses (revisions.make, derive.derive).
"""

from __future__ import annotations

from wiki import titles
from wiki.extensions import db
from wiki.models import Page, Revision
from wiki.pages import derive, locks, revisions
from wiki.pages.save import normalise_text


def write(
    title: titles.Title, text: str, actor: revisions.Actor, *, summary: str, null_if_exists: bool = False
) -> tuple[Page, Revision, bool]:
    """Add a revision of `title` with `text` in the caller's write transaction (which holds the
    title's lock: `locks.begin_write`); returns (page, revision, created). `null_if_exists`: an
    existing page keeps its text and gets a null revision carrying `summary` (a new file version,
    or a file uploaded under a description page written before it, as MediaWiki keeps it)."""
    page = locks.page_for_update(title)
    created = page is None
    if page is None:
        page = Page(namespace=title.namespace, title=title.dbkey, latest=None, length=0)
        db.session.add(page)
        db.session.flush()
    elif null_if_exists and page.latest is not None:
        text = db.session.get_one(Revision, page.latest).text
    rev = revisions.make(page, normalise_text(text), actor, comment=summary, minor=False)
    derive.derive(page, title, rev, created=created)
    return page, rev, created
