"""{{#time:}}: PHP date() format codes on a date MediaWiki's way (English, UTC)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from wiki.markup.preprocessor.magicwords import MONTHS, WEEKDAYS

_ERROR = '<strong class="error">Error: Invalid time.</strong>'
TOO_LONG = '<strong class="error">Error: Too many #time calls.</strong>'
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y%m%d%H%M%S",
    "%d %B %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%b %d, %Y",
    "%Y-%m",
    "%B %Y",
    "%Y",
    "%H:%M:%S",
    "%H:%M",
)
_RELATIVE = re.compile(r"^([+-]?\d+)\s*(second|minute|hour|day|week|month|year)s?(\s+ago)?$", re.I)


def parse_when(text: str, now: datetime) -> datetime | None:
    text = text.strip()
    if not text or text.lower() == "now":
        return now
    if text.startswith("@") and re.fullmatch(r"@-?\d+", text):
        return datetime.fromtimestamp(int(text[1:]), UTC)
    lowered = text.lower()
    if lowered in ("today", "midnight"):
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if lowered in ("tomorrow", "yesterday"):
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return day + timedelta(days=1 if lowered == "tomorrow" else -1)
    m = _RELATIVE.match(text)
    if m:
        amount = int(m.group(1)) * (-1 if m.group(3) else 1)
        unit = m.group(2).lower()
        if unit in ("month", "year"):
            months = now.month - 1 + amount * (12 if unit == "year" else 1)
            year = now.year + months // 12
            if not 1 <= year <= 9999:
                return None
            return now.replace(year=year, month=months % 12 + 1, day=min(now.day, 28))
        seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}[unit]
        return now + timedelta(seconds=amount * seconds)
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt.startswith("%H"):
            parsed = parsed.replace(year=now.year, month=now.month, day=now.day)
        return parsed.replace(tzinfo=UTC)
    return None


def _codes(d: datetime) -> dict[str, str]:
    """The value of each PHP date() code for `d`."""
    iso = d.isocalendar()
    nxt = d.replace(day=28) + timedelta(days=4)
    return {
        "Y": str(d.year),
        "y": f"{d.year % 100:02d}",
        "n": str(d.month),
        "m": f"{d.month:02d}",
        "M": MONTHS[d.month - 1][:3],
        "F": MONTHS[d.month - 1],
        "j": str(d.day),
        "d": f"{d.day:02d}",
        "D": WEEKDAYS[(d.weekday() + 1) % 7][:3],
        "l": WEEKDAYS[(d.weekday() + 1) % 7],
        "N": str(d.isoweekday()),
        "w": str((d.weekday() + 1) % 7),
        "z": str(d.timetuple().tm_yday - 1),
        "W": f"{iso[1]:02d}",
        "o": str(iso[0]),
        "a": "am" if d.hour < 12 else "pm",
        "A": "AM" if d.hour < 12 else "PM",
        "g": str((d.hour % 12) or 12),
        "h": f"{(d.hour % 12) or 12:02d}",
        "G": str(d.hour),
        "H": f"{d.hour:02d}",
        "i": f"{d.minute:02d}",
        "s": f"{d.second:02d}",
        "U": str(int(d.timestamp())),
        "L": "1" if d.year % 4 == 0 and (d.year % 100 != 0 or d.year % 400 == 0) else "0",
        "c": d.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "e": "UTC",
        "T": "UTC",
        "Z": "0",
        "r": d.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "P": "+00:00",
        "O": "+0000",
        "I": "0",
        "t": str((nxt - timedelta(days=nxt.day)).day),
    }


def _any_format(_fmt: str) -> bool:
    return True


def format_time(fmt: str, when: str, now: datetime, allow: Callable[[str], bool] = _any_format) -> str:
    """Format `when` (default: now) with PHP date() codes and MediaWiki's x-codes.

    `allow(fmt)` counts the format against the page's limit once the date is valid, as
    ParserFunctions does; False answers MediaWiki's "too many #time calls" error.
    """
    try:
        d = parse_when(when, now)
    except (ValueError, OverflowError, OSError):
        d = None
    if d is None:
        return _ERROR
    if not allow(fmt):
        return TOO_LONG
    codes = _codes(d)
    out, i, n = [], 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c == "\\" and i + 1 < n:
            out.append(fmt[i + 1])
            i += 2
            continue
        if c == '"':
            end = fmt.find('"', i + 1)
            if end < 0:
                out.append(c)
                i += 1
                continue
            out.append(fmt[i + 1 : end])
            i = end + 1
            continue
        if c == "x" and i + 1 < n:
            code = fmt[i + 1 : i + 3] if fmt[i + 1] in "ijkmoTt" else fmt[i + 1]
            value = {"g": MONTHS[d.month - 1], "n": "", "N": "", "r": ""}.get(code)
            if value is not None:
                out.append(value)
                i += 1 + len(code)
                continue
            i += 1  # an unknown x-code: the 'x' is dropped
            continue
        out.append(codes.get(c, c))
        i += 1
    return "".join(out)
