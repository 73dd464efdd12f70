"""The changes a user's watchlist shows: recentchange rows of watched titles, newest first.

The query is recentchange joined to the user's watchlist rows on (namespace, title), filtered by a
RecentChanges filter (`recentlist.RCFilter`: minor, bot, anonymous, patrol state, type, namespace
with invert and associated, user, tag, time bounds) and keyset-paged by (timestamp, id) on
ix_recentchange_timestamp_id; the join probes the watchlist's unique (user_id, namespace, title)
index. The watchlist's own choices (`ChangeQuery`) are "latest change per page only" and "unread".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, and_, bindparam, or_, select, true, union_all
from sqlalchemy.orm import aliased

from wiki.extensions import db
from wiki.models import Page, RecentChange, WatchedItem, utcnow
from wiki.pages.recentlist import (
    COLUMNS,
    Change,
    RCFilter,
    conditions,
    namespace_set,
    split_tags,
    with_tags,
)

Cursor = tuple[datetime, int]  # (timestamp, id) of the first row not yet shown
# Up to this age a watched title's changes are read by time range, beyond it through the page's
# current revision: the faster of the two for the window (measured in bench/watchlist_bench.py).
SHORT_WINDOW = timedelta(days=7)
SLACK = timedelta(minutes=1)  # "the last 7 days" is asked a moment before it is read
# A first page reads only the titles changed most recently (watchlist.changed, `_bound`): this many
# beyond the page's rows, for titles whose newest change is not shown (a deleted page).
SPARE_TITLES = 10
FILTERED_DEPTH = 2  # with filters, titles read per row of the page (some titles show no change)


@dataclass(frozen=True)
class ChangeQuery:
    """Which watchlist changes: a RecentChanges filter, and the watchlist's own choices."""

    keep: RCFilter = field(default_factory=RCFilter)
    latest_only: bool = False  # only each page's latest change (MediaWiki's watchlist default)
    unread: bool | None = None  # changed since the watcher last saw the page (True) or not (False)


@dataclass(frozen=True)
class Row:
    change: Change
    notified: datetime | None  # the watcher's notification time for the page
    expiry: datetime | None  # of the watch
    page_latest: int | None  # the page's current revision (for "cur" links)
    tags: list[str] = field(default_factory=list)  # of the change, sorted


@dataclass(frozen=True)
class _Shape:
    """What the statement's text depends on; the values (user, times, cursor, limit) are bound."""

    q: ChangeQuery  # with no `since`: it is bound
    dialect: str
    since: bool
    short: bool  # the window is short enough to read by time range (SHORT_WINDOW)
    cursor: bool
    newer: bool
    bounded: bool = False  # only titles changed since BOUND (see _bound)


# Bound values of the cached statements.
USER, LIMIT, CURSOR_ID = (bindparam(f"wl_{name}", type_=Integer()) for name in ("user", "limit", "cursor_id"))
NOW, SINCE, CURSOR_TIME, BOUND = (
    bindparam(f"wl_{name}", type_=DateTime()) for name in ("now", "since", "cursor_time", "bound")
)


def window(
    user_id: int, q: ChangeQuery, *, limit: int, cursor: Cursor | None = None, newer: bool = False
) -> tuple[list[Row], Cursor | None]:
    """One page of the user's watchlist changes (newest first unless `newer`), and where the next
    page starts (None at the end)."""
    rc = RecentChange
    now = utcnow()
    values: dict[str, Any] = {"wl_user": user_id, "wl_now": now, "wl_limit": limit + 1}
    if cursor is not None:
        # Cursors carry whole seconds (MediaWiki's form); the row's own timestamp is exact.
        stamp = db.session.scalar(select(rc.timestamp).where(rc.id == cursor[1])) or cursor[0]
        values.update(wl_cursor_time=stamp, wl_cursor_id=cursor[1])
    since = q.keep.since
    if since is not None:
        values["wl_since"] = since
    shape = _Shape(
        replace(q, keep=q.keep.narrowed(since=None)),
        db.engine.dialect.name,
        since is not None,
        since is not None and now - since <= SHORT_WINDOW + SLACK,
        cursor is not None,
        newer,
    )
    bound = _bound(user_id, q, limit, now) if _boundable(q, cursor) else None
    if bound is not None:
        rows = _rows(replace(shape, bounded=True), {**values, "wl_bound": bound})
        if len(rows) <= limit or rows[limit].change.timestamp < bound:
            rows = _rows(shape, values)  # the titles changed before `bound` may hold some of the page
    else:
        rows = _rows(shape, values)
    more = (rows[limit].change.timestamp, rows[limit].change.id) if len(rows) > limit else None
    return rows[:limit], more


