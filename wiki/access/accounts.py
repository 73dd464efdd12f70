"""Accounts: names, creation, passwords and logging in (the edges keep only the forms and cookies).

`authenticate` counts the attempt against the login throttle before it looks at the password, and
spends one password hash whether or not the account exists.
"""

from __future__ import annotations

from typing import NamedTuple

from wiki import logs, titles
from wiki.access import blocks, names, passwords, sessions, throttle
from wiki.access.users import find_user as find_user  # accounts is where callers look
from wiki.access.users import get_user as get_user
from wiki.access.users import normalise_name as normalise_name
from wiki.extensions import db
from wiki.models import User, UserSkeleton

BadName = names.BadName
WeakPassword = passwords.WeakPassword
Throttled = throttle.Throttled


class Performer(NamedTuple):
    """Who a log entry names (the shape of pages.Actor)."""

    name: str
    user_id: int | None = None


class NameTaken(ValueError):
    """The name, or a name that looks the same, already belongs to an account."""


def _look_alike(name: str) -> str | None:
    """The name of an existing account whose skeleton equals `name`'s, if any."""
    found: str | None = db.session.scalar(
        db.select(User.name)
        .join(UserSkeleton, UserSkeleton.user_id == User.id)
        .where(UserSkeleton.skeleton == names.skeleton(name))
        .limit(1)
    )
    return found


def check_new_name(raw: str) -> str:
    """The normalised name if a new account may take it; raises InvalidTitle, BadName or NameTaken."""
    name = names.check_raw(raw)
    name = normalise_name(name)
    names.check(name)
    if find_user(name) is not None:
        raise NameTaken(f'The user name "{name}" is already in use. Please choose another.')
    similar = _look_alike(name)
    if similar is not None:
        raise NameTaken(f'The user name "{name}" is too similar to the existing account "{similar}".')
    return name


ADMIN_GROUPS = ("sysop", "bureaucrat")


def create_user(name: str, password: str, groups: str = "") -> User:
    """Create an account; raises ValueError (BadName, NameTaken, WeakPassword) or InvalidTitle with
    a message a user can act on."""
    name = check_new_name(name)
    passwords.require(name, password, groups.split())
    user = User(name=name, password_hash=passwords.hash_password(password), groups=groups)
    db.session.add(user)
    db.session.flush()
    db.session.add(UserSkeleton(user_id=user.id, skeleton=names.skeleton(name)))
    logs.record(
        "newusers",
        "create",
        namespace=titles.USER,
        title=name.replace(" ", "_"),
        actor=Performer(name, user.id),
        params={"userid": user.id},
    )
    db.session.commit()
    return user


def authenticate(name: str, password: str, ip: str | None = None) -> User | None:
    """The account if the password is right, else None; raises throttle.Throttled when this name has
    had too many attempts (from this address, or from everywhere). A blocked account may log in (as
    in MediaWiki), and doing so autoblocks the address it comes from."""
    try:
        key = normalise_name(name)
    except titles.InvalidTitle:
        key = name.strip()[:200]
    throttle.attempt(key, ip)
    user = find_user(name)
    if not passwords.check(user.password_hash if user is not None else None, password) or user is None:
        return None
    if user.disabled:  # locked by an operator (`flask disable-user`): the right password is not enough
        return None
    throttle.clear(key, ip)
    blocks.spread(user.name, ip)
    return user


def verify_password(user: User, password: str, ip: str | None) -> bool:
    """A logged-in user's current password, asked again (Preferences): throttled as a login is."""
    throttle.attempt(user.name, ip)
    if not passwords.check(user.password_hash, password):
        return False
    throttle.clear(user.name, ip)
    return True


def set_password(user: User, password: str, *, keep_session: str | None = None) -> None:
    """Give `user` a new password (checked against the policy) and end their other sessions."""
    passwords.require(user.name, password, user.group_list)
    user.password_hash = passwords.hash_password(password)
    db.session.commit()
    sessions.end_all(user.id, keep=keep_session)


def password_problem(user: User, password: str) -> str | None:
    """Why the password just used no longer meets the policy for the user's groups (MediaWiki asks
    sysops with a weak password to change it at login), or None."""
    return passwords.problem(user.name, password, user.group_list)


def make_admin(user: User) -> None:
    """Make `user` a sysop and a bureaucrat (as MediaWiki's installer makes its first account)."""
    missing = [g for g in ADMIN_GROUPS if g not in user.group_list]
    if missing:
        user.groups = " ".join([*user.group_list, *missing])
        db.session.commit()
