"""Timestamps as the API accepts them: 20240131120000, 2024-01-31T12:00:00Z, "now"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from wiki.api.errors import ApiError
from wiki.models import utcnow

_MW = re.compile(r"^\d{14}$")
_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]00:?00)?$")


def parse(raw: str, name: str) -> datetime:
    """A naive UTC datetime, or ApiError badtimestamp naming the parameter."""
    value = raw.strip()
    try:
        if value == "now":
            return utcnow().replace(microsecond=0)
        if _MW.match(value):
            return datetime.strptime(value, "%Y%m%d%H%M%S")
        match = _ISO.match(value)
        if match:
            return datetime(*(int(g) for g in match.groups()[:6]))
        if value.isdigit():
            return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        pass
    raise ApiError("badtimestamp", f'Invalid value "{raw}" for timestamp parameter "{name}".')
