"""Page protection: who may edit, move or create a title ('' everyone, autoconfirmed, sysop), until when.

Setting it (`protect`: edit and move of a page, cascading, or create protection of a missing
title) and keeping it across moves and deletions; reading it is in `restrictions` (own rows,
cascading sources and create protection in one query), whose functions are named here too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, exists, update

from wiki import logs, titles
from wiki.access import expiry
from wiki.access.restrictions import (  # the reading side, named here for its callers
    ALIASES,
    Restriction,
    cascading_sources,
    current,
    expiry_window,
    forget,
    in_force,
    in_force_many,
    level,
)
from wiki.extensions import db
from wiki.models import ImageLink, Page, ProtectedTitle, Protection, TemplateLink, utcnow

__all__ = [
    "ALIASES", "TYPES", "Restriction", "applicable_types", "cascading_sources", "copy_to_redirect", "current",
    "drop", "expiry_window", "forget", "in_force", "in_force_many", "level", "normalise_level", "protect",
    "protected_in_force", "protected_titles",
]  # fmt: skip
TYPES = ("edit", "move")


class ActorLike(Protocol):
    """Who acts (wiki.pages.Actor has these): a name, and the account id if there is one."""

    @property
    def name(self) -> str: ...

    @property
    def user_id(self) -> int | None: ...


LEVELS = ("", "autoconfirmed", "sysop")
# Only protections at these levels may cascade (MediaWiki's $wgCascadingRestrictionLevels).
CASCADING_LEVELS = ("sysop",)


class BadProtection(ValueError):
    """A protection that cannot be set; `code` is the MediaWiki API error code."""

    def __init__(self, message: str, code: str = "protect-invalidlevel") -> None:
        super().__init__(message)
        self.code = code


def _page_id(title: titles.Title) -> int | None:
    return db.session.execute(
        db.select(Page.id).where(Page.namespace == title.namespace, Page.title == title.dbkey)
    ).scalar_one_or_none()


def normalise_level(raw: str) -> str:
    value = ALIASES.get(raw.strip(), raw.strip())
    if value not in LEVELS:
        raise BadProtection(f'"{raw}" is not a protection level; use one of: all, autoconfirmed, sysop.')
    return value


def applicable_types(exists_: bool) -> tuple[str, ...]:
    """What can be protected: edit and move of a page; creation of a missing title."""
    return TYPES if exists_ else ("create",)


def protect(
    title: titles.Title,
    levels: dict[str, str],
    *,
    actor: ActorLike,
    reason: str = "",
    expires: str | dict[str, str] = "infinite",
    cascade: bool = False,
) -> list[Restriction]:
    """Set the title's protections (type -> level; '' lifts one; {} lifts all) and log it as one
    entry, in one transaction; `expires` is one expiry for all, or one per type."""
    page_id = _page_id(title)
    wanted = _wanted(levels, page_id is not None)
    until = {
        kind: expiry.parse(expires.get(kind, "infinite") if isinstance(expires, dict) else expires)
        for kind in wanted
    }
    had = bool(current(title))
    if cascade:
        edit_level = wanted["edit"] if "edit" in wanted else level(title, "edit")
        if edit_level not in CASCADING_LEVELS:
            raise BadProtection(
                'Cascading protection needs edit protection at the level "Allow only administrators" '
                "(sysop): pages it transcludes would otherwise be protected at a lower level than asked.",
                "invalidcascade",
            )
    forget()
    if page_id is None:
        _salt(title, wanted.get("create", ""), until.get("create"), actor, reason)
    else:
        _set_page_rows(page_id, wanted, until, cascade)
        _touch(page_id)
    active = {k: v for k, v in wanted.items() if v}
    action = "unprotect" if not active else ("modify" if had else "protect")
    details: dict[str, Any] = {
        k: {"level": v, "expiry": expiry.describe(until[k])} for k, v in active.items()
    }
    if cascade and active:
        details["cascade"] = True
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
    forget()
    return current(title)


def _wanted(levels: dict[str, str], page_exists: bool) -> dict[str, str]:
    allowed = applicable_types(page_exists)
    if not levels:
        return {kind: "" for kind in allowed}
    for kind in levels:
        if kind == "create" and page_exists:
            raise BadProtection(
                "The page exists: protect it against editing, not creation.", "create-titleexists"
            )
        if kind in TYPES and not page_exists:
            raise BadProtection(
                'The page does not exist: only "create" protection can be set on it.',
                "missingtitle-createonly",
            )
        if kind not in allowed:
            raise BadProtection(
                f'"{kind}" is not a protection type; use edit or move.', "protect-invalidaction"
            )
    return {kind: normalise_level(value) for kind, value in levels.items()}


def _set_page_rows(
    page_id: int, wanted: dict[str, str], until: dict[str, datetime | None], cascade: bool
) -> None:
    for kind, value in wanted.items():
        db.session.execute(delete(Protection).where(Protection.page_id == page_id, Protection.type == kind))
        if value:
            flag = cascade and kind == "edit"
            db.session.add(
                Protection(page_id=page_id, type=kind, level=value, expiry=until[kind], cascade=flag)
            )
    if "edit" not in wanted:
        # Cascading belongs to the edit row: switching it on or off keeps that row's level.
        db.session.execute(
            update(Protection)
            .where(Protection.page_id == page_id, Protection.type == "edit")
            .values(cascade=cascade)
        )


def _salt(title: titles.Title, value: str, until: datetime | None, actor: ActorLike, reason: str) -> None:
    key = (ProtectedTitle.namespace == title.namespace) & (ProtectedTitle.title == title.dbkey)
    db.session.execute(delete(ProtectedTitle).where(key))
    if value:
        db.session.add(
            ProtectedTitle(
                namespace=title.namespace,
                title=title.dbkey,
                level=value,
                expiry=until,
                user_id=getattr(actor, "user_id", None),
                user_text=getattr(actor, "name", "") or "",
                reason=reason[:767],
            )
        )


def _touch(page_id: int) -> None:
    """The page's tabs (Edit / View source) change, and so do those of the pages it cascades to
    (templates it transcludes, files it shows): caches of their views validate against page.touched."""
    now = utcnow()
    db.session.execute(update(Page).where(Page.id == page_id).values(touched=now))
    transcluded = db.select(TemplateLink.namespace, TemplateLink.title).where(TemplateLink.from_id == page_id)
    shown = db.select(ImageLink.title).where(ImageLink.from_id == page_id)
    for where in (
        db.tuple_(Page.namespace, Page.title).in_(transcluded),
        (Page.namespace == titles.FILE) & Page.title.in_(shown),
    ):
        db.session.execute(
            update(Page).where(where).values(touched=now).execution_options(synchronize_session=False)
        )


def copy_to_redirect(
    page_id: int, redirect_id: int, old: titles.Title, new: titles.Title, *, actor: ActorLike, reason: str
) -> None:
    """A protected page moved away leaves a redirect protected as the page was (MediaWiki's
    move_prot), so the old title cannot be taken over; in the caller's transaction."""
    rows = db.session.scalars(db.select(Protection).where(Protection.page_id == page_id)).all()
    now = utcnow()
    kept = [r for r in rows if expiry.active(r.expiry, now) and r.level]
    if not kept:
        return
    forget()
    for r in kept:
        db.session.add(
            Protection(page_id=redirect_id, type=r.type, level=r.level, expiry=r.expiry, cascade=r.cascade)
        )
    comment = f"[[{old}]] moved to [[{new}]]" + (f": {reason}" if reason else "")
    logs.record(
        "protect",
        "move_prot",
        namespace=new.namespace,
        title=new.dbkey,
        actor=actor,
        comment=comment,
        page_id=page_id,
        params={"oldtitle": old.prefixed_text},
    )


