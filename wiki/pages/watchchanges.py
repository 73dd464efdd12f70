"""The changes a user's watchlist shows: recentchange rows of watched titles, newest first.

The query is recentchange joined to the user's watchlist rows on (namespace, title), filtered as
RecentChanges filters (`ChangeQuery`: minor, bot, anonymous, patrolled, type, namespace, user, age)
and keyset-paged by (timestamp, id) on ix_recentchange_timestamp_id; the join probes the watchlist's
unique (user_id, namespace, title) index. `restrict` applies the filters alone, so any list over
recentchange can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select, true, union_all
from sqlalchemy.orm import aliased

from wiki.extensions import db
from wiki.models import Page, RecentChange, WatchedItem, utcnow
from wiki.pages.recentlist import COLUMNS, Change
from wiki.recent import UNPATROLLED

Cursor = tuple[datetime, int]
# Up to this age a watched title's changes are read by time range, beyond it through the page's
# current revision: the faster of the two for the window (measured in bench/watchlist_bench.py).
SHORT_WINDOW = timedelta(days=7)  # (timestamp, id) of the first row not yet shown


@dataclass(frozen=True)
class ChangeQuery:
    """Filters over recentchange rows; None means "either"."""

    namespaces: tuple[int, ...] = ()
    minor: bool | None = None
    bot: bool | None = None
    anon: bool | None = None  # True: only anonymous edits; False: only registered users'
    patrolled: bool | None = None  # True: patrolled or autopatrolled; False: unpatrolled
    autopatrolled: bool | None = None
    types: tuple[str, ...] = ()  # edit | new | log
    user: str | None = None  # only this user's changes
    exclude_user: str | None = None  # hide this user's changes ("hide my edits")
    since: datetime | None = None  # the last N days
    start: datetime | None = None  # the listing's start and end timestamps (inclusive)
    end: datetime | None = None
    latest_only: bool = False  # only each page's latest change (MediaWiki's watchlist default)
    unread: bool | None = None  # watchlist: changed since the watcher last saw the page


@dataclass(frozen=True)
class Row:
    change: Change
    notified: datetime | None  # the watcher's notification time for the page
    expiry: datetime | None  # of the watch
    page_latest: int | None  # the page's current revision (for "cur" links)


def restrict(query: Select[Any], q: ChangeQuery, rc: Any = RecentChange) -> Select[Any]:
    """`query` (over RecentChange, or the alias `rc` of it) narrowed by the filters of `q`."""
    flags = ((q.minor, rc.minor), (q.bot, rc.bot))
    for wanted, column in flags:
        if wanted is not None:
            query = query.where(column.is_(True) if wanted else column.is_(False))
    if q.anon is not None:
        query = query.where(rc.user_id.is_(None) if q.anon else rc.user_id.is_not(None))
    if q.patrolled is not None:
        query = query.where(rc.patrolled != UNPATROLLED if q.patrolled else rc.patrolled == UNPATROLLED)
    if q.autopatrolled is not None:
        query = query.where(rc.patrolled == 2 if q.autopatrolled else rc.patrolled != 2)
    if q.namespaces:
        query = query.where(rc.namespace.in_(q.namespaces))
    if q.types:
        query = query.where(rc.type.in_(q.types))
    if q.user is not None:
        query = query.where(rc.user_text == q.user)
    if q.exclude_user is not None:
        query = query.where(rc.user_text != q.exclude_user)
    if q.since is not None:
        query = query.where(rc.timestamp >= q.since)
    return query


def window(
    user_id: int, q: ChangeQuery, *, limit: int, cursor: Cursor | None = None, newer: bool = False
) -> tuple[list[Row], Cursor | None]:
    """One page of the user's watchlist changes (newest first unless `newer`), and where the next
    page starts (None at the end)."""
    rc, wl = RecentChange, WatchedItem
    now = utcnow()
    if cursor is not None:
        # Cursors carry whole seconds (MediaWiki's form); the row's own timestamp is exact.
        stamp = db.session.scalar(select(rc.timestamp).where(rc.id == cursor[1])) or cursor[0]
        cursor = (stamp, cursor[1])
    on_watched = and_(wl.namespace == rc.namespace, wl.title == rc.title, wl.user_id == user_id)
    query = select(*COLUMNS, wl.notified.label("wl_notified"), wl.expiry.label("wl_expiry"), Page.latest)
    if q.latest_only:
        picked = _latest_changes(user_id, q, limit=limit, cursor=cursor, newer=newer, now=now)
        query = query.select_from(picked).join(rc, rc.id == picked.c.id).join(wl, on_watched)
    elif q.since is not None and db.engine.dialect.name == "postgresql":
        picked = _changes_by_title(user_id, q, limit=limit, cursor=cursor, newer=newer, now=now)
        query = query.select_from(picked).join(rc, rc.id == picked.c.id).join(wl, on_watched)
    else:
        query = restrict(query.join(wl, on_watched), q).where(*_terms(rc, q, cursor, newer, now))
    query = query.outerjoin(Page, Page.id == rc.page_id)
    order = (rc.timestamp, rc.id) if newer else (rc.timestamp.desc(), rc.id.desc())
    found = db.session.connection().execute(query.order_by(*order).limit(limit + 1)).all()  # Core rows
    rows = [Row(r, r.wl_notified, r.wl_expiry, r.latest) for r in found]
    more = (rows[limit].change.timestamp, rows[limit].change.id) if len(rows) > limit else None
    return rows[:limit], more


def _terms(r: Any, q: ChangeQuery, cursor: Cursor | None, newer: bool, now: datetime) -> list[Any]:
    """The watch's expiry, "unread", the start/end bounds and the cursor, over the alias `r`."""
    wl = WatchedItem
    terms: list[Any] = [or_(wl.expiry.is_(None), wl.expiry > now)]
    if q.unread is not None:
        seen = and_(wl.notified.is_not(None), r.timestamp >= wl.notified)
        terms.append(seen if q.unread else ~seen)
    low, high = (q.end, q.start) if not newer else (q.start, q.end)
    if low is not None:
        terms.append(r.timestamp >= low)
    if high is not None:
        terms.append(r.timestamp <= high)
    if cursor is not None:
        stamp, rc_id = cursor
        if newer:
            terms.append(or_(r.timestamp > stamp, and_(r.timestamp == stamp, r.id >= rc_id)))
        else:
            terms.append(or_(r.timestamp < stamp, and_(r.timestamp == stamp, r.id <= rc_id)))
    return terms


