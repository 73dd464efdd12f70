"""Purging the caching proxies in front of the wiki after a change (MediaWiki's $wgCdnServers).

With `WIKI_CDN_SERVERS` set (a comma list of host:port of nginx or other proxies that accept HTTP
PURGE), every transaction that changes a page also writes `CdnPurge` rows naming the titles it
touched: this happens inside the transaction (session events, so no service needs to know), so a
purge exists exactly when the change committed, even if the process dies right after. The sender
thread of each process (wiki.cdn.sender) then expands each title to the URLs whose cached copies
are now wrong and sends PURGE to every proxy, retrying failures with a growing delay.

Which titles a transaction touched: the page of each search-outbox row it writes (every save,
deletion, undeletion, move and import writes one), the old and new titles of a page it renames,
and the title of each log entry (deletions, moves, protections: what anonymous readers see of a
page's tabs and notices). The URLs (wiki.cdn.urls) add what changed because of them: redirects to
the title, pages linking to it (red/blue links) or transcluding it, and the subject/talk pair.
"""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import InstanceState, Session

from wiki.extensions import db
from wiki.models import CdnPurge, LogEntry, Page, SearchOutbox

SENDER_KEY = "wiki.cdn.sender"
_PENDING = "wiki.cdn.pending"  # session.info: (page ids, (namespace, dbkey) titles) seen in flushes
_QUEUED = "wiki.cdn.queued"  # session.info: the purge rows this transaction wrote


def servers(app: Flask) -> list[tuple[str, int]]:
    """The configured proxies as (host, port); ValueError naming a malformed entry."""
    found = []
    for entry in str(app.config.get("WIKI_CDN_SERVERS") or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        host, _, port = entry.rpartition(":")
        if not host or not port.isdigit():
            raise ValueError(f'WIKI_CDN_SERVERS: "{entry}" is not host:port (e.g. 127.0.0.1:80)')
        found.append((host.strip("[]"), int(port)))
    return found


def init_app(app: Flask) -> None:
    """Queue purges in every page-changing transaction and send them, when proxies are configured."""
    from wiki.cdn.sender import Sender

    proxies = servers(app)
    if not proxies:
        return
    sender = Sender(app, proxies)
    app.extensions[SENDER_KEY] = sender
    app.before_request(sender.start)
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def _active() -> bool:
    return has_app_context() and SENDER_KEY in current_app.extensions


def _after_flush(session: Session, _context) -> None:
    if not _active():
        return
    ids, names = session.info.setdefault(_PENDING, (set(), set()))
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, SearchOutbox):
            ids.add(obj.page_id)
        elif isinstance(obj, LogEntry) and obj.title:
            names.add((obj.namespace, obj.title))
        elif isinstance(obj, Page):
            names.add((obj.namespace, obj.title))
            state: InstanceState[Page] = inspect(obj)
            old_ns = state.attrs.namespace.history.deleted or [obj.namespace]
            old_title = state.attrs.title.history.deleted or [obj.title]
            names.add((old_ns[0], old_title[0]))


def _before_commit(session: Session) -> None:
    if not _active():
        return
    session.flush()  # objects added since the last flush are seen by _after_flush
    ids, names = session.info.pop(_PENDING, (set(), set()))
    if ids:
        found = session.execute(db.select(Page.namespace, Page.title).where(Page.id.in_(ids)))
        names.update((ns, title) for ns, title in found)
    if not names:
        return
    rows = [CdnPurge(namespace=ns, title=title) for ns, title in sorted(names)]
    session.add_all(rows)
    session.flush()
    session.info[_QUEUED] = [(row.id, row.namespace, row.title) for row in rows]


def _after_commit(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued and _active():
        # Handed to the sender as they are: no database round trip before the PURGE goes out.
        current_app.extensions[SENDER_KEY].kick(queued)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_QUEUED, None)