def protected_in_force(page_id: int) -> bool:
    """Whether the page has a protection in force, read now (not from the request's memo)."""
    rows = db.session.execute(
        db.select(Protection.level, Protection.expiry).where(Protection.page_id == page_id)
    ).all()
    now = utcnow()
    return any(level_ and expiry.active(until, now) for level_, until in rows)


def drop(page_id: int) -> None:
    """Remove a page's protections (in the caller's transaction; used by deletion).

    A create protection left from before the page was created (by a sysop) goes too, as MediaWiki
    removes it on creation: a deleted page's title is not salted unless someone salts it again."""
    forget()
    page = db.session.get(Page, page_id)
    if page is not None:
        db.session.execute(
            delete(ProtectedTitle).where(
                ProtectedTitle.namespace == page.namespace, ProtectedTitle.title == page.title
            )
        )
    db.session.execute(delete(Protection).where(Protection.page_id == page_id))


def protected_titles(limit: int = 50, namespace: int | None = None) -> list[ProtectedTitle]:
    """Create protections in force, newest first (Special:ProtectedTitles)."""
    query = db.select(ProtectedTitle).where(
        db.or_(ProtectedTitle.expiry.is_(None), ProtectedTitle.expiry > utcnow()),
        ~exists().where((Page.namespace == ProtectedTitle.namespace) & (Page.title == ProtectedTitle.title)),
    )
    if namespace is not None:
        query = query.where(ProtectedTitle.namespace == namespace)
    return list(db.session.scalars(query.order_by(ProtectedTitle.timestamp.desc()).limit(limit)))
