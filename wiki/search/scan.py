"""Searching without the index: page titles (the API's srwhat=title), or texts while the index
is being rebuilt. A plain SQL scan, so it keeps to the same bounds as the index's searches: the
query's length and words (wiki.search.limits), one page of results counted in SQL, words as
written (LIKE's `%` and `_` match themselves), and the word counts read from the index, never
from the pages' texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func

from wiki.extensions import db
from wiki.models import Page, Revision
from wiki.search import limits, userquery


@dataclass(frozen=True)
class Found:
    page_ids: list[int]  # this page of results, by title
    total: int  # matches, counted up to limits.MAX_RESULTS


def like_pattern(word: str) -> str:
    """A LIKE pattern for `word` anywhere in a value, with `\\`, `%` and `_` matching themselves."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def scan(text: str, namespaces: Sequence[int], limit: int, offset: int, *, titles_only: bool) -> Found:
    """Pages whose title (or text) contains every word of `text`, by title."""
    words = text.split()
    userquery.check_length(" ".join(words))
    offset, limit = limits.page(offset, limit)
    userquery.check_terms(words)
    query: Select[tuple[int]] = db.select(Page.id).where(Page.namespace.in_(list(namespaces)))
    if not titles_only:
        query = query.join(Revision, Revision.id == Page.latest)
    for word in words:
        clause: ColumnElement[bool] = Page.title.ilike(like_pattern(word), escape="\\")
        if not titles_only:
            clause = clause | Revision.text.ilike(like_pattern(word), escape="\\")
        query = query.where(clause)
    counted = db.session.scalar(
        db.select(func.count()).select_from(query.limit(limits.MAX_RESULTS).subquery())
    )
    ids = db.session.scalars(query.order_by(Page.namespace, Page.title).limit(limit).offset(offset)).all()
    return Found(list(ids), counted or 0)
