"""Search documents from the database: the latest revision of each page, as plain text.

Redirects feed their target's document (its `redirects` field), so a change to a redirect also
rebuilds the target it points to now and the one it pointed to before (`related_pages`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from wiki import site, titles
from wiki.extensions import db
from wiki.models import Page, Redirect, Revision
from wiki.pages import linktables as links
from wiki.search import plaintext
from wiki.search.base import Document, Indexed


def display(namespace: int, dbkey: str) -> str:
    return str(titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace)))


def _redirect_sources(targets: Iterable[tuple[int, str]] | None) -> dict[tuple[int, str], list[str]]:
    """(ns, dbkey) of a target -> prefixed titles of the redirects to it (all targets when None)."""
    stmt = db.select(Redirect.namespace, Redirect.title, Page.namespace, Page.title).join(
        Page, Page.id == Redirect.page_id
    )
    if targets is not None:
        targets = list(targets)
        if not targets:
            return {}
        stmt = stmt.where(links.titles_in(Redirect.namespace, Redirect.title, list(targets)))
    out: dict[tuple[int, str], list[str]] = defaultdict(list)
    for tns, ttitle, sns, stitle in db.session.execute(stmt):
        out[(tns, ttitle)].append(display(sns, stitle))
    for sources in out.values():
        sources.sort()
    return out


def _redirect_targets(page_ids: Iterable[int] | None) -> dict[int, tuple[int, str]]:
    stmt = db.select(Redirect.page_id, Redirect.namespace, Redirect.title)
    if page_ids is not None:
        stmt = stmt.where(Redirect.page_id.in_(list(page_ids)))
    return {pid: (ns, key) for pid, ns, key in db.session.execute(stmt)}


def _document(
    page: Page,
    rev_id: int,
    text: str,
    sources: Mapping[tuple[int, str], list[str]],
    targets: Mapping[int, tuple[int, str]],
) -> Document:
    target = targets.get(page.id) if page.is_redirect else None
    return Document(
        page_id=page.id,
        rev_id=rev_id,
        namespace=page.namespace,
        title=page.title.replace("_", " "),
        prefixed=display(page.namespace, page.title),
        body=plaintext.to_text(text),
        is_redirect=bool(page.is_redirect),
        target=display(*target) if target else "",
        redirects=tuple(sources.get((page.namespace, page.title), ())),
    )


def for_pages(page_ids: Iterable[int]) -> tuple[list[Document], set[int]]:
    """Documents of these pages, and the ids among them that no longer exist."""
    ids = set(page_ids)
    if not ids:
        return [], set()
    rows = db.session.execute(
        db.select(Page, Revision.id, Revision.text)
        .join(Revision, Revision.id == Page.latest)
        .where(Page.id.in_(ids))
    ).all()
    sources = _redirect_sources((p.namespace, p.title) for p, _r, _t in rows)
    targets = _redirect_targets(p.id for p, _r, _t in rows if p.is_redirect)
    docs = [_document(p, rev_id, text, sources, targets) for p, rev_id, text in rows]
    return docs, ids - {d.page_id for d in docs}


def related_pages(docs: Iterable[Document], before: dict[int, Indexed]) -> set[int]:
    """Pages whose `redirects` field changes with these: redirect targets now and before."""
    named = [doc.target for doc in docs] + [indexed.target for indexed in before.values()]
    wanted = {key for key in map(_key, filter(None, named)) if key is not None}
    if not wanted:
        return set()
    return set(
        db.session.scalars(
            db.select(Page.id).where(links.titles_in(Page.namespace, Page.title, list(wanted)))
        )
    )


def _key(prefixed: str) -> tuple[int, str] | None:
    title = titles.try_parse(prefixed, site.namespaces())
    return (title.namespace, title.dbkey) if title is not None else None


def latest_revisions() -> dict[int, int]:
    """page_id -> latest revision id, for every page."""
    rows = db.session.execute(db.select(Page.id, Page.latest).where(Page.latest.is_not(None)))
    return {page_id: latest for page_id, latest in rows}


def redirect_sources_all() -> dict[int, tuple[str, ...]]:
    """page_id -> prefixed titles of the redirects to it, for pages that have any."""
    sources = _redirect_sources(None)
    rows: Iterable[Any] = (
        db.session.execute(
            db.select(Page.id, Page.namespace, Page.title).where(
                links.titles_in(Page.namespace, Page.title, list(sources))
            )
        )
        if sources
        else []
    )
    return {pid: tuple(sources[(ns, key)]) for pid, ns, key in rows}


def all_documents(batch: int = 500) -> Iterator[Document]:
    """Every page's document, streamed in id order (for a rebuild)."""
    sources = _redirect_sources(None)
    targets = _redirect_targets(None)
    last = 0
    while True:
        rows = db.session.execute(
            db.select(Page, Revision.id, Revision.text)
            .join(Revision, Revision.id == Page.latest)
            .where(Page.id > last)
            .order_by(Page.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for page, rev_id, text in rows:
            yield _document(page, rev_id, text, sources, targets)
        last = rows[-1][0].id
        db.session.expunge_all()


def page_count() -> int:
    return int(db.session.scalar(db.select(db.func.count(Page.id)).where(Page.latest.is_not(None))) or 0)


class RevisionTexts:
    """A TextSource that also remembers each revision's size and time (shown with every hit)."""

    def __init__(self) -> None:
        self.facts: dict[int, tuple[int, datetime]] = {}

    def __call__(self, rev_ids: Iterable[int]) -> dict[int, str]:
        ids = list(rev_ids)
        if not ids:
            return {}
        rows = db.session.execute(
            db.select(Revision.id, Revision.text, Revision.size, Revision.timestamp).where(
                Revision.id.in_(ids)
            )
        )
        out: dict[int, str] = {}
        for rev_id, text, size, timestamp in rows:
            out[rev_id] = plaintext.to_text(text)
            self.facts[rev_id] = (size, timestamp)
        return out
