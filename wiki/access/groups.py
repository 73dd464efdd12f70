"""Group memberships: who may change which, and the change itself with its rights-log entry.

Memberships are rows of user_groups (UserGroup) with an optional expiry; an expired one stops
counting at once (User.group_list drops it) and is deleted by the next change of that user's groups.
A change and its `rights/rights` log entry (old and new groups, with their expiries, as MediaWiki's
params) commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wiki import logs, titles
from wiki.access import rights
from wiki.access.users import Actor
from wiki.extensions import db
from wiki.models import User, UserGroup, utcnow

INFINITY = "infinity"  # how the log's metadata and the API write "never expires"


@dataclass(frozen=True)
class Membership:
    group: str
    expiry: datetime | None  # None: never


@dataclass(frozen=True)
class Change:
    """What a change did: groups added and removed (in MediaWiki's order), before and after."""

    added: list[str]
    removed: list[str]
    old: list[Membership]
    new: list[Membership]


def current(user: User) -> list[Membership]:
    """The user's memberships that have not expired, by group name."""
    now = utcnow()
    return [
        Membership(m.group, m.expiry)
        for m in sorted(user.memberships, key=lambda m: m.group)
        if m.expiry is None or m.expiry > now
    ]


memberships = current


def changeable(performer: object | None) -> tuple[list[str], list[str]]:
    """The groups `performer` may add and remove: every explicit group with `userrights`
    (MediaWiki's bureaucrats), none without."""
    if "userrights" in rights.rights_for(performer):
        return list(rights.EXPLICIT_GROUPS), list(rights.EXPLICIT_GROUPS)
    return [], []


def _metadata(members: list[Membership]) -> list[dict[str, str]]:
    return [{"group": m.group, "expiry": stamp(m.expiry)} for m in members]


def stamp(when: datetime | None) -> str:
    """An expiry as MediaWiki's API and log params write it (ISO 8601, or "infinity")."""
    return INFINITY if when is None else when.strftime("%Y-%m-%dT%H:%M:%SZ")


def change(
    user: User,
    *,
    add: dict[str, datetime | None],
    remove: list[str],
    actor: Actor,
    reason: str = "",
) -> Change:
    """Add the groups of `add` (each until its expiry; a group held already gets the new expiry) and
    remove those of `remove`; log and commit when anything changed. Unknown groups raise ValueError."""
    unknown = [g for g in [*add, *remove] if g not in rights.EXPLICIT_GROUPS]
    if unknown:
        known = ", ".join(rights.EXPLICIT_GROUPS)
        raise ValueError(f'"{unknown[0]}" is not a group that can be given (groups: {known}).')
    try:
        outcome = _apply(user, add, remove)
        if outcome.added or outcome.removed or outcome.old != outcome.new:
            logs.record(
                "rights",
                "rights",
                namespace=titles.USER,
                title=user.name.replace(" ", "_"),
                actor=actor,
                comment=reason,
                params={
                    "oldgroups": [m.group for m in outcome.old],
                    "newgroups": [m.group for m in outcome.new],
                    "oldmetadata": _metadata(outcome.old),
                    "newmetadata": _metadata(outcome.new),
                },
            )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return outcome


def _apply(user: User, add: dict[str, datetime | None], remove: list[str]) -> Change:
    old = current(user)
    held = {m.group for m in old}
    now = utcnow()
    # Expired rows go now: they no longer count, and an added group takes their place.
    kept = [m for m in user.memberships if m.expiry is None or m.expiry > now]
    removed = [g for g in rights.EXPLICIT_GROUPS if g in remove and g in held and g not in add]
    kept = [m for m in kept if m.group not in removed]
    by_group = {m.group: m for m in kept}
    added = []
    for group in rights.EXPLICIT_GROUPS:
        if group not in add:
            continue
        if group in by_group:
            # MediaWiki: adding a held group sets its new expiry, and counts as added if it changed.
            if by_group[group].expiry != add[group]:
                by_group[group].expiry = add[group]
                added.append(group)
        else:
            kept.append(UserGroup(group=group, expiry=add[group]))
            added.append(group)
    user.memberships = kept
    db.session.flush()
    return Change(added, removed, old, current(user))


def members(group: str) -> list[int]:
    """Ids of the accounts in `group` now (for tests and counts; lists page with their own query)."""
    now = utcnow()
    query = db.select(UserGroup.user_id).where(
        UserGroup.group == group, (UserGroup.expiry.is_(None)) | (UserGroup.expiry > now)
    )
    return list(db.session.scalars(query))


def members_with_right(right: str) -> list[int]:
    """Ids of the accounts that have `right` through an explicit group now (bots, for `bot`)."""
    now = utcnow()
    holders = [g for g in rights.groups_with_right(right) if g in rights.EXPLICIT_GROUPS]
    query = db.select(UserGroup.user_id).where(
        UserGroup.group.in_(holders), (UserGroup.expiry.is_(None)) | (UserGroup.expiry > now)
    )
    return sorted(set(db.session.scalars(query)))
