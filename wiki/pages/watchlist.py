"""Watchlists: the titles each user watches, as MediaWiki keeps them.

A page and its talk page are watched together: watching either writes one row for each (the rows
share the expiry). A row carries `notified`, the time of the first change by someone else since the
watcher last looked (MediaWiki's wl_notificationtimestamp), set by `notify` in the saving
transaction and cleared by `mark_seen`. A temporary watch has an `expiry`; rows past it are ignored
by every read (and removed when the user's list is next written). Moves copy the watchers to the new
title (`carry`); deletions leave them. The change list over recentchange is `watchchanges`.

Expiries arrive parsed (the edges read "1 week", "infinite" or a date with wiki.access.expiry).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, false, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from wiki import recent
from wiki.extensions import db
from wiki.models import WatchedItem, WatchlistToken, utcnow

Key = tuple[int, str]  # (namespace, dbkey)
MAX_TITLES = (
    10_000  # titles one request may add or keep (EditWatchlist/raw); MediaWiki's $wgMaxWatchlistSize idea
)
BATCH = 500  # titles per IN (...) list


@dataclass(frozen=True)
class Watch:
    """How a user watches one title."""

    expiry: datetime | None  # None: permanently
    notified: datetime | None  # changed by someone else since the user last saw it


def pair(namespace: int, dbkey: str) -> tuple[Key, Key]:
    """The subject page and talk page keys of a title (watched together)."""
    return (namespace & ~1, dbkey), (namespace | 1, dbkey)


def watchable(namespace: int) -> bool:
    return namespace >= 0


def _live(now: datetime | None = None) -> ColumnElement[bool]:
    return or_(WatchedItem.expiry.is_(None), WatchedItem.expiry > (now or utcnow()))


def _dialect() -> Any:
    return postgresql if db.engine.dialect.name == "postgresql" else sqlite


def _upsert(rows: list[dict[str, Any]], *, set_expiry: bool) -> None:
    """Insert rows; an existing row keeps its notification time and takes the new expiry if asked."""
    if not rows:
        return
    stmt = _dialect().insert(WatchedItem.__table__).values(rows)
    target = ["user_id", "namespace", "title"]
    if set_expiry:
        stmt = stmt.on_conflict_do_update(index_elements=target, set_={"expiry": stmt.excluded.expiry})
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=target)
    db.session.execute(stmt)


def _title_in(keys: Iterable[Key]) -> ColumnElement[bool]:
    """WHERE (namespace, title) is one of `keys`, grouped by namespace (portable, index-friendly)."""
    by_ns: dict[int, set[str]] = {}
    for ns, key in keys:
        by_ns.setdefault(ns, set()).add(key)
    parts = [and_(WatchedItem.namespace == ns, WatchedItem.title.in_(sorted(ks))) for ns, ks in by_ns.items()]
    return or_(*parts) if parts else false()


def watch(user_id: int, keys: Iterable[Key], expiry: datetime | None = None, *, commit: bool = True) -> None:
    """Watch each title and its talk page (until `expiry`; None: permanently)."""
    wanted = {k for ns, key in keys if watchable(ns) for k in pair(ns, key)}
    rows = [
        {"user_id": user_id, "namespace": ns, "title": key, "notified": None, "expiry": expiry}
        for ns, key in sorted(wanted)
    ]
    _drop_expired(user_id)
    for start in range(0, len(rows), BATCH):
        _upsert(rows[start : start + BATCH], set_expiry=True)
    recent.refresh_watch_times(user_id=user_id, unknown=True)
    if commit:
        db.session.commit()


def unwatch(user_id: int, keys: Iterable[Key], *, commit: bool = True) -> None:
    """Stop watching each title and its talk page."""
    wanted = sorted({k for ns, key in keys for k in pair(ns, key)})
    for start in range(0, len(wanted), BATCH):
        db.session.execute(
            delete(WatchedItem).where(
                WatchedItem.user_id == user_id, _title_in(wanted[start : start + BATCH])
            )
        )
    if commit:
        db.session.commit()


def state(user_id: int | None, keys: Iterable[Key]) -> dict[Key, Watch]:
    """The titles of `keys` that the user watches (expired watches left out), in batched queries."""
    wanted = sorted(set(keys))
    found: dict[Key, Watch] = {}
    if user_id is None:
        return found
    now = utcnow()
    for start in range(0, len(wanted), BATCH):
        rows = db.session.execute(
            select(WatchedItem.namespace, WatchedItem.title, WatchedItem.expiry, WatchedItem.notified).where(
                WatchedItem.user_id == user_id, _title_in(wanted[start : start + BATCH]), _live(now)
            )
        )
        for ns, key, expiry, notified in rows:
            found[(ns, key)] = Watch(expiry, notified)
    return found


def is_watched(user_id: int | None, namespace: int, dbkey: str) -> Watch | None:
    return state(user_id, [(namespace, dbkey)]).get((namespace, dbkey))


def watchers(keys: Iterable[Key]) -> dict[Key, int]:
    """How many users watch each title (expired watches left out)."""
    wanted = sorted(set(keys))
    counts: dict[Key, int] = {}
    for start in range(0, len(wanted), BATCH):
        rows = db.session.execute(
            select(WatchedItem.namespace, WatchedItem.title, func.count())
            .where(_title_in(wanted[start : start + BATCH]), _live())
            .group_by(WatchedItem.namespace, WatchedItem.title)
        )
        counts.update({(ns, key): n for ns, key, n in rows})
    return counts


@dataclass(frozen=True)
class Entry:
    namespace: int
    title: str
    expiry: datetime | None
    notified: datetime | None


def titles(
    user_id: int,
    *,
    limit: int,
    after: Key | None = None,
    namespaces: Iterable[int] = (),
    changed: bool | None = None,
    from_key: Key | None = None,
    to_key: Key | None = None,
    descending: bool = False,
) -> tuple[list[Entry], Key | None]:
    """One page of the user's watched titles in (namespace, title) order, and the key to continue
    from (None at the end): keyset paging on the unique (user_id, namespace, title) index."""
    query = select(WatchedItem).where(WatchedItem.user_id == user_id, _live())
    ns_list = list(namespaces)
    if ns_list:
        query = query.where(WatchedItem.namespace.in_(ns_list))
    if changed is not None:
        query = query.where(WatchedItem.notified.is_not(None) if changed else WatchedItem.notified.is_(None))
    for bound, lower in ((from_key, not descending), (to_key, descending), (after, not descending)):
        if bound is not None:
            query = query.where(_beyond(bound, lower, inclusive=True))
    order = (WatchedItem.namespace, WatchedItem.title)
    query = query.order_by(*(c.desc() for c in order) if descending else order).limit(limit + 1)
    rows = list(db.session.scalars(query))
    more = (rows[limit].namespace, rows[limit].title) if len(rows) > limit else None
    return [Entry(r.namespace, r.title, r.expiry, r.notified) for r in rows[:limit]], more


def _beyond(key: Key, lower: bool, *, inclusive: bool) -> ColumnElement[bool]:
    ns, title = key
    if lower:
        edge = WatchedItem.title >= title if inclusive else WatchedItem.title > title
        return or_(WatchedItem.namespace > ns, and_(WatchedItem.namespace == ns, edge))
    edge = WatchedItem.title <= title if inclusive else WatchedItem.title < title
    return or_(WatchedItem.namespace < ns, and_(WatchedItem.namespace == ns, edge))


# Built once: Special:Watchlist asks on every view, and building the statement cost more CPU than
# the database spends answering it.
_COUNT = select(func.count()).where(
    WatchedItem.user_id == bindparam("wl_user"),
    or_(WatchedItem.expiry.is_(None), WatchedItem.expiry > bindparam("wl_now")),
    WatchedItem.namespace % 2 == 0,
)


def count(user_id: int) -> int:
    """How many titles (subject and talk rows counted once each pair) the user watches."""
    found = db.session.connection().execute(_COUNT, {"wl_user": user_id, "wl_now": utcnow()})
    return int(found.scalar() or 0)


def replace(user_id: int, keys: Iterable[Key]) -> tuple[int, int]:
    """Make the watchlist exactly `keys` (and their talk pages); answers (added, removed) titles."""
    wanted = {pair(ns, key)[0] for ns, key in keys if watchable(ns)}
    have = {(e.namespace, e.title) for e in _all_subjects(user_id)}
    added, removed = wanted - have, have - wanted
    unwatch(user_id, removed, commit=False)
    watch(user_id, added, None, commit=False)
    db.session.commit()
    return len(added), len(removed)


def _all_subjects(user_id: int) -> list[Entry]:
    entries, after = [], None
    while True:
        page, after = titles(user_id, limit=BATCH, after=after, namespaces=())
        entries += [e for e in page if e.namespace % 2 == 0]
        if after is None:
            return entries


def clear(user_id: int) -> int:
    """Remove every title from the user's watchlist; answers how many titles were on it."""
    removed = count(user_id)
    db.session.execute(delete(WatchedItem).where(WatchedItem.user_id == user_id))
    db.session.commit()
    return removed