def _rows(shape: _Shape, values: dict[str, Any]) -> list[Row]:
    query = _statement(shape) if shape.q.keep.extend is None else _build(shape)
    found = db.session.connection().execute(query, values).all()  # Core rows
    n = len(COLUMNS)  # then the watch's notification time and expiry, the page's latest revision, tags
    return [
        Row(Change._make(t[:n]), t[n], t[n + 1], t[n + 2], split_tags(t[n + 3])) for t in map(tuple, found)
    ]


def _boundable(q: ChangeQuery, cursor: Cursor | None) -> bool:
    """Whether the window is a first page over a time window (what `_bound` serves)."""
    return cursor is None and q.keep.since is not None and q.keep.extend is None and q.unread is None


def _bound(user_id: int, q: ChangeQuery, limit: int, now: datetime) -> datetime | None:
    """The latest change time of the user's N-th most recently changed title (in the namespaces
    asked for), if later than the window's start: N is the page's rows and SPARE_TITLES more, or
    twice the rows when filters leave out some titles' changes. A title changed before it has no
    change after it, so when the titles changed since then fill the page (limit + 1 rows as recent
    as it), the page is exact without the others; when they do not, `window` reads it all again."""
    plain = q.keep.narrowed(since=None, hidden_log_mask=None) == RCFilter()
    skip = (limit if plain else FILTERED_DEPTH * limit) + SPARE_TITLES
    spaces = namespace_set(q.keep)
    values = {"wl_user": user_id, "wl_now": now, "wl_skip": skip}
    found = db.session.connection().execute(_bound_statement(spaces, q.keep.invert), values).scalar()
    return found if found is not None and (q.keep.since is None or found > q.keep.since) else None


@functools.lru_cache(maxsize=64)
def _bound_statement(spaces: tuple[int, ...], invert: bool) -> Any:
    wl = WatchedItem
    terms: list[Any] = [
        wl.user_id == USER,
        wl.changed.is_not(None),
        or_(wl.expiry.is_(None), wl.expiry > NOW),
    ]
    if spaces:
        terms.append(wl.namespace.not_in(spaces) if invert else wl.namespace.in_(spaces))
    skip = bindparam("wl_skip", type_=Integer())
    return select(wl.changed).where(*terms).order_by(wl.changed.desc()).offset(skip).limit(1)


@functools.lru_cache(maxsize=256)
def _statement(shape: _Shape) -> Any:
    """The statement of a shape, built once per process: building it cost more CPU than PostgreSQL
    spends answering it (a watchlist of 250 lines, bench/collab_bench.py)."""
    return _build(shape)


def _build(shape: _Shape) -> Any:
    """The page's rows, then each row's tags (recentlist.tags_column)."""
    picked = (_latest_changes(shape) if shape.q.latest_only else _every_change(shape)).subquery()
    return with_tags(picked, shape.newer, shape.dialect)


