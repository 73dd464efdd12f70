"""Page protection: who may edit or move a page ('' everyone, autoconfirmed, sysop), until when.

A page view asks about the same page's protection several times (the Edit tab, Move, the lock
notice), so `current` reads a page's rows once per request (`request_memo`; nothing is kept between
requests: other processes may protect the page meanwhile). Caches of whole responses must stop
serving a copy when a protection it shows expires, which touches no row: `expiry_window` says when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update

from wiki import logs, titles
from wiki.access import expiry, request_memo
from wiki.extensions import db
from wiki.models import Page, Protection, utcnow

TYPES = ("edit", "move")
LEVELS = ("", "autoconfirmed", "sysop")
ALIASES = {"all": "", "user": "autoconfirmed", "registered": "autoconfirmed"}


class BadProtection(ValueError):
    """Unknown level or type, a missing page, or an unreadable expiry."""


@dataclass(frozen=True)
class Restriction:
    type: str
    level: str
    expiry: datetime | None


def _page_id(title: titles.Title) -> int | None:
    return db.session.execute(
        db.select(Page.id).where(Page.namespace == title.namespace, Page.title == title.dbkey)
    ).scalar_one_or_none()


def _rows(title: titles.Title) -> list[Restriction]:
    """Every protection row of the page, lapsed ones too, in one query (memoised per request)."""
    memo = request_memo.get("protection")
    key = (title.namespace, title.dbkey)
    if memo is not None and key in memo:
        return memo[key]
    rows = db.session.execute(
        db.select(Protection.type, Protection.level, Protection.expiry)
        .join(Page, Page.id == Protection.page_id)
        .where(Page.namespace == title.namespace, Page.title == title.dbkey)
    ).all()
    found = [Restriction(kind, level, until) for kind, level, until in rows if level]
    if memo is not None:
        memo[key] = found
    return found


def _forget() -> None:
    memo = request_memo.get("protection")
    if memo is not None:
        memo.clear()


def current(title: titles.Title) -> list[Restriction]:
    """The protections in force on `title` (expired ones are ignored)."""
    now = utcnow()
    return [r for r in _rows(title) if expiry.active(r.expiry, now)]


def expiry_window() -> tuple[datetime | None, datetime | None]:
    """(latest expiry already passed, earliest expiry to come) of the protections this request read.

    A response that shows those protections (View source, the lock notice) changed when the first
    lapsed and changes again when the second does, though no page row was touched."""
    memo = request_memo.get("protection") or {}
    now = utcnow()
    ends = [r.expiry for found in memo.values() for r in found if r.expiry is not None]
    lapsed = [when for when in ends if when <= now]
    coming = [when for when in ends if when > now]
    return (max(lapsed) if lapsed else None, min(coming) if coming else None)


def level(title: titles.Title, kind: str = "edit") -> str:
    """The level needed to `kind` (edit/move) the page: '', 'autoconfirmed' or 'sysop'."""
    for restriction in current(title):
        if restriction.type == kind:
            return ALIASES.get(restriction.level, restriction.level)
    return ""


def normalise_level(raw: str) -> str:
    value = ALIASES.get(raw.strip(), raw.strip())
    if value not in LEVELS:
        raise BadProtection(f'"{raw}" is not a protection level; use one of: all, autoconfirmed, sysop.')
    return value


def protect(
    title: titles.Title,
    levels: dict[str, str],
    *,
    actor,
    reason: str = "",
    expires: str | dict[str, str] = "infinite",
) -> list[Restriction]:
    """Set the page's protections (type -> level; '' lifts one) and log it as one entry, in one
    transaction; `expires` is one expiry for all, or one per type."""
    page_id = _page_id(title)
    if page_id is None:
        raise BadProtection(f'"{title}" does not exist, so it cannot be protected.')
    unknown = set(levels) - set(TYPES)
    if unknown:
        raise BadProtection(f'"{", ".join(sorted(unknown))}" is not a protection type; use edit or move.')
    wanted = {kind: normalise_level(value) for kind, value in levels.items()}
    until = {
        kind: expiry.parse(expires.get(kind, "infinite") if isinstance(expires, dict) else expires)
        for kind in wanted
    }
    had = bool(current(title))
    _forget()
    for kind, value in wanted.items():
        db.session.execute(delete(Protection).where(Protection.page_id == page_id, Protection.type == kind))
        if value:
            db.session.add(Protection(page_id=page_id, type=kind, level=value, expiry=until[kind]))
    # The tabs (Edit / View source) change: caches of the page's view validate against page.touched.
    db.session.execute(update(Page).where(Page.id == page_id).values(touched=utcnow()))
    active = {k: v for k, v in wanted.items() if v}
    action = "unprotect" if not active else ("modify" if had else "protect")
    details = {k: {"level": v, "expiry": expiry.describe(until[k])} for k, v in active.items()}
    logs.record(
        "protect",
        action,
        namespace=title.namespace,
        title=title.dbkey,
        actor=actor,
        comment=reason,
        page_id=page_id,
        params=details,
    )
    db.session.commit()
    _forget()
    return current(title)


def drop(page_id: int) -> None:
    """Remove a page's protections (in the caller's transaction; used by deletion)."""
    _forget()
    db.session.execute(delete(Protection).where(Protection.page_id == page_id))
