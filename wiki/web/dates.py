"""Times as the reader sees them: every date a page shows goes through `show`, in the reader's time
zone (Special:Preferences' `timecorrection`) and date format (`date`), as MediaWiki's
Language::userTimeAndDate does; the writing itself is wiki.access.timeformat's. Anonymous readers,
and users who never chose, see the wiki's time (UTC) in MediaWiki's default English format,
"11:16, 6 December 2026".

Templates use the globals: user_datetime, user_date, user_time (a stored time), user_expiry (an
expiry: None is "infinite"), user_logged_expiry (an expiry as a log entry stores it) and user_day
(the reader's calendar day of a time, to group a changes list by day). Views group a
newest-first list under day headings with `by_day` (the history; reusable by Special:Contributions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from typing import TypeVar

from flask import Flask

from wiki.access import expiry, timeformat
from wiki.access.timeformat import STYLES, Part, format_time
from wiki.web import permissions

__all__ = ["STYLES", "by_day", "format_time", "init", "reader", "show"]

T = TypeVar("T")


def reader() -> tuple[tzinfo, str]:
    """The reader's time zone and date format, read once per request."""
    memo = permissions.memo("dates")
    if memo:
        known: tuple[tzinfo, str] = memo["reader"]
        return known
    found = timeformat.reader_of(permissions.user())
    if memo is not None:
        memo["reader"] = found
    return found


def show(when: datetime | None, part: Part = "both") -> str:
    """A stored (UTC) time as this reader sees it ("" for none): the one formatter of every page."""
    if when is None:
        return ""
    zone, style = reader()
    return format_time(when, zone, style, part)


def user_datetime(when: datetime | None) -> str:
    """ "11:16, 6 December 2026" in the reader's zone and format."""
    return show(when)


def user_date(when: datetime | None) -> str:
    """The date part: "6 December 2026"."""
    return show(when, "date")


def user_time(when: datetime | None) -> str:
    """The time part: "11:16"."""
    return show(when, "time")


def user_day(when: datetime) -> date:
    """The reader's calendar day of a stored time (day headings of RecentChanges, the watchlist)."""
    return when.replace(tzinfo=UTC).astimezone(reader()[0]).date()


def by_day(items: Iterable[T], when: Callable[[T], datetime]) -> list[tuple[str, list[T]]]:
    """Newest-first rows grouped under the reader's local days, as MediaWiki's reverse-chronological
    pagers head them (history, contributions): [("6 December 2026", rows of that day), ...]."""
    groups: list[tuple[str, list[T]]] = []
    last: date | None = None
    for item in items:
        stamp = when(item)
        day = user_day(stamp)
        if day != last:
            groups.append((user_date(stamp), []))
            last = day
        groups[-1][1].append(item)
    return groups


def user_expiry(when: datetime | None) -> str:
    """An expiry as the reader sees it: "infinite" for none, else the time."""
    return "infinite" if when is None else show(when)


def user_logged_expiry(text: object) -> str:
    """An expiry as a log entry or a stored parameter keeps it ("infinite", expiry.describe's UTC
    text, or an ISO time), shown in the reader's zone; anything else as it is."""
    raw = "" if text is None else str(text)
    if raw.strip().lower() in expiry.INFINITE or raw == "infinity":
        return "infinite"
    when = expiry.read_stored(raw)
    return raw if when is None else show(when)


def init(app: Flask) -> None:
    app.jinja_env.globals.update(
        user_datetime=user_datetime,
        user_date=user_date,
        user_time=user_time,
        user_day=user_day,
        user_expiry=user_expiry,
        user_logged_expiry=user_logged_expiry,
    )
