"""Revisions: the one function that writes a revision row, and the one that makes it current.

Every writer calls them: a save, a move's null revision and the redirect it leaves, an
undeletion's restored revisions and a dump import.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from wiki.extensions import db
from wiki.models import Page, Revision, User, utcnow


@dataclass(frozen=True)
class Actor:
    """Who makes an edit or a logged action: an account, or an anonymous IP address. `bot`: its
    logged actions are bot actions in recent changes (hidden by hidebots), which the edge decides
    from the user's rights and the request (access.rights.bot_flag)."""

    name: str
    user_id: int | None = None
    bot: bool = False

    @classmethod
    def of(cls, user: User | None, ip: str, *, bot: bool = False) -> Actor:
        if user is not None and getattr(user, "is_authenticated", False):
            return cls(user.name, user.id, bot)
        return cls(ip or "127.0.0.1")


class LatestMoved(IntegrityError):
    """page.latest was not what the writer read: another writer got there first (retry)."""

    def __init__(self, page_id: int) -> None:
        super().__init__(f"page {page_id}: latest changed", None, Exception("compare-and-swap"))


def add(
    page_id: int,
    text: str,
    *,
    user_id: int | None,
    user_text: str,
    comment: str = "",
    minor: bool = False,
    timestamp: datetime | None = None,
    parent_id: int | None = None,
    rev_id: int | None = None,
    sha1: str | None = None,
    deleted: int = 0,
    size: int | None = None,
) -> int:
    """Insert one revision row in the caller's transaction and return its id.

    `rev_id` keeps an id (an undeletion restores revisions under their old ids); `size` is the
    text's, unless given (a dump's revision whose hidden text it does not carry). A Core INSERT:
    dump imports write revisions by the thousand, and the ORM's flush per row cost a third of it.
    """
    data = text.encode("utf-8")
    values = {
        "page_id": page_id,
        "parent_id": parent_id,
        "text": text,
        "sha1": sha1 or hashlib.sha1(data).hexdigest(),
        "size": len(data) if size is None else size,
        "comment": comment[:767],
        "user_id": user_id,
        "user_text": user_text[:255],
        "timestamp": timestamp or utcnow(),
        "minor": bool(minor),
        "deleted": deleted,
    }
    if rev_id is not None:
        values["id"] = rev_id
    result = db.session.connection().execute(insert(Revision.__table__).values(**values))
    return rev_id if rev_id is not None else result.inserted_primary_key[0]


def make(
    page: Page, text: str, actor: Actor, *, comment: str, minor: bool, timestamp: datetime | None = None
) -> Revision:
    """A new revision by `actor` on top of the page's current one, made current (compare-and-swap)."""
    rev_id = add(
        page.id,
        text,
        user_id=actor.user_id,
        user_text=actor.name,
        comment=comment,
        minor=minor,
        timestamp=timestamp,
        parent_id=page.latest,
    )
    rev = db.session.get_one(Revision, rev_id)
    advance(page, rev.id, rev.size, expected=page.latest)
    return rev


def advance(page: Page, rev_id: int, size: int, *, expected: int | None) -> None:
    """Make `rev_id` the page's current revision if page.latest is still `expected`, else LatestMoved.

    The writers hold the page's write lock, so the check should never fail; it is the last guard
    that no acknowledged revision is ever hidden behind another one."""
    now = utcnow()
    # An UPDATE's result is a CursorResult (it has the row count); Session.execute is typed for any statement.
    done = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Page)
            .where(Page.id == page.id, Page.latest.is_(None) if expected is None else Page.latest == expected)
            .values(latest=rev_id, length=size, touched=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if done.rowcount != 1:
        raise LatestMoved(page.id)
    for name, value in (("latest", rev_id), ("length", size), ("touched", now)):
        set_committed_value(page, name, value)
