"""Reading the recentchanges table: one filter (RCFilter) for Special:RecentChanges,
RecentChangesLinked, the watchlist, list=recentchanges and the feeds, newest first (or oldest first),
keyset-paged by (timestamp, id) in SQL.

A caller narrows the filter further with `targets` (a set of (namespace, dbkey) pairs) or with
`extend`, a function that adds a join or a condition to the query (the watchlist joins its table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, false, func, literal_column, or_, select, tuple_

from wiki.extensions import db
from wiki.inlists import values_in
from wiki.models import CategoryLink, ChangeTag, Page, PageLink, RecentChange

MAX_LIMIT = 500  # rows in one window (MediaWiki's highest RC limit)
MAX_TARGETS = 5000  # (namespace, title) pairs a caller may name in `targets`
TYPES = ("edit", "new", "log")
UNPATROLLED, PATROLLED, AUTOPATROLLED = 0, 1, 2


class Change(NamedTuple):
    """A recentchange row as the lists read it, its columns in the table's order (a plain tuple:
    500 ORM objects cost three times their query, and a SQLAlchemy row's attributes are slow to
    read)."""

    id: int
    timestamp: datetime
    type: str
    namespace: int
    title: str
    page_id: int | None
    rev_id: int | None
    old_rev_id: int | None
    log_id: int | None
    log_type: str | None
    log_action: str | None
    user_id: int | None
    user_text: str
    comment: str
    minor: bool
    bot: bool
    patrolled: int
    old_len: int | None
    new_len: int | None
    deleted: int


COLUMNS = tuple(RecentChange.__table__.c)  # what a Change carries
if tuple(c.key for c in COLUMNS) != Change._fields:  # a new column of the table belongs here too
    raise RuntimeError(f"recentlist.Change does not match the recentchange table: {[c.key for c in COLUMNS]}")
Extend = Callable[[Select[Any]], Select[Any]]


class BadCursor(ValueError):
    """A continuation value that names no position (not "YYYYMMDDHHMMSS|id")."""


@dataclass(frozen=True)
class Cursor:
    """A position in the list: the (second-precise) timestamp and id of the next row to show."""

    timestamp: datetime
    id: int

    @classmethod
    def parse(cls, text: str) -> Cursor:
        stamp, sep, ident = text.strip().partition("|")
        if not sep or not ident.isdigit() or len(ident) > 10 or len(stamp) != 14 or not stamp.isdigit():
            raise BadCursor(f'"{text[:40]}" is not "YYYYMMDDHHMMSS|id"')
        try:
            return cls(datetime.strptime(stamp, "%Y%m%d%H%M%S"), int(ident))
        except ValueError:
            raise BadCursor(f'"{stamp}" is not a date') from None

    @classmethod
    def of(cls, row: Change) -> Cursor:
        return cls(row.timestamp.replace(microsecond=0), row.id)

    def __str__(self) -> str:
        return f"{self.timestamp.strftime('%Y%m%d%H%M%S')}|{self.id}"


@dataclass(frozen=True)
class RCFilter:
    """Which rows to list. None in a tri-state flag means "either"."""

    minor: bool | None = None
    bot: bool | None = None
    anon: bool | None = None
    redirect: bool | None = None  # the page is (not) a redirect now
    patrolled: tuple[int, ...] = ()  # allowed patrol states (UNPATROLLED, ...); () for all
    types: tuple[str, ...] = ()  # edit, new, log; () for all
    namespaces: tuple[int, ...] = ()
    invert: bool = False  # every namespace but those
    associated: bool = False  # and their talk (or subject) namespaces
    user: str | None = None  # user names as stored (spaces)
    exclude_user: str | None = None
    hidden_user_mask: int | None = None  # with user/exclude_user: leave out rows hidden so (revdelete)
    # Leave out log rows whose action (and so their page) is hidden so: lists by page, namespace or
    # watchlist must not reveal it (wiki.pages.logdelete.hidden_mask).
    hidden_log_mask: int | None = None
    tag: str | None = None
    target: tuple[int, str] | None = None  # one page (namespace, dbkey)
    targets: frozenset[tuple[int, str]] | None = None  # a set of pages (empty: nothing)
    since: datetime | None = None  # inclusive bounds on the time
    until: datetime | None = None
    top_only: bool = False  # only edits that are their page's latest revision
    extend: Extend | None = field(default=None, compare=False)

    def narrowed(self, **changes: object) -> RCFilter:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class Window:
    rows: list[Change]
    tags: dict[int, list[str]]  # rc id -> its tags, sorted
    next: Cursor | None  # where the following window starts, None at the end
    redirects: set[int] = field(default_factory=set)  # page ids (of rows) that are redirects now, if asked


def namespace_set(keep: RCFilter) -> tuple[int, ...]:
    """The namespaces named, with their associated ones when asked."""
    spaces = set(keep.namespaces)
    if keep.associated:
        spaces |= {n ^ 1 for n in keep.namespaces if n >= 0}
    return tuple(sorted(spaces))


def conditions(keep: RCFilter, rc: Any = RecentChange) -> list[Any]:
    """The filter's conditions on the recentchange columns (of `rc`, the table or an alias of it);
    `redirect`, `top_only` and `extend` need joins, which `_query` adds."""
    terms: list[Any] = []
    if keep.minor is not None:
        terms.append(rc.minor.is_(keep.minor))
    if keep.bot is not None:
        terms.append(rc.bot.is_(keep.bot))
    if keep.anon is not None:
        terms.append(rc.user_id.is_(None) if keep.anon else rc.user_id.is_not(None))
    if keep.patrolled:
        terms.append(rc.patrolled.in_(keep.patrolled))
    if keep.types:
        terms.append(rc.type.in_(keep.types))
    spaces = namespace_set(keep)
    if spaces:
        terms.append(rc.namespace.not_in(spaces) if keep.invert else rc.namespace.in_(spaces))
    if keep.user is not None:
        terms.append(rc.user_text == keep.user)
    if keep.exclude_user is not None:
        terms.append(rc.user_text != keep.exclude_user)
    if keep.hidden_user_mask and (keep.user is not None or keep.exclude_user is not None):
        terms.append(rc.deleted.op("&")(keep.hidden_user_mask) != keep.hidden_user_mask)
    if keep.hidden_log_mask:
        terms.append(or_(rc.type != "log", rc.deleted.op("&")(keep.hidden_log_mask) != keep.hidden_log_mask))
    if keep.target is not None:
        terms += [rc.namespace == keep.target[0], rc.title == keep.target[1]]
    if keep.targets is not None:
        pairs = sorted(keep.targets)[:MAX_TARGETS]
        terms.append(tuple_(rc.namespace, rc.title).in_(pairs) if pairs else false())
    if keep.since is not None:
        terms.append(rc.timestamp >= keep.since)
    if keep.until is not None:
        # A bound given to the second (MediaWiki's timestamps) covers that whole second of the stored,
        # finer times.
        until = keep.until
        if until.microsecond == 0:
            until += timedelta(seconds=1, microseconds=-1)
        terms.append(rc.timestamp <= until)
    if keep.tag:
        tagged = select(ChangeTag.rc_id).where(ChangeTag.tag == keep.tag, ChangeTag.rc_id.is_not(None))
        terms.append(rc.id.in_(tagged))
    return terms


def _query(keep: RCFilter) -> Select[Any]:
    rc = RecentChange
    query = select(*COLUMNS).where(*conditions(keep))
    if keep.redirect is not None or keep.top_only:
        query = query.join(Page, Page.id == rc.page_id)
        if keep.redirect is not None:
            query = query.where(Page.is_redirect.is_(keep.redirect))
        if keep.top_only:
            query = query.where(rc.rev_id == Page.latest)
    if keep.extend is not None:
        query = keep.extend(query)
    return query


def _beyond(cursor: Cursor, newer: bool) -> object:
    """Rows at or past the cursor: its second counts whole, the id decides within it. The first
    condition bounds the time alone, so the (timestamp, id) index serves it as a range."""
    rc = RecentChange
    second_end = cursor.timestamp + timedelta(seconds=1)
    if newer:
        return and_(rc.timestamp >= cursor.timestamp, or_(rc.timestamp >= second_end, rc.id >= cursor.id))
    return and_(rc.timestamp < second_end, or_(rc.timestamp < cursor.timestamp, rc.id <= cursor.id))


def window(
    keep: RCFilter, *, limit: int, cursor: Cursor | None = None, newer: bool = False, redirects: bool = False
) -> Window:
    """Up to `limit` rows (at most MAX_LIMIT) from `cursor` on, newest first or oldest first; with
    `redirects`, which of their pages are redirects now (the API's rcprop=redirect)."""
    limit = max(1, min(limit, MAX_LIMIT))
    query = _query(keep)
    if cursor is not None:
        query = query.where(_beyond(cursor, newer))  # type: ignore[arg-type]
    rc = RecentChange
    order = (rc.timestamp, rc.id) if newer else (rc.timestamp.desc(), rc.id.desc())
    picked = query.order_by(*order).limit(limit + 1).subquery()
    # On the session's connection: Core rows, without the ORM's per-column processing (a third of
    # the cost of a 500-row list).
    found = db.session.connection().execute(with_tags(picked, newer, db.engine.dialect.name)).all()
    n = len(COLUMNS)
    rows = [Change._make(row[:n]) for row in found]
    following = Cursor.of(rows[limit]) if len(rows) > limit else None
    tags = {row[0]: split_tags(row[n]) for row in found[:limit] if row[n]}
    rows = rows[:limit]
    return Window(rows, tags, following, _redirects(rows) if redirects else set())


TAG_SEPARATOR = "\x1f"  # a control character: never in a tag's name


def tags_column(rc_id: Any, dialect: str) -> Any:
    """The tags of the row whose id is `rc_id`, as one text (TAG_SEPARATOR between; null: none), for
    a list's own query: a second query for them cost a round trip to the database."""
    if dialect == "postgresql":
        joined = func.string_agg(ChangeTag.tag, literal_column("chr(31)"))
    else:
        joined = func.group_concat(ChangeTag.tag, literal_column("char(31)"))
    return select(joined).where(ChangeTag.rc_id == rc_id).scalar_subquery().label("tags")


def with_tags(picked: Any, newer: bool, dialect: str) -> Any:
    """The rows of `picked` (a limited subquery of recentchange's columns and more), each followed by
    its tags (`tags_column`), in the list's order again."""
    when, rc_id = picked.c.timestamp, picked.c.id
    order = (when, rc_id) if newer else (when.desc(), rc_id.desc())
    return select(picked, tags_column(rc_id, dialect)).order_by(*order)


def split_tags(joined: str | None) -> list[str]:
    """A `tags_column` value as the sorted list of the row's tags."""
    return sorted(joined.split(TAG_SEPARATOR)) if joined else []


def _redirects(rows: Sequence[Change]) -> set[int]:
    ids = {r.page_id for r in rows if r.page_id}
    if not ids:
        return set()
    query = select(Page.id).where(values_in(Page.id, ids), Page.is_redirect.is_(True))
    return set(db.session.scalars(query))


def linked_targets(page_id: int, *, linked_to: bool = False) -> Extend:
    """An `extend` for RecentChangesLinked: changes to the pages `page_id` links to (or, with
    `linked_to`, to the pages linking to it), joined in SQL rather than listed."""

    def narrow(query: Select[Any]) -> Select[Any]:
        rc = RecentChange
        if linked_to:
            page = db.session.get(Page, page_id)
            if page is None:
                return query.where(false())
            sources = select(Page.namespace, Page.title).join(PageLink, PageLink.from_id == Page.id)
            sources = sources.where(PageLink.namespace == page.namespace, PageLink.title == page.title)
            return query.where(tuple_(rc.namespace, rc.title).in_(sources))
        links = select(PageLink.namespace, PageLink.title).where(PageLink.from_id == page_id)
        return query.where(tuple_(rc.namespace, rc.title).in_(links))

    return narrow


def category_members(category: str) -> Extend:
    """An `extend` for RecentChangesLinked on a category: changes to its member pages."""

    def narrow(query: Select[Any]) -> Select[Any]:
        members = select(CategoryLink.from_id).where(CategoryLink.category == category)
        return query.where(RecentChange.page_id.in_(members))

    return narrow