def mark_seen(user_id: int, namespace: int, dbkey: str) -> bool:
    """The user has seen the current version of this page: clear its notification (one row, as
    MediaWiki: viewing the talk page does not mark the subject page). Answers whether it changed."""
    result = db.session.execute(
        update(WatchedItem)
        .where(
            WatchedItem.user_id == user_id,
            WatchedItem.namespace == namespace,
            WatchedItem.title == dbkey,
            WatchedItem.notified.is_not(None),
        )
        .values(notified=None)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0))


def mark_all_seen(user_id: int) -> None:
    db.session.execute(
        update(WatchedItem)
        .where(WatchedItem.user_id == user_id, WatchedItem.notified.is_not(None))
        .values(notified=None)
    )
    db.session.commit()


def notify(namespace: int, dbkey: str, editor_id: int | None, when: datetime) -> None:
    """A change of the title by `editor_id` (None: anonymous): every other watcher who has seen the
    page since their last notification gets one. Runs in the saving transaction (no commit)."""
    db.session.execute(
        update(WatchedItem)
        .where(
            WatchedItem.namespace == namespace,
            WatchedItem.title == dbkey,
            WatchedItem.notified.is_(None),
            _live(when),
            *(() if editor_id is None else (WatchedItem.user_id != editor_id,)),
        )
        .values(notified=when)
    )


