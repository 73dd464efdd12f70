"""Login throttle, as MediaWiki's $wgPasswordAttemptThrottle: 5 attempts in 5 minutes for a name
from one address; much higher ceilings for a name from anywhere (a slow distributed guess) and for
an address across names (spraying), so nobody can lock an account out from their own address.

Each key's count lives in one row of LoginThrottle, shared by every worker and host. An attempt is
counted and checked in one statement (an upsert answering the new count), before the password is
looked at: of any number of concurrent attempts, at most the limit reach the password check. A
successful login clears the (name, address) count and gives its attempt back to the name's and the
address's counts: those ceilings are for guesses, and one address may log many people in (a school,
a proxy, MediaWiki's own API test suite), as MediaWiki, which throttles only a name from an address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from wiki.extensions import db
from wiki.models import LoginThrottle, utcnow


@dataclass(frozen=True)
class Limit:
    prefix: str
    count: int
    window: timedelta
    what: str


PAIR = Limit("pair", 5, timedelta(minutes=5), "for this account from your address")
NAME = Limit("name", 100, timedelta(hours=1), "for this account")
ADDRESS = Limit("ip", 30, timedelta(minutes=5), "from your IP address")


class Throttled(ValueError):
    """Too many recent login attempts; the message says how long to wait."""

    def __init__(self, message: str, wait: int) -> None:
        super().__init__(message)
        self.wait = wait


def _count(key: str, window: timedelta) -> int:
    """Add one attempt to `key` and answer its count in the current window, in one statement."""
    now = utcnow()
    fresh = LoginThrottle.started <= now - window
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = LoginThrottle.__table__
    stmt = dialect.insert(table).values(key=key, started=now, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((fresh, 1), else_=LoginThrottle.count + 1),
            "started": case((fresh, now), else_=LoginThrottle.started),
        },
    ).returning(table.c.count)
    count = int(db.session.execute(stmt).scalar_one())
    db.session.commit()
    return count


def spend(limit: Limit, key: str) -> bool:
    """Count one use of `key` against `limit` (password-reset mails, e-mails to users); True while
    within the limit."""
    return _count(f"{limit.prefix}:{key}"[:255], limit.window) <= limit.count


def bump(key: str, window: timedelta) -> int:
    """Count one event under `key` (another counter sharing this table, e.g. wiki.spam's failed
    logins) and answer the count in the current window."""
    return _count(key, window)


def _keys(name: str, ip: str | None) -> list[tuple[Limit, str]]:
    keys = [(PAIR, f"pair:{ip or ''}:{name}"), (NAME, f"name:{name}")]
    if ip:
        keys.append((ADDRESS, f"ip:{ip}"))
    return [(limit, key[:255]) for limit, key in keys]


def attempt(name: str, ip: str | None) -> None:
    """Count a login attempt for `name` from `ip`; raise Throttled when a limit is used up."""
    for limit, key in _keys(name, ip):
        if _count(key, limit.window) > limit.count:
            minutes = int(limit.window.total_seconds() // 60)
            wait = f"{minutes} minutes" if minutes < 120 else f"{minutes // 60} hours"
            raise Throttled(
                f"You have made too many recent login attempts {limit.what}. "
                f"Please wait {wait} before trying again.",
                int(limit.window.total_seconds()),
            )


def clear(name: str, ip: str | None) -> None:
    """A successful login: the (name, address) count starts again. Old rows are swept meanwhile."""
    now = utcnow()
    pair, *shared = (key for _limit, key in _keys(name, ip))
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == pair))
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.in_(shared), LoginThrottle.count > 0)
        .values(count=LoginThrottle.count - 1)
    )
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.started < now - timedelta(days=1)))
    db.session.commit()
