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

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from wiki import titles
from wiki.extensions import db
from wiki.models import CategoryLink, Page, PageLink, Redirect, TemplateLink

FILE, CATEGORY = titles.FILE, titles.CATEGORY


def _binary(column):
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
    return db.session.scalar(query.select_from(Redirect))


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


def _source_ids(model, target: tuple[int, str], namespace, from_id, limit, desc=False):
    ns, key = target
    column = model.page_id if model is Redirect else model.from_id
    query = select(column).where(model.namespace == ns, model.title == key)
    if model is PageLink:
        # A redirect page also links to its target; MediaWiki lists it once, as a redirect.
        redirects = select(Redirect.page_id).where(Redirect.namespace == ns, Redirect.title == key)
        query = query.where(column.not_in(redirects))
    if namespace is not None:
        query = query.join(Page, Page.id == column).where(Page.namespace == namespace)
    if desc:
        query = query.where(column < from_id).order_by(column.desc())
    else:
        query = query.where(column >= from_id).order_by(column)
    return list(db.session.scalars(query.limit(limit)))


def _kinds_by_id(target, kinds, namespace, from_id, limit, desc=False) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    sources = {"link": PageLink, "redirect": Redirect, "transclusion": TemplateLink}
    for kind in kinds:
        for page_id in _source_ids(sources[kind], target, namespace, from_id, limit, desc):
            found.setdefault(page_id, set()).add(kind)
    return found


def what_links_here(
    target: tuple[int, str],
    *,
    kinds: tuple[str, ...] = ("link", "redirect", "transclusion"),
    namespace: int | None = None,
    from_id: int = 0,
    limit: int = 50,
    nested_limit: int = 50,
) -> LinkersPage:
    """Pages linking to, redirecting to or transcluding `target`, by page id, with paging.

    Each redirect carries the pages that link to or transclude it (one level, as MediaWiki nests
    them), so a reader sees who reaches the target through it.
    """
    found = _kinds_by_id(target, kinds, namespace, from_id, limit + 1)
    ids = sorted(found)[: limit + 1]
    next_from = ids[limit] if len(ids) > limit else None
    ids = ids[:limit]
    before = sorted(_kinds_by_id(target, kinds, namespace, from_id, limit, desc=True), reverse=True)
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
) -> TitleRange:
    """Pages of a namespace in title order from `start` (and up to `end`, or starting with `prefix`)."""
    title = _binary(Page.title)
    query = select(Page).where(Page.namespace == namespace)
    if prefix:
        query = query.where(func.substr(Page.title, 1, len(prefix)) == prefix)
    if end:
        query = query.where(title <= end)
    if hide_redirects:
        query = query.where(Page.is_redirect.is_(False))
    rows = list(db.session.scalars(query.where(title >= start).order_by(title).limit(limit + 1)))
    next_from = rows[limit].title if len(rows) > limit else None
    prev_from = None
    if start:
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


def _kind_filter(kind: str):
    if kind == "subcat":
        return Page.namespace == CATEGORY
    if kind == "file":
        return Page.namespace == FILE
    return Page.namespace.not_in([CATEGORY, FILE])


def member_count(category: str, kind: str) -> int:
    query = (
        select(func.count())
        .select_from(CategoryLink)
        .join(Page, Page.id == CategoryLink.from_id)
        .where(CategoryLink.category == category, _kind_filter(kind))
    )
    return db.session.scalar(query)


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
