"""Rollback: revert all consecutive top edits of the page's last editor in one save (MediaWiki's
WikiPage::commitRollback), refused whole when someone else edited first."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased

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


def streaks(latest: Collection[int], limit: int = 10) -> dict[int, Streak]:
    """By page id, the streaks of the pages whose latest revision is one of `latest` (a list's
    revisions: the others are no page's top edit) that a rollback could revert (someone else edited
    before them), in one query: per page its top editor, the newest revision by anyone else, and how
    many revisions came after that one (a row per page, however long the streaks)."""
    if not latest:
        return {}
    top, other, after = aliased(Revision), aliased(Revision), aliased(Revision)
    earlier = (
        select(other.id)
        .where(other.page_id == Page.id, other.user_text != top.user_text)
        .order_by(other.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    picked = (
        select(Page.id.label("page_id"), Page.latest.label("latest"), top.user_text.label("user"),
               earlier.label("earlier"))
        .join(top, top.id == Page.latest)
        .where(values_in(Page.latest, set(latest)))
        .subquery()
    )  # fmt: skip
    count = (
        select(func.count(after.id))
        .where(after.page_id == picked.c.page_id, after.id > picked.c.earlier)
        .scalar_subquery()
    )
    query = select(picked.c.page_id, picked.c.latest, picked.c.user, count).where(
        picked.c.earlier.is_not(None)
    )
    return {
        page_id: Streak(rev_id, user, min(int(n), limit + 1))
        for page_id, rev_id, user, n in db.session.execute(query)
    }
