"""Lists of accounts, as Special:ListUsers and list=allusers / list=users read them: keyset-paged by
name in SQL, filtered by group (current memberships only), with edit counts and recent actions
counted for the page shown only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import ColumnElement, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from wiki.access import rights
from wiki.extensions import db
from wiki.models import RecentChange, Revision, User, UserGroup, utcnow

ACTIVE_DAYS = 30  # MediaWiki's $wgActiveUserDays: "active" users acted in the last 30 days


@dataclass
class UserFilter:
    start: str = ""  # first name to list (inclusive, unless `after`)
    after: bool = False  # start itself is not listed (a "previous page" link's bound)
    end: str = ""  # last name to list (inclusive)
    prefix: str = ""
    groups: Sequence[str] = ()  # in any of these (explicit) groups
    exclude: Sequence[str] = ()  # in none of these
    with_edits: bool = False
    active: bool = False  # acted in the last ACTIVE_DAYS days
    descending: bool = False


@dataclass
class Listed:
    users: list[User] = field(default_factory=list)
    next_name: str | None = None  # where the next page starts


def _member_of(groups: Iterable[str]) -> ColumnElement[bool]:
    now = utcnow()
    return exists().where(
        UserGroup.user_id == User.id,
        UserGroup.group.in_(list(groups)),
        or_(UserGroup.expiry.is_(None), UserGroup.expiry > now),
    )


def for_rights(wanted: Iterable[str]) -> list[str] | None:
    """The explicit groups giving any of `wanted` rights; None when an implicit group gives one (then
    every account has it, and no group filter applies)."""
    found: list[str] = []
    for right in wanted:
        holders = rights.groups_with_right(right)
        if any(g in rights.IMPLICIT_GROUPS for g in holders):
            return None
        found += [g for g in holders if g not in found]
    return found


def window(keep: UserFilter, limit: int) -> Listed:
    """One page of accounts in name order, and the name the next page starts at."""
    # Memberships of the whole page in one more query (each row shows its groups).
    query = select(User).options(selectinload(User.memberships))
    conditions: list[ColumnElement[bool]] = []
    if keep.start and keep.after:
        conditions.append(User.name < keep.start if keep.descending else User.name > keep.start)
    elif keep.start:
        conditions.append(User.name <= keep.start if keep.descending else User.name >= keep.start)
    if keep.end:
        conditions.append(User.name >= keep.end if keep.descending else User.name <= keep.end)
    if keep.prefix:
        conditions.append(User.name.startswith(keep.prefix, autoescape=True))
    if keep.groups:
        conditions.append(_member_of(keep.groups))
    if keep.exclude:
        conditions.append(not_(_member_of(keep.exclude)))
    if keep.with_edits:
        conditions.append(exists().where(Revision.user_id == User.id))
    if keep.active:
        since = utcnow() - timedelta(days=ACTIVE_DAYS)
        conditions.append(
            exists().where(
                RecentChange.user_text == User.name,
                RecentChange.timestamp >= since,
                or_(RecentChange.log_type.is_(None), RecentChange.log_type != "newusers"),
            )
        )
    order = User.name.desc() if keep.descending else User.name
    rows = list(db.session.scalars(query.where(*conditions).order_by(order).limit(limit + 1)))
    more = rows[limit].name if len(rows) > limit else None
    return Listed(rows[:limit], more)


def edit_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """How many revisions each account made (one grouped query)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    counted = db.session.execute(
        select(Revision.user_id, func.count(Revision.id))
        .where(Revision.user_id.in_(ids))
        .group_by(Revision.user_id)
    )
    found = {int(uid): int(n) for uid, n in counted}
    return {uid: found.get(uid, 0) for uid in ids}


def recent_actions(names: Iterable[str]) -> dict[str, int]:
    """Actions of each account in the last ACTIVE_DAYS days (list=allusers' recentactions)."""
    wanted = list(set(names))
    if not wanted:
        return {}
    since = utcnow() - timedelta(days=ACTIVE_DAYS)
    counted = db.session.execute(
        select(RecentChange.user_text, func.count(RecentChange.id))
        .where(
            RecentChange.user_text.in_(wanted),
            RecentChange.timestamp >= since,
            or_(RecentChange.log_type.is_(None), RecentChange.log_type != "newusers"),
        )
        .group_by(RecentChange.user_text)
    )
    found = {str(name): int(n) for name, n in counted}
    return {name: found.get(name, 0) for name in wanted}


def by_names(names: Iterable[str]) -> list[User]:
    """The accounts with these (normalised) names, in name order."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.name.in_(wanted))
            .options(selectinload(User.memberships))
            .order_by(User.name)
        )
    )


def by_ids(ids: Iterable[int]) -> list[User]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(wanted))
            .options(selectinload(User.memberships))
            .order_by(User.name)
        )
    )
