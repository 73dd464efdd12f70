"""Reading protections: what restricts editing, moving or creating a title, and until when.

Three sources, as in MediaWiki: the page's own rows (edit, move; an edit row may *cascade*), the
cascading protection of pages that transclude it (or, for a file, show it), and, for a title with
no page, its create protection (`protected_title`). `load` reads all three for any number of titles
in one query and keeps the answer for the rest of the request (`request_memo`; nothing is kept
between requests: other processes may protect the page meanwhile). Caches of whole responses must
stop serving a copy when a protection it shows expires, which touches no row: `expiry_window` says
when.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    exists,
    false,
    literal,
    null,
    or_,
    union_all,
)

from wiki import titles
from wiki.access import expiry, request_memo
from wiki.extensions import db
from wiki.models import ImageLink, Page, ProtectedTitle, Protection, TemplateLink, utcnow

ALIASES = {"all": "", "user": "autoconfirmed", "registered": "autoconfirmed"}


@dataclass(frozen=True)
class Restriction:
    type: str  # edit | move | create
    level: str
    expiry: datetime | None
    cascade: bool = False  # an own edit protection that cascades
    source: str | None = None  # inherited: the prefixed title of the cascade-protected page
    by: str = ""  # create protection: who set it, and why
    reason: str = ""


def _where(namespace_column: Any, title_column: Any, targets: list[tuple[int, str]]) -> ColumnElement[bool]:
    """(namespace, title) in `targets`, as `namespace = n AND title IN (...)` (uses the indexes)."""
    by_namespace: dict[int, list[str]] = defaultdict(list)
    for ns, key in targets:
        by_namespace[ns].append(key)
    return or_(*(and_(namespace_column == ns, title_column.in_(keys)) for ns, keys in by_namespace.items()))


def _query(targets: list[tuple[int, str]]) -> CompoundSelect[Any]:
    """One statement: the pages' own rows, cascading sources, and create protection of missing ones."""
    own = (
        db.select(
            Page.namespace,
            Page.title,
            literal("own"),
            Protection.type,
            Protection.level,
            Protection.expiry,
            Protection.cascade,
            null(),
            null(),
            literal(""),
            literal(""),
        )
        .join(Page, Page.id == Protection.page_id)
        .where(_where(Page.namespace, Page.title, targets))
    )
    parts = [own, _cascading(TemplateLink, targets)]
    files = [key for ns, key in targets if ns == titles.FILE]
    if files:
        # A file shown by [[File:...]] or a <gallery> is in imagelinks (MediaWiki's cascade reads it).
        parts.append(_cascading_to_files(files))
    existing = (Page.namespace == ProtectedTitle.namespace) & (Page.title == ProtectedTitle.title)
    salted = db.select(
        ProtectedTitle.namespace,
        ProtectedTitle.title,
        literal("own"),
        literal("create"),
        ProtectedTitle.level,
        ProtectedTitle.expiry,
        false(),
        null(),
        null(),
        ProtectedTitle.user_text,
        ProtectedTitle.reason,
    ).where(_where(ProtectedTitle.namespace, ProtectedTitle.title, targets), ~exists().where(existing))
    parts.append(salted)
    return union_all(*parts)


def _cascade_columns(namespace: Any, title: Any, source: Any) -> Select[Any]:
    """The columns of a protection that reaches (namespace, title) by cascade from `source`."""
    columns: Select[Any] = db.select(
        namespace,
        title,
        literal("cascade"),
        Protection.type,
        Protection.level,
        Protection.expiry,
        false(),
        source.namespace,
        source.title,
        literal(""),
        literal(""),
    )
    return columns


def _cascading(links: Any, targets: list[tuple[int, str]]) -> Select[Any]:
    source = db.aliased(Page)
    query: Select[Any] = (
        _cascade_columns(links.namespace, links.title, source)
        .select_from(links)
        .join(Protection, (Protection.page_id == links.from_id) & Protection.cascade)
        .join(source, source.id == links.from_id)
        .where(_where(links.namespace, links.title, targets))
    )
    return query


def _cascading_to_files(names: list[str]) -> Select[Any]:
    source = db.aliased(Page)
    query: Select[Any] = (
        _cascade_columns(literal(titles.FILE), ImageLink.title, source)
        .select_from(ImageLink)
        .join(Protection, (Protection.page_id == ImageLink.from_id) & Protection.cascade)
        .join(source, source.id == ImageLink.from_id)
        .where(ImageLink.title.in_(names))
    )
    return query


def _prefixed(namespace: int, dbkey: str) -> str:
    from wiki import site  # the namespace names are site settings

    name = site.namespaces().name(namespace)
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=name).prefixed_text


def load(many: list[titles.Title]) -> dict[tuple[int, str], list[Restriction]]:
    """Every restriction on each title, lapsed ones too, in one query; memoised for the request."""
    memo = request_memo.get("protection")
    found: dict[tuple[int, str], list[Restriction]] = {(t.namespace, t.dbkey): [] for t in many}
    wanted = [key for key in found if memo is None or key not in memo]
    if wanted:
        for row in db.session.execute(_query(wanted)):
            ns, key, kind, type_, level_, until, cascade, src_ns, src_title, by, why = row
            if level_ and (ns, key) in found:
                source = _prefixed(src_ns, src_title) if kind == "cascade" else None
                found[(ns, key)].append(
                    Restriction(type_, level_, until, bool(cascade), source, by or "", why or "")
                )
        for key in wanted:
            found[key].sort(key=lambda r: (r.source is not None, r.type, r.source or ""))
            if memo is not None:
                memo[key] = found[key]
    if memo is not None:
        found.update({key: memo[key] for key in found if key not in wanted})
    return found


def forget() -> None:
    """Drop the request's answers (after a change of protection in this request)."""
    memo = request_memo.get("protection")
    if memo is not None:
        memo.clear()


def in_force_many(many: list[titles.Title]) -> dict[tuple[int, str], list[Restriction]]:
    """The protections in force on each title (own first, then inherited), keyed by (ns, dbkey)."""
    now = utcnow()
    return {key: [r for r in found if expiry.active(r.expiry, now)] for key, found in load(many).items()}


def in_force(title: titles.Title) -> list[Restriction]:
    """Every protection in force on `title`: its own, then those it inherits by cascade."""
    return in_force_many([title])[(title.namespace, title.dbkey)]


def current(title: titles.Title) -> list[Restriction]:
    """The title's own protections in force (edit/move of a page, or create of a missing title)."""
    return [r for r in in_force(title) if r.source is None]


def cascading_sources(title: titles.Title) -> list[Restriction]:
    """The cascade-protected pages that transclude `title` (one entry per source and type)."""
    return [r for r in in_force(title) if r.source is not None]


def level(title: titles.Title, kind: str = "edit") -> str:
    """The level the title's own protection asks to `kind` it (edit/move/create): '', autoconfirmed, sysop."""
    for restriction in current(title):
        if restriction.type == kind:
            return ALIASES.get(restriction.level, restriction.level)
    return ""


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
