"""Reading the link graph: what links here, wanted pages, page lists, redirects, category members.

Storage only: these functions return rows (pages, titles, counts) and never HTML. The tables they
read are written by wiki.pages.linktables in the transaction of every save, move and delete, so the answers
always agree with the latest revisions.

Titles are ordered as MediaWiki orders them, by their bytes (binary collation), on SQLite and on
PostgreSQL alike; paging is by key (the next title, sort key or page id), never by offset, except
for the short maintenance reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from wiki import titles
from wiki.extensions import db
from wiki.models import CategoryLink, ImageLink, Page, PageLink, Redirect, TemplateLink
from wiki.pages import linktables

FILE, CATEGORY = titles.FILE, titles.CATEGORY


def _binary(column: ColumnElement[str]) -> ColumnElement[str]:
    """`column` compared and ordered by its bytes, as MediaWiki sorts titles."""
    if db.engine.dialect.name == "postgresql":
        return column.collate("C")
    return column


# --- redirects -------------------------------------------------------------------------------


def redirect_of(page_id: int) -> Redirect | None:
    """Where a redirect page points (namespace, dbkey, fragment), or None."""
    return db.session.get(Redirect, page_id)


def page_at(namespace: int, dbkey: str) -> Page | None:
    return db.session.execute(
        select(Page).where(Page.namespace == namespace, Page.title == dbkey)
    ).scalar_one_or_none()


def redirect_count(namespace: int, dbkey: str) -> int:
    """How many redirects point at this title."""
    query = select(func.count()).where(Redirect.namespace == namespace, Redirect.title == dbkey)
    return db.session.execute(query.select_from(Redirect)).scalar_one()


def pages_named(namespace: int, dbkeys: list[str]) -> list[Page]:
    """The pages that exist among these titles of one namespace (one query)."""
    if not dbkeys:
        return []
    return list(db.session.scalars(select(Page).where(Page.namespace == namespace, Page.title.in_(dbkeys))))


def list_redirects(limit: int, offset: int) -> list[tuple[Page, Redirect, Page | None]]:
    """(redirect page, its target, the target page or None), by redirect title."""
    target = aliased(Page)
    query = (
        select(Page, Redirect, target)
        .join(Redirect, Redirect.page_id == Page.id)
        .outerjoin(target, and_(target.namespace == Redirect.namespace, target.title == Redirect.title))
        .order_by(Page.namespace, _binary(Page.title))
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.execute(query).tuples())


def double_redirects(limit: int, offset: int) -> list[tuple[Page, Page, Redirect]]:
    """(redirect, the redirect it points to, where that one points): chains a reader cannot follow."""
    second = aliased(Page)
    second_target = aliased(Redirect)
    query = (
        select(Page, second, second_target)
        .join(Redirect, Redirect.page_id == Page.id)
        .join(second, and_(second.namespace == Redirect.namespace, second.title == Redirect.title))
        .join(second_target, second_target.page_id == second.id)
        .where(second.id != Page.id)
        .order_by(Page.namespace, _binary(Page.title))
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.execute(query).tuples())


def broken_redirects(limit: int, offset: int) -> list[tuple[Page, Redirect]]:
    """Redirects to titles that do not exist (special pages excluded: they always exist)."""
    target = aliased(Page)
    query = (
        select(Page, Redirect)
        .join(Redirect, Redirect.page_id == Page.id)
        .outerjoin(target, and_(target.namespace == Redirect.namespace, target.title == Redirect.title))
        .where(target.id.is_(None), Redirect.namespace >= 0)
        .order_by(Page.namespace, _binary(Page.title))
        .limit(limit)
        .offset(offset)
    )
    return list(db.session.execute(query).tuples())


# --- what links here ---------------------------------------------------------------------------


@dataclass
class Linker:
    """A page that links to, redirects to or transcludes a title."""

    page: Page
    kinds: set[str] = field(default_factory=set)  # "link", "redirect", "transclusion"
    via: list[Linker] = field(default_factory=list)  # for a redirect: the pages linking through it
    more_via: bool = False  # the list of pages linking through the redirect was cut short


@dataclass
class LinkersPage:
    linkers: list[Linker]
    next_from: int | None  # page id where the next page starts
    prev_from: int | None  # page id where the previous page starts (0: the first page)


@dataclass(frozen=True)
class LinkerFilter:
    """Which linking pages to keep: namespaces (empty: all) and redirect pages or not (None: both)."""

    namespaces: tuple[int, ...] = ()
    redirects: bool | None = None


# The tables that hold a link to a title, by the kind of link `what_links_here` names.
LinkSource = type[PageLink] | type[Redirect] | type[TemplateLink] | type[ImageLink]


def _source_ids(
    model: LinkSource,
    target: tuple[int, str],
    keep: LinkerFilter,
    bound: int | None,
    limit: int,
    desc: bool = False,
) -> list[int]:
    """Ids of pages linking to `target` through `model`, from `bound` on (down from it when `desc`)."""
    ns, key = target
    column = model.page_id if model is Redirect else model.from_id
    if model is ImageLink:
        if ns != FILE:
            return []
        query = select(column).where(ImageLink.title == key)
    else:
        query = select(column).where(model.namespace == ns, model.title == key)
    if model is PageLink:
        # A redirect page also links to its target; MediaWiki lists it once, as a redirect.
        redirects = select(Redirect.page_id).where(Redirect.namespace == ns, Redirect.title == key)
        query = query.where(column.not_in(redirects))
    if keep.namespaces or keep.redirects is not None:
        query = query.join(Page, Page.id == column)
        if keep.namespaces:
            query = query.where(Page.namespace.in_(keep.namespaces))
        if keep.redirects is not None:
            query = query.where(Page.is_redirect.is_(keep.redirects))
    if desc:
        query = query.where(column <= bound) if bound is not None else query
        query = query.order_by(column.desc())
    else:
        query = query.where(column >= (bound or 0)).order_by(column)
    return list(db.session.scalars(query.limit(limit)))


def _kinds_by_id(
    target: tuple[int, str],
    kinds: tuple[str, ...],
    keep: LinkerFilter,
    bound: int | None,
    limit: int,
    desc: bool = False,
) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    sources: dict[str, LinkSource] = {
        "link": PageLink,
        "redirect": Redirect,
        "transclusion": TemplateLink,
        "file": ImageLink,
    }
    for kind in kinds:
        for page_id in _source_ids(sources[kind], target, keep, bound, limit, desc):
            found.setdefault(page_id, set()).add(kind)
    return found


def what_links_here(
    target: tuple[int, str],
    *,
    kinds: tuple[str, ...] = ("link", "redirect", "transclusion", "file"),
    namespace: int | None = None,
    keep: LinkerFilter | None = None,
    from_id: int | None = None,
    descending: bool = False,
    limit: int = 50,
    nested_limit: int = 50,
    previous: bool = True,
) -> LinkersPage:
    """Pages linking to, redirecting to, transcluding or (a file) showing `target`, by page id, with paging.

    `from_id` is the first id of the page (the `next_from` of the page before); `descending` pages
    from the highest id down. Each redirect carries the pages that link to or transclude it (one
    level, as MediaWiki nests them), so a reader sees who reaches the target through it.
    """
    if keep is None:
        keep = LinkerFilter(namespaces=(namespace,) if namespace is not None else ())
    found = _kinds_by_id(target, kinds, keep, from_id, limit + 1, descending)
    ids = sorted(found, reverse=descending)[: limit + 1]
    next_from = ids[limit] if len(ids) > limit else None
    ids = ids[:limit]
    prev_from = None
    if previous and not descending:
        start = from_id or 0
        before = sorted(_kinds_by_id(target, kinds, keep, start - 1, limit, desc=True), reverse=True)
        prev_from = (before[:limit][-1] if len(before) >= limit else 0) if before else None
    rows = {p.id: p for p in db.session.scalars(select(Page).where(Page.id.in_(ids)))} if ids else {}
    linkers = [Linker(rows[i], found[i]) for i in ids if i in rows]
    for linker in linkers:
        if "redirect" in linker.kinds and nested_limit > 0:
            inner = what_links_here(
                (linker.page.namespace, linker.page.title),
                kinds=tuple(k for k in kinds if k != "redirect") + ("redirect",),
                limit=nested_limit,
                nested_limit=0,
                previous=False,
            )
            linker.via, linker.more_via = inner.linkers, inner.next_from is not None
    return LinkersPage(linkers, next_from, prev_from)


# --- wanted, all pages, prefix, random ---------------------------------------------------------


def wanted_pages(limit: int, offset: int) -> list[tuple[int, str, int]]:
    """(namespace, dbkey, number of links) of the most-linked missing titles.

    As MediaWiki: user pages are not wanted, and links from redirects alone do not count.
    """
    target = aliased(Page)
    source = aliased(Page)
    links = func.count()
    query = (
        select(PageLink.namespace, PageLink.title, links)
        .outerjoin(target, and_(target.namespace == PageLink.namespace, target.title == PageLink.title))
        .join(source, source.id == PageLink.from_id)
        .where(
            target.id.is_(None),
            PageLink.namespace.not_in([titles.USER, titles.USER_TALK]),
            source.namespace != titles.MEDIAWIKI,
            source.is_redirect.is_(False),
        )
        .group_by(PageLink.namespace, PageLink.title)
        .order_by(links.desc(), PageLink.namespace, _binary(PageLink.title))
        .limit(limit)
        .offset(offset)
    )
    return [tuple(row) for row in db.session.execute(query)]


@dataclass
class TitleRange:
    pages: list[Page]
    next_from: str | None  # dbkey where the next page of results starts
    prev_from: str | None  # dbkey where the previous page starts ("" for the first page)


def all_pages(
    namespace: int,
    *,
    start: str = "",
    end: str = "",
    prefix: str = "",
    limit: int = 345,
    hide_redirects: bool = False,
    redirects: bool | None = None,
    min_size: int | None = None,
    max_size: int | None = None,
    descending: bool = False,
    previous: bool = True,
) -> TitleRange:
    """Pages of a namespace in title order from `start` (and up to `end`, or starting with `prefix`).

    `redirects` keeps only redirects (True) or only other pages (False); sizes are in bytes.
    `descending` goes down from `start` to `end`; `previous` also finds where the page before starts.
    """
    title = _binary(Page.title)
    query = select(Page).where(Page.namespace == namespace)
    if prefix:
        query = query.where(func.substr(Page.title, 1, len(prefix)) == prefix)
    if hide_redirects:
        redirects = False
    if redirects is not None:
        query = query.where(Page.is_redirect.is_(redirects))
    if min_size is not None:
        query = query.where(Page.length >= min_size)
    if max_size is not None:
        query = query.where(Page.length <= max_size)
    if descending:
        query = query.where(title >= end) if end else query
        query = query.where(title <= start) if start else query
        rows = list(db.session.scalars(query.order_by(title.desc()).limit(limit + 1)))
        return TitleRange(rows[:limit], rows[limit].title if len(rows) > limit else None, None)
    if end:
        query = query.where(title <= end)
    rows = list(db.session.scalars(query.where(title >= start).order_by(title).limit(limit + 1)))
    next_from = rows[limit].title if len(rows) > limit else None
    prev_from = None
    if start and previous:
        before = list(
            db.session.scalars(
                query.with_only_columns(Page.title).where(title < start).order_by(title.desc()).limit(limit)
            )
        )
        if before:
            prev_from = before[-1] if len(before) == limit else ""
    return TitleRange(rows[:limit], next_from, prev_from)


def random_page(namespaces: tuple[int, ...] = (titles.MAIN,)) -> Page | None:
    """A random page that is not a redirect, from the content namespaces."""
    query = select(Page).where(Page.namespace.in_(namespaces), Page.is_redirect.is_(False))
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    if not count:
        return None
    return db.session.scalars(query.order_by(Page.id).offset(random.randrange(count)).limit(1)).first()


# --- categories --------------------------------------------------------------------------------


def categories(*, start: str = "", limit: int = 50) -> tuple[list[tuple[str, int]], str | None]:
    """(category dbkey, member count) in name order from `start`, and where the next page starts."""
    name = _binary(CategoryLink.category)
    query = (
        select(CategoryLink.category, func.count())
        .where(name >= start)
        .group_by(CategoryLink.category)
        .order_by(name)
        .limit(limit + 1)
    )
    rows = [tuple(row) for row in db.session.execute(query)]
    return rows[:limit], (rows[limit][0] if len(rows) > limit else None)


MEMBER_KINDS = ("subcat", "page", "file")


def _kind_filter(kind: str) -> ColumnElement[bool]:
    namespace: ColumnElement[int] = Page.namespace
    if kind == "subcat":
        return namespace == CATEGORY
    if kind == "file":
        return namespace == FILE
    return namespace.not_in([CATEGORY, FILE])


def member_count(category: str, kind: str) -> int:
    query = (
        select(func.count())
        .select_from(CategoryLink)
        .join(Page, Page.id == CategoryLink.from_id)
        .where(CategoryLink.category == category, _kind_filter(kind))
    )
    return db.session.execute(query).scalar_one()


@dataclass
class Members:
    rows: list[tuple[Page, str]]  # (page, sort key)
    total: int
    next_from: str | None  # sort key to continue from
    prev_until: str | None  # sort key to go back from


def category_members(
    category: str, kind: str, *, start: str = "", until: str = "", limit: int = 200
) -> Members:
    """Members of one kind (subcat, page, file) by sort key, from `start` or up to `until`."""
    key = _binary(CategoryLink.sortkey)
    query = (
        select(Page, CategoryLink.sortkey)
        .join(CategoryLink, CategoryLink.from_id == Page.id)
        .where(CategoryLink.category == category, _kind_filter(kind))
    )
    total = member_count(category, kind)
    if until:
        rows = list(
            db.session.execute(query.where(key < until).order_by(key.desc(), Page.id.desc()).limit(limit + 1))
        )
        more_before = len(rows) > limit
        rows = list(reversed(rows[:limit]))
        return Members([tuple(r) for r in rows], total, until, rows[0][1] if more_before and rows else None)
    rows = list(db.session.execute(query.where(key >= start).order_by(key, Page.id).limit(limit + 1)))
    next_from = rows[limit][1] if len(rows) > limit else None
    rows = rows[:limit]
    return Members([tuple(r) for r in rows], total, next_from, start or None)


# Members of several kinds at once list by kind first, in MediaWiki's cl_type order.
KIND_ORDER = ("page", "subcat", "file")
# Where a member stands: (time added, page id) or (kind's place in KIND_ORDER, sort key, page id).
MemberKey = tuple[datetime, int] | tuple[int, str, int]


def member_kind(page: Page) -> str:
    if page.namespace == CATEGORY:
        return "subcat"
    return "file" if page.namespace == FILE else "page"


@dataclass
class Member:
    page: Page
    kind: str
    sortkey: str
    timestamp: datetime

    def key(self, by_time: bool) -> MemberKey:
        """Where this member stands in the listing (what `after` takes to start at it)."""
        if by_time:
            return (self.timestamp, self.page.id)
        return (KIND_ORDER.index(self.kind), self.sortkey, self.page.id)


def category_listing(
    category: str,
    *,
    kinds: tuple[str, ...] = KIND_ORDER,
    namespaces: tuple[int, ...] = (),
    by_time: bool = False,
    descending: bool = False,
    start: MemberKey | None = None,
    limit: int = 10,
) -> tuple[list[Member], Member | None]:
    """Members of a category keyset-paged in SQL: by (kind, sort key, page id) or by (time added,
    page id), from the member whose `Member.key` is `start`; and the first member of the next page."""
    rank = case((Page.namespace == CATEGORY, 1), (Page.namespace == FILE, 2), else_=0)
    order = (CategoryLink.timestamp, Page.id) if by_time else (rank, _binary(CategoryLink.sortkey), Page.id)
    query = (
        select(Page, CategoryLink.sortkey, CategoryLink.timestamp)
        .join(CategoryLink, CategoryLink.from_id == Page.id)
        .where(CategoryLink.category == category)
    )
    if set(kinds) != set(KIND_ORDER):
        query = query.where(or_(*(_kind_filter(k) for k in kinds)) if kinds else Page.id < 0)
    if namespaces:
        query = query.where(Page.namespace.in_(namespaces))
    if start is not None:
        query = query.where(
            tuple_(*order) <= tuple_(*start) if descending else tuple_(*order) >= tuple_(*start)
        )
    query = query.order_by(*(c.desc() for c in order) if descending else order)
    rows = [
        Member(p, member_kind(p), key, when) for p, key, when in db.session.execute(query.limit(limit + 1))
    ]
    return rows[:limit], (rows[limit] if len(rows) > limit else None)


# --- what pages link to ------------------------------------------------------------------------

Outgoing = PageLink | TemplateLink | CategoryLink
OUTGOING: dict[str, type[PageLink] | type[TemplateLink] | type[CategoryLink]] = {
    "link": PageLink,
    "template": TemplateLink,
    "category": CategoryLink,
}
# Where a row of `outgoing` stands: (page id, category) or (page id, namespace, dbkey).
OutgoingKey = tuple[int, str] | tuple[int, int, str]


def outgoing_key(kind: str, row: Outgoing) -> OutgoingKey:
    """Where a row of `outgoing` stands: (page id, category) or (page id, namespace, dbkey)."""
    if kind == "category":
        return (row.from_id, row.category)
    return (row.from_id, row.namespace, row.title)


def outgoing(
    kind: str,
    page_ids: list[int],
    *,
    start: OutgoingKey | None = None,
    limit: int = 10,
    namespaces: tuple[int, ...] = (),
    targets: list[tuple[int, str]] | None = None,
) -> tuple[list[Outgoing], OutgoingKey | None]:
    """The links ("link"), transclusions ("template") or categories ("category") of these pages,
    by (page id, target) and keyset-paged from the key `start`; and the key of the next row.

    `namespaces` and `targets` ((namespace, dbkey) pairs; dbkeys of categories) keep only those."""
    model = OUTGOING[kind]
    order: tuple[ColumnElement[Any], ...]
    if kind == "category":
        order = (model.from_id, _binary(model.category))
    else:
        order = (model.from_id, model.namespace, _binary(model.title))
    query: Select[Any] = select(model).where(model.from_id.in_(page_ids))
    if namespaces and kind != "category":
        query = query.where(model.namespace.in_(namespaces))
    if targets is not None:
        if kind == "category":
            query = query.where(model.category.in_([key for _ns, key in targets]))
        else:
            query = query.where(linktables.titles_in(model.namespace, model.title, targets))
    if start is not None:
        query = query.where(tuple_(*order) >= tuple_(*start))
    rows = list(db.session.scalars(query.order_by(*order).limit(limit + 1)))
    return rows[:limit], (outgoing_key(kind, rows[limit]) if len(rows) > limit else None)


def category_sizes(categories: list[str]) -> dict[str, dict[str, int]]:
    """Member counts of categories (dbkeys): {"size", "pages", "files", "subcats"} for each that has
    members, in one query."""
    if not categories:
        return {}
    rows = db.session.execute(
        select(CategoryLink.category, Page.namespace, func.count())
        .join(Page, Page.id == CategoryLink.from_id)
        .where(CategoryLink.category.in_(categories))
        .group_by(CategoryLink.category, Page.namespace)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for category, namespace, count in rows:
        kind = "subcats" if namespace == CATEGORY else "files" if namespace == FILE else "pages"
        bucket = counts.setdefault(category, {"size": 0, "pages": 0, "files": 0, "subcats": 0})
        bucket[kind] += count
        bucket["size"] += count
    return counts


# --- pages by title or id, many at once ---------------------------------------------------------


def pages_at(targets: list[tuple[int, str]]) -> dict[tuple[int, str], Page]:
    """The pages that exist among these (namespace, dbkey) titles, a few queries for any number."""
    keys = sorted(set(targets))
    found: dict[tuple[int, str], Page] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = db.session.scalars(select(Page).where(linktables.titles_in(Page.namespace, Page.title, chunk)))
        found.update({(p.namespace, p.title): p for p in rows})
    return found


def pages_by_id(page_ids: list[int]) -> dict[int, Page]:
    """The pages that exist among these ids, in one query."""
    if not page_ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Page).where(Page.id.in_(page_ids)))}


def redirects_of(page_ids: list[int]) -> dict[int, Redirect]:
    """Where each of these redirect pages points, in one query."""
    if not page_ids:
        return {}
    return {r.page_id: r for r in db.session.scalars(select(Redirect).where(Redirect.page_id.in_(page_ids)))}
