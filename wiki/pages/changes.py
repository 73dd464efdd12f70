"""Reading the edit history across pages: a user's contributions (Special:Contributions,
list=usercontribs) and a page's revisions (prop=revisions), newest (or oldest) first, paged by
revision id in SQL. Recent changes read their own table (wiki.pages.recentlist)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, defer

from wiki.extensions import db
from wiki.inlists import values_in
from wiki.models import ChangeTag, Page, RecentChange, Revision

MAX_LIMIT = 5000  # rows in one window (the API's highest limit for bots)


@dataclass(frozen=True)
class ChangeFilter:
    """Which revisions to list. None in a flag means "either"."""

    page_id: int | None = None  # the revisions of one page (its history)
    namespaces: tuple[int, ...] = ()
    users: tuple[str, ...] = ()  # user names (spaces, not underscores)
    user_prefix: str | None = None
    exclude_user: str | None = None
    since: datetime | None = None  # inclusive bounds on the revision's time
    until: datetime | None = None
    minor: bool | None = None
    anonymous: bool | None = None
    redirect: bool | None = None  # the page is (not) a redirect now
    bot: bool | None = None  # no edit here is a bot edit: bot=True lists nothing
    new: bool | None = None  # page creations (True) or later edits (False)
    top_only: bool = False  # only revisions that are their page's latest
    user_ids: tuple[int, ...] = ()
    invert: bool = False  # every namespace but `namespaces`
    tag: str | None = None  # only revisions with this change tag
    patrolled: bool | None = None  # (un)patrolled per their recent-changes row
    top: bool | None = None  # (not) their page's latest revision
    # Leave out revisions whose deletion bits include all of this mask (revdelete.user_mask): a
    # list by user must not list the edits whose user the reader may not see.
    hidden_user_mask: int | None = None


def _filtered(keep: ChangeFilter, *columns: Any) -> Select[Any]:
    """(Revision, Page) pairs, or these columns of them, that `keep` lets through."""
    top = keep.top_only or keep.top
    # Only latest revisions: joined on page.latest alone. Joined on page_id as well, PostgreSQL
    # estimated one row for the two conditions and hashed all 100,000 edits of a busy user (0.1 s);
    # on page.latest it merges the user's edits, newest first, with page.latest's index.
    on = Page.latest == Revision.id if top else Page.id == Revision.page_id
    query = select(*(columns or (Revision, Page))).select_from(Revision).join(Page, on)
    if keep.page_id is not None:
        query = query.where(Revision.page_id == keep.page_id)
    if keep.namespaces:
        spaces = Page.namespace
        query = query.where(spaces.not_in(keep.namespaces) if keep.invert else spaces.in_(keep.namespaces))
    if keep.user_ids:
        query = query.where(Revision.user_id.in_(keep.user_ids))
    if keep.tag:
        # A join, as MediaWiki's (a change has a tag once): PostgreSQL walks the tag's rows newest
        # first; with `id IN (tagged)` it read every edit of a busy user to find a rare tag's.
        query = query.join(ChangeTag, (ChangeTag.rev_id == Revision.id) & (ChangeTag.tag == keep.tag))
    if keep.patrolled is not None:
        unpatrolled = select(RecentChange.rev_id).where(
            RecentChange.patrolled == 0, RecentChange.rev_id.is_not(None)
        )
        query = query.where(
            Revision.id.not_in(unpatrolled) if keep.patrolled else Revision.id.in_(unpatrolled)
        )
    if len(keep.users) == 1:
        query = query.where(Revision.user_text == keep.users[0])
    elif keep.users:
        query = query.where(values_in(Revision.user_text, keep.users))  # an IP range: many names
    if keep.user_prefix is not None:
        query = query.where(Revision.user_text.startswith(keep.user_prefix, autoescape=True))
    if keep.exclude_user:
        query = query.where(Revision.user_text != keep.exclude_user)
    if keep.since is not None:
        query = query.where(Revision.timestamp >= keep.since)
    if keep.until is not None:
        query = query.where(Revision.timestamp <= keep.until)
    if keep.minor is not None:
        query = query.where(Revision.minor.is_(keep.minor))
    if keep.anonymous is not None:
        query = query.where(Revision.user_id.is_(None) if keep.anonymous else Revision.user_id.is_not(None))
    if keep.redirect is not None:
        query = query.where(Page.is_redirect.is_(keep.redirect))
    if keep.bot:
        query = query.where(Revision.id < 0)
    if keep.new is not None:
        query = query.where(Revision.parent_id.is_(None) if keep.new else Revision.parent_id.is_not(None))
    if keep.hidden_user_mask:
        mask = keep.hidden_user_mask
        query = query.where(Revision.deleted.op("&")(mask) != mask)
    if keep.top is False and not top:
        query = query.where(Revision.id != Page.latest)
    return query


def changes(
    keep: ChangeFilter,
    *,
    newer: bool = False,
    from_id: int | None = None,
    to_id: int | None = None,
    limit: int = 50,
    with_text: bool = True,
) -> list[tuple[Revision, Page]]:
    """Up to `limit` + 1 (revision, page) pairs from revision `from_id` on (up to `to_id`): newest
    first, or oldest first when `newer` (the extra row is where the next page starts). Lists that
    show no content pass `with_text=False`: 500 revisions of real pages are megabytes of text."""
    query = _filtered(keep)
    if not with_text:
        query = query.options(defer(Revision.text))
    return [tuple(row) for row in db.session.execute(_window(query, newer, from_id, to_id, limit))]


def _window(
    query: Select[Any], newer: bool, from_id: int | None, to_id: int | None, limit: int
) -> Select[Any]:
    """`query` from revision `from_id` on (up to `to_id`), `limit` + 1 rows in id order."""
    limit = max(1, min(limit, MAX_LIMIT))
    if from_id is not None:
        query = query.where(Revision.id >= from_id if newer else Revision.id <= from_id)
    if to_id is not None:
        query = query.where(Revision.id <= to_id if newer else Revision.id >= to_id)
    return query.order_by(Revision.id if newer else Revision.id.desc()).limit(limit + 1)


class ChangeLine(NamedTuple):
    """What a line of Special:Contributions shows of a revision (a plain tuple: 500 ORM entities
    cost more than their query, and a SQLAlchemy row's attributes are slow to read)."""

    id: int
    parent_id: int | None
    size: int
    comment: str
    timestamp: datetime
    minor: bool
    namespace: int
    title: str  # the page's dbkey
    latest: int | None  # the page's latest revision
    parent_size: int | None  # None when there is no parent revision
    deleted: int  # the revision's deletion bits (wiki.pages.revdelete)
    page_id: int


_PARENT = aliased(Revision, name="parent")
_LINE_COLUMNS = (
    Revision.id,
    Revision.parent_id,
    Revision.size,
    Revision.comment,
    Revision.timestamp,
    Revision.minor,
    Page.namespace,
    Page.title,
    Page.latest,
    _PARENT.size,
    Revision.deleted,
    Revision.page_id,
)


def change_lines(
    keep: ChangeFilter, *, newer: bool = False, from_id: int | None = None, limit: int = 50
) -> list[ChangeLine]:
    """Like `changes`, as ChangeLines: the parent's size comes from the same query."""
    query = _filtered(keep, *_LINE_COLUMNS).outerjoin(_PARENT, _PARENT.id == Revision.parent_id)
    return [ChangeLine(*row) for row in db.session.execute(_window(query, newer, from_id, None, limit))]


def revisions_by_id(rev_ids: list[int]) -> dict[int, Revision]:
    """The revisions that exist among these ids, in one query."""
    if not rev_ids:
        return {}
    return {r.id: r for r in db.session.scalars(select(Revision).where(Revision.id.in_(rev_ids)))}


def revision_counts(page_ids: list[int]) -> dict[int, int]:
    """How many revisions each of these pages has, in one query."""
    if not page_ids:
        return {}
    query = (
        select(Revision.page_id, func.count(Revision.id))
        .where(Revision.page_id.in_(page_ids))
        .group_by(Revision.page_id)
    )
    return {page_id: count for page_id, count in db.session.execute(query)}


def revision_tags(rev_ids: list[int]) -> dict[int, list[str]]:
    """The change tags of these revisions, sorted, in one query."""
    if not rev_ids:
        return {}
    found: dict[int, list[str]] = {}
    query = select(ChangeTag.rev_id, ChangeTag.tag).where(values_in(ChangeTag.rev_id, rev_ids))
    for rev_id, tag in db.session.execute(query):
        found.setdefault(rev_id, []).append(tag)
    return {k: sorted(v) for k, v in found.items()}


def patrol_states(rev_ids: list[int]) -> dict[int, int]:
    """The patrol state (0, 1, 2) of these revisions' recent-changes rows, where they still have one."""
    if not rev_ids:
        return {}
    query = select(RecentChange.rev_id, RecentChange.patrolled).where(RecentChange.rev_id.in_(rev_ids))
    return {rev_id: state for rev_id, state in db.session.execute(query)}


CIDR_LIMIT = {4: 16, 6: 32}  # the widest IP ranges listed ($wgRangeContributionsCIDRLimit)


class RangeTooWide(ValueError):
    """A CIDR range wider than CIDR_LIMIT."""


def ip_range(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR range ("192.0.2.0/24"); ValueError when the text is no range, RangeTooWide when it is
    wider than CIDR_LIMIT."""
    network = ipaddress.ip_network(text.strip(), strict=False)
    if network.prefixlen < CIDR_LIMIT[network.version]:
        raise RangeTooWide(f"/{CIDR_LIMIT[network.version]}")
    return network


def names_in_range(text: str) -> tuple[str, ...]:
    """The IP addresses in a CIDR range ("192.0.2.0/24") that have edited; ValueError when the text
    is no range, RangeTooWide when it is wider than CIDR_LIMIT."""
    network = ip_range(text)
    first = str(network.network_address)
    # The text every address of the range starts with: its fixed octets ("10.0.0." for a /24).
    prefix = (
        "".join(o + "." for o in first.split(".")[: network.prefixlen // 8])
        if network.version == 4
        else first.split(":")[0]
    )
    names = []
    for name in anonymous_names(prefix):
        try:
            if ipaddress.ip_address(name) in network:
                names.append(name)
        except ValueError:
            continue
    # A name no one has ("#" is no user name nor address; PostgreSQL refuses NUL): nothing edited.
    return tuple(names) or ("#",)


def anonymous_names(prefix: str, *, limit: int = 10000) -> list[str]:
    """The distinct IP addresses (anonymous editors) whose text starts with `prefix` (bounded)."""
    query = (
        select(Revision.user_text)
        .where(Revision.user_id.is_(None), Revision.user_text.startswith(prefix, autoescape=True))
        .distinct()
        .limit(limit)
    )
    return list(db.session.scalars(query))