def carry(old: Key, new: Key) -> None:
    """A move: whoever watches the old title (and its talk page) now watches the new one too, with
    the same expiry. Runs in the move's transaction (no commit)."""
    for (old_ns, old_key), (new_ns, new_key) in zip(pair(*old), pair(*new), strict=True):
        rows = db.session.execute(
            select(WatchedItem.user_id, WatchedItem.expiry).where(
                WatchedItem.namespace == old_ns, WatchedItem.title == old_key, _live()
            )
        ).all()
        batch = [
            {"user_id": uid, "namespace": new_ns, "title": new_key, "notified": None, "expiry": expiry}
            for uid, expiry in rows
        ]
        for start in range(0, len(batch), BATCH):
            _upsert(batch[start : start + BATCH], set_expiry=False)
        recent.refresh_watch_times(namespace=new_ns, title=new_key, unknown=True)


def _drop_expired(user_id: int) -> None:
    """Remove the user's expired rows (every read ignores them already), when the list is written."""
    db.session.execute(
        delete(WatchedItem).where(
            WatchedItem.user_id == user_id, WatchedItem.expiry.is_not(None), WatchedItem.expiry <= utcnow()
        )
    )


_TOKEN = select(WatchlistToken.token).where(WatchlistToken.user_id == bindparam("wl_user"))


def feed_token(user_id: int) -> str:
    """The user's watchlist feed token (made on first use): lets a feed reader read this watchlist."""
    token = db.session.connection().execute(_TOKEN, {"wl_user": user_id}).scalar()
    if token is None:
        stmt = (
            _dialect().insert(WatchlistToken.__table__).values(user_id=user_id, token=secrets.token_hex(20))
        )
        db.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id"]))
        db.session.commit()
        token = db.session.connection().execute(_TOKEN, {"wl_user": user_id}).scalar()
    assert token is not None
    return str(token)


def reset_feed_token(user_id: int) -> str:
    """A new token: feed readers holding the old one lose access."""
    db.session.execute(delete(WatchlistToken).where(WatchlistToken.user_id == user_id))
    db.session.commit()
    return feed_token(user_id)


def valid_feed_token(user_id: int, token: str | None) -> bool:
    """Whether `token` is the user's watchlist token (constant-time; a user without one has none)."""
    known = db.session.connection().execute(_TOKEN, {"wl_user": user_id}).scalar()
    if known is None or not token:
        return False
    return hmac.compare_digest(str(known).encode(), token.encode())