def _changes_by_title(
    user_id: int, q: ChangeQuery, *, limit: int, cursor: Cursor | None, newer: bool, now: datetime
) -> Any:
    """The ids of one page of every change to the watched titles within a time window, read title by
    title (a LATERAL range of ix_recentchange_target_timestamp each, at most `limit` + 1 rows per title).

    A plain join lets PostgreSQL walk recentchange by time and probe the watchlist for every row:
    56,000 probes for the last 30 days of a 1,000,000-row table, 0.6 s (bench/collab_bench.py); this
    reads the watched titles' own rows, ~2,000 index ranges for 1,000 watched pages, 0.1 s."""
    wl, inner = WatchedItem, aliased(RecentChange)
    columns = (inner.id.label("id"), inner.timestamp.label("timestamp"))
    order = (inner.timestamp, inner.id) if newer else (inner.timestamp.desc(), inner.id.desc())
    per_title = (
        restrict(select(*columns), q, inner)
        .where(
            inner.namespace == wl.namespace, inner.title == wl.title, *_terms(inner, q, cursor, newer, now)
        )
        .order_by(*order)
        .limit(limit + 1)
        .lateral("per_title")
    )
    found = per_title.c
    outer = (found.timestamp, found.id) if newer else (found.timestamp.desc(), found.id.desc())
    both = select(found.id).select_from(wl).join(per_title, true()).where(wl.user_id == user_id)
    return both.order_by(*outer).limit(limit + 1).cte("picked").prefix_with("MATERIALIZED")


def _latest_changes(
    user_id: int, q: ChangeQuery, *, limit: int, cursor: Cursor | None, newer: bool, now: datetime
) -> Any:
    """The ids of one page of "the latest change of each watched page" (and their logged actions),
    driven from the watched titles: a few thousand rows at most, never a scan of recentchange. Ordered
    and limited inside, so the outer query joins only the rows it shows."""
    wl = WatchedItem
    inner, page = aliased(RecentChange), aliased(Page)
    columns = (inner.id.label("id"), inner.timestamp.label("timestamp"))
    if q.since is not None and now - q.since <= SHORT_WINDOW:
        # A title's few changes of the last days (an index range), kept if current.
        edits = (
            select(*columns)
            .select_from(wl)
            .join(inner, and_(inner.namespace == wl.namespace, inner.title == wl.title))
            .join(page, and_(page.id == inner.page_id, page.latest == inner.rev_id))
        )
    else:  # each watched page's current revision, whenever it was made
        edits = (
            select(*columns)
            .select_from(wl)
            .join(page, and_(page.namespace == wl.namespace, page.title == wl.title))
            .join(inner, inner.rev_id == page.latest)
        )
    logs = (
        select(*columns)
        .select_from(wl)
        .join(
            inner, and_(inner.namespace == wl.namespace, inner.title == wl.title, inner.log_id.is_not(None))
        )
    )
    # The namespace filter goes on the watchlist rows, as an expression (namespace + 0): a plain
    # `namespace = N` is carried over the join to recentchange, where SQLite then scans the whole
    # namespace instead of probing the watched titles.
    rest = replace(q, namespaces=())
    terms = [wl.user_id == user_id, *_terms(inner, q, cursor, newer, now)]
    if q.namespaces:
        terms.append((wl.namespace + 0).in_(q.namespaces))
    edits, logs = restrict(edits, rest, inner).where(*terms), restrict(logs, rest, inner).where(*terms)
    both = union_all(edits, logs).subquery()
    order = (both.c.timestamp, both.c.id) if newer else (both.c.timestamp.desc(), both.c.id.desc())
    # Materialized, so no planner folds the outer query's joins into it.
    return select(both.c.id).order_by(*order).limit(limit + 1).cte("picked").prefix_with("MATERIALIZED")
