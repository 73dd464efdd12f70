"""How a time is written for a reader: their time zone and date format (MediaWiki's English date
formats: default/dmy, mdy, ymd, ISO 8601). The one formatter of the times people read; pages reach
it through wiki.web.dates (once per request), services that word a message for a user (a block
notice) through `for_user`. Stored and machine-readable times stay UTC."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Literal

from wiki.access import preferences
from wiki.models import User

Part = Literal["both", "date", "time"]

MONTHS = "January February March April May June July August September October November December".split()

# MediaWiki's English date formats (MessagesEn.php's dateFormats), by preference value.
STYLES = ("default", "mdy", "dmy", "ymd", "ISO 8601")
DEFAULT_STYLE = "dmy"  # "default" in English: day month year ($wgAmericanDates is false)


def _date(local: datetime, style: str) -> str:
    month = MONTHS[local.month - 1]
    if style == "mdy":
        return f"{month} {local.day}, {local.year}"
    if style == "ymd":
        return f"{local.year} {month} {local.day}"
    if style == "ISO 8601":
        return f"{local:%Y-%m-%d}"
    return f"{local.day} {month} {local.year}"


def format_time(when: datetime, zone: tzinfo, style: str, part: Part = "both") -> str:
    """A stored (naive UTC) time in `zone`, written as the date format `style` writes it."""
    local = when if zone is UTC else when.replace(tzinfo=UTC).astimezone(zone)  # stored times are UTC
    if style not in STYLES or style == "default":
        style = DEFAULT_STYLE
    if style == "ISO 8601":
        time_text = f"{local:%H:%M:%S}"
        if part == "both":
            return f"{_date(local, style)}T{time_text}"
    else:
        time_text = f"{local.hour:02d}:{local.minute:02d}"
        if part == "both":
            return f"{time_text}, {_date(local, style)}"
    return time_text if part == "time" else _date(local, style)


def reader_of(user: object | None) -> tuple[tzinfo, str]:
    """The time zone and date format of `user` (UTC and the default for anonymous readers)."""
    if not isinstance(user, User) or user.id is None:
        return UTC, DEFAULT_STYLE
    return preferences.zone_of(preferences.get(user, "timecorrection")), preferences.get(user, "date")


def for_user(user: object | None, when: datetime, part: Part = "both") -> str:
    """A stored (UTC) time as `user` reads it."""
    zone, style = reader_of(user)
    return format_time(when, zone, style, part)
