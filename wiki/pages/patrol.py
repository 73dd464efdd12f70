"""Patrolling: marking a recent change as checked, logged in the patrol log (not itself listed in
recent changes, as MediaWiki publishes patrol entries)."""

from __future__ import annotations

from sqlalchemy import select

from wiki import logs, recent
from wiki.extensions import db
from wiki.models import RecentChange
from wiki.pages import revisions


class PatrolError(Exception):
    """Nothing was marked; `code` is MediaWiki's API error code."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(info)
        self.code = code


def change_of_revision(rev_id: int) -> RecentChange | None:
    """The recent-changes row of a revision (None once it has aged out of the table)."""
    return db.session.scalars(select(RecentChange).where(RecentChange.rev_id == rev_id).limit(1)).first()


def mark(change: RecentChange, actor: revisions.Actor, *, may_patrol_own: bool) -> bool:
    """Mark `change` patrolled and log it; False when it already was (nothing logged).

    Users may not patrol their own edits unless they have the autopatrol right (`may_patrol_own`)."""
    if change.type == "log":
        raise PatrolError("notpatrollable", "Logged actions cannot be patrolled.")
    if change.patrolled != recent.UNPATROLLED:
        return False
    if change.user_text == actor.name and not may_patrol_own:
        raise PatrolError("noautopatrol", "You don't have permission to mark your own changes as patrolled.")
    change.patrolled = recent.PATROLLED
    logs.record(
        "patrol",
        "patrol",
        namespace=change.namespace,
        title=change.title,
        actor=actor,
        page_id=change.page_id,
        params={"curid": change.rev_id, "previd": change.old_rev_id or 0, "auto": 0},
        rc=False,
    )
    db.session.commit()
    return True