def _every_change(shape: _Shape) -> Any:
    rc, wl, q = RecentChange, WatchedItem, shape.q
    order = (rc.timestamp, rc.id) if shape.newer else (rc.timestamp.desc(), rc.id.desc())
    if shape.since and shape.dialect == "postgresql":
        return _changes_by_title(shape)
    on_watched = and_(wl.namespace == rc.namespace, wl.title == rc.title, wl.user_id == USER)
    query = select(*COLUMNS, wl.notified.label("wl_notified"), wl.expiry.label("wl_expiry"), Page.latest)
    query = query.join(wl, on_watched).where(*conditions(q.keep), *_terms(rc, shape))
    return query.outerjoin(Page, Page.id == rc.page_id).order_by(*order).limit(LIMIT)


def _terms(r: Any, shape: _Shape) -> list[Any]:
    """The watch's terms and the change's (over the alias `r`)."""
    return [*_watch_terms(shape), *_change_terms(r, shape)]


def _watch_terms(shape: _Shape) -> list[Any]:
    """The watch is live and, for a window, its title changed within it (or is not known yet:
    watchlist.changed), so only those titles are looked up."""
    wl = WatchedItem
    terms: list[Any] = [or_(wl.expiry.is_(None), wl.expiry > NOW)]
    if shape.since:
        terms.append(or_(wl.changed.is_(None), wl.changed >= (BOUND if shape.bounded else SINCE)))
    return terms


def _change_terms(r: Any, shape: _Shape) -> list[Any]:
    """ "Unread", the time window's start and the cursor, over the alias `r`."""
    wl = WatchedItem
    terms: list[Any] = []
    if shape.q.unread is not None:
        seen = and_(wl.notified.is_not(None), r.timestamp >= wl.notified)
        terms.append(seen if shape.q.unread else ~seen)
    if shape.since:
        terms.append(r.timestamp >= SINCE)
    if shape.cursor:
        if shape.newer:
            terms.append(or_(r.timestamp > CURSOR_TIME, and_(r.timestamp == CURSOR_TIME, r.id >= CURSOR_ID)))
        else:
            terms.append(or_(r.timestamp < CURSOR_TIME, and_(r.timestamp == CURSOR_TIME, r.id <= CURSOR_ID)))
    return terms


def _changes_by_title(shape: _Shape) -> Any:
    """One page of every change to the watched titles within a time window, read title by title (a
    LATERAL range of ix_recentchange_target_timestamp each, at most `limit` + 1 rows per title), each
    row with every column the list shows (not joined again to recentchange and the watchlist).

    A plain join lets PostgreSQL walk recentchange by time and probe the watchlist for every row:
    56,000 probes for the last 30 days of a 1,000,000-row table, 0.6 s (bench/collab_bench.py); this
    reads the watched titles' own rows, ~2,000 index ranges for 1,000 watched pages, 0.1 s."""
    wl, inner, page = WatchedItem, aliased(RecentChange), aliased(Page)
    order = (inner.timestamp, inner.id) if shape.newer else (inner.timestamp.desc(), inner.id.desc())
    per_title = (
        select(*(getattr(inner, c.key) for c in COLUMNS))
        .where(
            inner.namespace == wl.namespace,
            inner.title == wl.title,
            *conditions(shape.q.keep, inner),
            *_change_terms(inner, shape),
        )
        .order_by(*order)
        .limit(LIMIT)
        .lateral("per_title")
    )
    found = per_title.c
    outer = (found.timestamp, found.id) if shape.newer else (found.timestamp.desc(), found.id.desc())
    picked = (
        select(*found, wl.notified.label("wl_notified"), wl.expiry.label("wl_expiry"))
        .select_from(wl)
        .join(per_title, true())
        .where(wl.user_id == USER, *_watch_terms(shape))  # outside the LATERAL: the index can serve
        .order_by(*outer)
        .limit(LIMIT)
        .subquery("picked")
    )
    return select(picked, page.latest.label("latest")).outerjoin(page, page.id == picked.c.page_id)


