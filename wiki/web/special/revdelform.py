"""What Special:RevisionDelete's forms share, for revisions and log entries alike: the ids of the
request, each visibility field's wish and the reason (MediaWiki's dropdown and free text)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import request

from wiki.pages import revdelete

# The suppression box, for revisions and log entries alike (the same bit in both).
RESTRICTED_FIELD = (
    "wpHideRestricted",
    revdelete.RESTRICTED,
    "Suppress data from administrators as well as others",
)

REASONS = (
    "Copyright violation",
    "Inappropriate comment",
    "Inappropriate username",
    "Potentially libelous information",
)
IDS_KEY = re.compile(r"^ids\[(\d{1,11})\]$")


def requested_ids() -> list[str]:
    """The ids of the request: `ids[N]=1` (the forms of histories and Special:Log), or `ids=N,M`."""
    out = [m.group(1) for key in request.values if (m := IDS_KEY.match(key)) and request.values.get(key)]
    for raw in request.values.getlist("ids"):
        out.extend(part.strip() for part in re.split(r"[,|]", raw) if part.strip())
    return list(dict.fromkeys(out))


def wanted(name: str, several: bool) -> int:
    """1 hide, 0 show, -1 leave (several items: MediaWiki's radio buttons; one: a checkbox)."""
    if several:
        return {"1": 1, "0": 0}.get(request.form.get(name, "-1"), -1)
    return 1 if request.form.get(name) else 0


def reason() -> str:
    """The reason given: the listed one, the free text, or both ("listed: text")."""
    listed = request.form.get("wpRevDeleteReasonList", "other")
    extra = request.form.get("wpReason", "").strip()
    if listed in REASONS:
        return f"{listed}: {extra}" if extra else listed
    return extra


def statuses(items: Iterable[revdelete.ItemStatus]) -> list[tuple[str, str]]:
    """Each item's errors and warnings as ("error" or "warning", the message), for the form."""
    return [
        (kind, revdelete.message(key, params))
        for item in items
        for kind, pairs in (("error", item.errors), ("warning", item.warnings))
        for key, params in pairs
    ]
