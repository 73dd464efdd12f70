"""Page protection: who may edit or move a page ('' everyone, autoconfirmed, sysop), until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, update

from . import expiry, logs, titles
from .extensions import db
from .models import Page, Protection, utcnow

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


def current(title: titles.Title) -> list[Restriction]:
    """The protections in force on `title` (expired ones are ignored)."""
    page_id = _page_id(title)
    if page_id is None:
        return []
    rows = db.session.scalars(
        db.select(Protection).where(
            Protection.page_id == page_id,
            or_(Protection.expiry.is_(None), Protection.expiry > utcnow()),
        )
    )
    return [Restriction(r.type, r.level, r.expiry) for r in rows if r.level]


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
    title: titles.Title, levels: dict[str, str], *, actor, reason: str = "", expires: str = "infinite"
) -> list[Restriction]:
    """Set the page's protections (type -> level; '' lifts one) and log it, in one transaction."""
    page_id = _page_id(title)
    if page_id is None:
        raise BadProtection(f'"{title}" does not exist, so it cannot be protected.')
    unknown = set(levels) - set(TYPES)
    if unknown:
        raise BadProtection(f'"{", ".join(sorted(unknown))}" is not a protection type; use edit or move.')
    wanted = {kind: normalise_level(value) for kind, value in levels.items()}
    until = expiry.parse(expires)
    had = bool(current(title))
    for kind, value in wanted.items():
        db.session.execute(delete(Protection).where(Protection.page_id == page_id, Protection.type == kind))
        if value:
            db.session.add(Protection(page_id=page_id, type=kind, level=value, expiry=until))
    # The tabs (Edit / View source) change: caches of the page's view validate against page.touched.
    db.session.execute(update(Page).where(Page.id == page_id).values(touched=utcnow()))
    active = {k: v for k, v in wanted.items() if v}
    action = "unprotect" if not active else ("modify" if had else "protect")
    details = {k: {"level": v, "expiry": expiry.describe(until)} for k, v in active.items()}
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
    return current(title)


def drop(page_id: int) -> None:
    """Remove a page's protections (in the caller's transaction; used by deletion)."""
    db.session.execute(delete(Protection).where(Protection.page_id == page_id))
