"""Rollback: revert all consecutive top edits of the page's last editor in one save (MediaWiki's
WikiPage::commitRollback), refused whole when someone else edited first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select, true, update

from wiki import recent, titles
from wiki.extensions import db
from wiki.inlists import values_in
from wiki.models import Page, RecentChange, Revision
from wiki.pages import reads, revisions
from wiki.pages.save import save

# The summary MediaWiki 1.39 writes (its "revertpage" message); $1 is the restored revision's
# editor, $2 the editor whose edits are reverted.
SUMMARY = (
    "Reverted edits by [[Special:Contributions/{bad}|{bad}]] ([[User talk:{bad}|talk]]) "
    "to last revision by [[User:{good}|{good}]]"
)
# How many of the last editor's revisions one rollback may step over (bounded work per request).
MAX_REVERTED = 10_000


class RollbackError(Exception):
    """Nothing was rolled back; `code` is MediaWiki's API error code."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(info)
        self.code = code


@dataclass
class RolledBack:
    page: Page
    revision: Revision  # the new revision (the rollback)
    restored: Revision  # the older revision whose text was restored
    last: Revision  # the reverted top revision
    summary: str


def rollback(
    title: titles.Title,
    user_text: str,
    *,
    actor: revisions.Actor,
    summary: str = "",
    markbot: bool = False,
    flags: recent.Flags = recent.PLAIN,
) -> RolledBack:
    """Restore the text of the newest revision not by `user_text`; RollbackError when impossible.

    `markbot` also hides the reverted edits and the rollback from recent changes as bot edits."""
    page = reads.get(title)
    top = reads.latest(page) if page is not None else None
    if page is None or top is None:
        raise RollbackError("missingtitle", "The page you specified doesn't exist.")
    if top.user_text != user_text:
        raise RollbackError(
            "alreadyrolled",
            f"Cannot rollback last edit of {title.prefixed_text} by {user_text}; someone else has edited "
            f"or rolled back the page already. The last edit to the page was by {top.user_text}.",
        )
    restored = db.session.scalars(
        select(Revision)
        .where(Revision.page_id == page.id, Revision.id < top.id, Revision.user_text != user_text)
        .order_by(Revision.id.desc())
        .limit(1)
    ).first()
    if restored is None:
        raise RollbackError("onlyauthor", "The page you tried to rollback only has one author.")
    reverted = db.session.scalars(
        select(Revision.id)
        .where(Revision.page_id == page.id, Revision.id > restored.id)
        .limit(MAX_REVERTED + 1)
    ).all()
    if len(reverted) > MAX_REVERTED:
        raise RollbackError(
            "cantrollback", f"More than {MAX_REVERTED:,} edits to revert; edit the page instead."
        )
    text = summary or SUMMARY.format(bad=user_text, good=restored.user_text)
    top_id = top.id

    def mark_bot(_page: Page, _rev: Revision) -> None:
        if markbot:
            db.session.execute(update(RecentChange).where(RecentChange.rev_id.in_(reverted)).values(bot=True))

    marked = replace(flags, bot=flags.bot or markbot, tags=(*flags.tags, "mw-rollback"))
    result = save(
        title,
        restored.text,
        actor=actor,
        summary=text,
        minor=True,
        base_rev_id=top_id,
        flags=marked,
        merge=False,
        also=mark_bot,
    )
    if result.status == "nochange":
        raise RollbackError("alreadyrolled", "The page already has the text of the revision to restore.")
    if not result.ok or result.revision is None or result.page is None:
        raise RollbackError(
            "alreadyrolled",
            f"Cannot rollback last edit of {title.prefixed_text} by {user_text}; someone else has edited "
            "or rolled back the page already.",
        )
    return RolledBack(result.page, result.revision, restored, top, text)


@dataclass(frozen=True)
class Streak:
    """The last editor of a page and how many consecutive top edits are theirs (up to the limit
    asked + 1, "more than"), with the page's latest revision: what a rollback link says."""

    latest: int
    user: str
    count: int


def streak(page: Page, limit: int = 10) -> tuple[str, int]:
    """(the last editor, how many consecutive top edits are theirs), counted up to `limit` + 1."""
    found = _streak([(r.id, r.user_text) for r in _last_revisions(page.id, limit + 2)], limit)
    return (found.user, found.count) if found is not None else ("", 0)


def streaks(page_ids: Collection[int], limit: int = 10) -> dict[int, Streak]:
    """The streaks of these pages that a rollback could revert (someone else edited before them),
    with one query on PostgreSQL (each page's last `limit` + 2 revisions, LATERAL)."""
    ids = sorted(set(page_ids))
    out: dict[int, Streak] = {}
    if not ids:
        return out
    if db.engine.dialect.name == "postgresql":
        wanted = select(Page.id.label("page_id")).where(values_in(Page.id, ids)).subquery()
        last = (
            select(Revision.id, Revision.user_text)
            .where(Revision.page_id == wanted.c.page_id)
            .order_by(Revision.id.desc())
            .limit(limit + 2)
            .lateral()
        )
        rows: dict[int, list[tuple[int, str]]] = {}
        query = select(wanted.c.page_id, last.c.id, last.c.user_text).select_from(wanted).join(last, true())
        for page_id, rev_id, user in db.session.execute(query.order_by(wanted.c.page_id, last.c.id.desc())):
            rows.setdefault(page_id, []).append((rev_id, user))
    else:  # SQLite: a few indexed reads each, in process
        rows = {pid: [(r.id, r.user_text) for r in _last_revisions(pid, limit + 2)] for pid in ids}
    for page_id, revisions_ in rows.items():
        found = _streak(revisions_, limit)
        if found is not None and found.count < len(revisions_):  # an earlier editor to restore
            out[page_id] = found
    return out


def _last_revisions(page_id: int, count: int) -> list[Any]:
    query = select(Revision.id, Revision.user_text).where(Revision.page_id == page_id)
    return list(db.session.execute(query.order_by(Revision.id.desc()).limit(count)))


def _streak(newest_first: list[tuple[int, str]], limit: int) -> Streak | None:
    if not newest_first:
        return None
    latest, user = newest_first[0]
    count = 0
    for _rev, name in newest_first:
        if name != user:
            break
        count += 1
    return Streak(latest, user, min(count, limit + 1))
