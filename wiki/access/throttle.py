"""Login throttle: after 5 failed logins in 5 minutes for an account, or from an IP, refuse more.

Failures are rows of LoginAttempt, so the count is shared by every worker and host (MediaWiki's
$wgPasswordAttemptThrottle). A successful login clears the account's failures, not the IP's.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func

from wiki.extensions import db
from wiki.models import LoginAttempt, utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=5)


class Throttled(ValueError):
    """Too many recent failed logins; the message says how long to wait."""


def _keys(name: str, ip: str | None) -> list[str]:
    keys = [f"user:{name}"] if name else []
    if ip:
        keys.append(f"ip:{ip}")
    return keys


def check(name: str, ip: str | None) -> None:
    """Raise Throttled when the account or the address has used up its attempts."""
    since = utcnow() - WINDOW
    for key in _keys(name, ip):
        count = db.session.scalar(
            db.select(func.count(LoginAttempt.id)).where(
                LoginAttempt.key == key, LoginAttempt.timestamp > since
            )
        )
        if count >= MAX_FAILURES:
            what = "for this account" if key.startswith("user:") else "from your IP address"
            raise Throttled(
                f"You have made too many recent login attempts {what}. "
                f"Please wait {int(WINDOW.total_seconds() // 60)} minutes before trying again."
            )


def record_failure(name: str, ip: str | None) -> None:
    now = utcnow()
    for key in _keys(name, ip):
        db.session.add(LoginAttempt(key=key[:255], timestamp=now))
    # Old rows are useless: sweep them as we go so the table stays small.
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.timestamp < now - 2 * WINDOW))
    db.session.commit()


def clear(name: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"user:{name}"))
    db.session.commit()
