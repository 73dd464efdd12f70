"""Expiry times for protections and blocks, as MediaWiki reads them: "infinite", "2 weeks", a date."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from wiki.models import utcnow

INFINITE = frozenset({"", "infinite", "indefinite", "infinity", "never"})
UNITS = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
RELATIVE = re.compile(r"^(\d{1,6})\s*(second|minute|hour|day|week|month|year)s?$")
FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y%m%d%H%M%S")


class BadExpiry(ValueError):
    """The expiry could not be read, or is in the past."""


def parse(raw: str | None, now: datetime | None = None) -> datetime | None:
    """The expiry as a naive UTC datetime, or None for "infinite"; raises BadExpiry."""
    text = (raw or "").strip().lower()
    now = now or utcnow()
    if text in INFINITE:
        return None
    match = RELATIVE.match(text)
    if match:
        return now + timedelta(seconds=int(match.group(1)) * UNITS[match.group(2)])
    for fmt in FORMATS:
        try:
            when = datetime.strptime((raw or "").strip(), fmt)
        except ValueError:
            continue
        if when <= now:
            raise BadExpiry(f'The expiry time "{raw}" is in the past.')
        return when
    raise BadExpiry(f'The expiry time "{raw}" is not valid: use "infinite", "1 week", "3 days" or a date.')


DESCRIBED = "%H:%M, %d %B %Y (UTC)"
STORED = (DESCRIBED, "%Y-%m-%dT%H:%M:%SZ")  # what log parameters keep: describe's text, an ISO time


def describe(when: datetime | None) -> str:
    """An expiry in the wiki's time, as log entries store it ("infinite" or "12:00, 31 January 2024
    (UTC)"); pages show it to a reader in the reader's zone (wiki.web.dates)."""
    return "infinite" if when is None else when.strftime(DESCRIBED)


def read_stored(text: str) -> datetime | None:
    """The time of an expiry a log entry stored (see STORED), or None when it is not one."""
    for fmt in STORED:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def active(when: datetime | None, now: datetime | None = None) -> bool:
    return when is None or when > (now or utcnow())