def _latest_changes(shape: _Shape) -> Any:
    """One page of "the latest change of each watched page" (and their logged actions), driven from
    the watched titles: a few thousand index probes at most, never a scan of recentchange. Each
    branch carries every column the list shows (the change, the watch's notification time and
    expiry, the page's current revision), so the rows are not joined again once picked."""
    wl = WatchedItem
    inner, page, logged_page = aliased(RecentChange), aliased(Page), aliased(Page)
    shown = (
        *(getattr(inner, c.key) for c in COLUMNS),
        wl.notified.label("wl_notified"),
        wl.expiry.label("wl_expiry"),
    )
    q = shape.q
    # The namespace filter goes on the watchlist rows, as an expression (namespace + 0): a plain
    # `namespace = N` is carried over the join to recentchange, where SQLite then scans the whole
    # namespace instead of probing the watched titles.
    watched: list[Any] = [wl.user_id == USER, *_watch_terms(shape)]
    spaces = namespace_set(q.keep)
    if spaces:
        on_watched = wl.namespace + 0
        watched.append(on_watched.not_in(spaces) if q.keep.invert else on_watched.in_(spaces))
    rest = conditions(q.keep.narrowed(namespaces=(), invert=False, associated=False), inner)
    changes = [*rest, *_change_terms(inner, shape)]
    if shape.short and shape.dialect == "postgresql":
        # Each title's newest change of the window (LATERAL, newest first, one row): the only one
        # that can be its page's current revision; half the rows a join of the whole range read.
        newest = (
            select(*(getattr(inner, c.key) for c in COLUMNS))
            .where(inner.namespace == wl.namespace, inner.title == wl.title, inner.log_id.is_(None), *changes)
            .order_by(inner.timestamp.desc())  # the index's order: it stops at the first row
            .limit(1)
            .lateral("newest")
        )
        edits = (
            select(*newest.c, *shown[len(COLUMNS) :], page.latest.label("latest"))
            .select_from(wl)
            .join(newest, true())
            .join(page, and_(page.id == newest.c.page_id, page.latest == newest.c.rev_id))
            .where(*watched)
        )
    elif shape.short:
        # A title's few changes of the last days (an index range), kept if current.
        edits = (
            select(*shown, page.latest.label("latest"))
            .select_from(wl)
            .join(inner, and_(inner.namespace == wl.namespace, inner.title == wl.title))
            .join(page, and_(page.id == inner.page_id, page.latest == inner.rev_id))
            .where(*watched, *changes)
        )
    elif shape.dialect == "postgresql":
        # Each watched page's current revision, whenever it was made, the page looked up per watched
        # title (LATERAL): a hash join read and hashed the whole page table instead (100,000 titles,
        # 15 ms against 10; and it grows with the wiki, this with the watchlist).
        current = (
            select(page.latest.label("latest"))
            .where(page.namespace == wl.namespace, page.title == wl.title)
            .limit(1)
            .lateral("watched_page")
        )
        edits = (
            select(*shown, current.c.latest)
            .select_from(wl)
            .join(current, true())
            .join(inner, inner.rev_id == current.c.latest)
            .where(*watched, *changes)
        )
    else:  # the same as a join (SQLite probes the page index per watched title anyway)
        edits = (
            select(*shown, page.latest.label("latest"))
            .select_from(wl)
            .join(page, and_(page.namespace == wl.namespace, page.title == wl.title))
            .join(inner, inner.rev_id == page.latest)
            .where(*watched, *changes)
        )
    latest_of_logged = select(logged_page.latest).where(logged_page.id == inner.page_id).scalar_subquery()
    logs = (
        select(*shown, latest_of_logged.label("latest"))
        .select_from(wl)
        .join(
            inner, and_(inner.namespace == wl.namespace, inner.title == wl.title, inner.log_id.is_not(None))
        )
        .where(*watched, *changes)
    )
    both = union_all(edits, logs).subquery()
    order = (both.c.timestamp, both.c.id) if shape.newer else (both.c.timestamp.desc(), both.c.id.desc())
    return select(*both.c).order_by(*order).limit(LIMIT)
