"""Server-side sessions: a logged-in browser or bot holds a random token; the database holds its
SHA-256 with the account, so every host shares the sessions and ending one (logout, "log out all
sessions", a new password, `create-admin --force`) takes effect everywhere at once.

A session that is not used expires: after 30 days, or a year when "keep me logged in" was ticked.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import joinedload

from wiki.extensions import db
from wiki.models import User, UserSession, utcnow

IDLE = timedelta(days=30)
REMEMBERED = timedelta(days=365)
# last_seen is written at most this often, so a busy session does not write on every request.
TOUCH_EVERY = timedelta(minutes=10)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, ip: str | None, *, remember: bool = False) -> str:
    """Open a new session for `user` (a fresh token each login) and set it on the user object."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    # The account's lapsed sessions go now, so the table keeps only live ones and recent ones.
    lapsed = (UserSession.last_seen < now - REMEMBERED) | (
        UserSession.remember.is_(False) & (UserSession.last_seen < now - IDLE)
    )
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, lapsed))
    db.session.add(
        UserSession(
            id=_key(token), user_id=user.id, ip=(ip or "")[:64], remember=remember, created=now, last_seen=now
        )
    )
    db.session.commit()
    user.session_token = token  # type: ignore[assignment]  # not a column: see User
    return token


def user_for(token: str, ip: str | None = None) -> User | None:
    """The account of a live session token, or None (unknown, ended or expired); `ip` is where the
    request comes from, kept as the session's last address."""
    if not token or len(token) > 128:
        return None
    now = utcnow()
    # The account's groups and preferences come in the same query: every page asks for them.
    row = (
        db.session.execute(
            db.select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.id == _key(token))
            .options(joinedload(User.memberships), joinedload(User.properties))
        )
        .unique()
        .first()
    )
    if row is None:
        return None
    found: UserSession = row[0]
    user: User = row[1]
    if user.disabled:
        return None
    if found.last_seen < now - (REMEMBERED if found.remember else IDLE):
        end(token)
        return None
    ip = (ip or found.ip)[:64]
    if found.last_seen < now - TOUCH_EVERY or ip != found.ip:
        db.session.execute(update(UserSession).where(UserSession.id == found.id).values(last_seen=now, ip=ip))
        db.session.commit()
    user.session_token = token  # type: ignore[assignment]
    return user


def end(token: str | None) -> None:
    """End one session (logout)."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.id == _key(token)))
        db.session.commit()


def end_all(user_id: int, *, keep: str | None = None) -> int:
    """End every session of the account (except `keep`, the caller's own); answers how many."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep:
        query = query.where(UserSession.id != _key(keep))
    gone = int(db.session.execute(query).rowcount)  # type: ignore[attr-defined]
    db.session.commit()
    return gone


def last_address(user_id: int) -> str | None:
    """The address the account last logged in or was seen from (for autoblocks)."""
    found: str | None = db.session.scalar(
        db.select(UserSession.ip)
        .where(UserSession.user_id == user_id, UserSession.ip != "")
        .order_by(UserSession.last_seen.desc(), UserSession.created.desc())
        .limit(1)
    )
    return found
