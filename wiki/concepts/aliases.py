"""Names that lead to concept pages without being pages: titles and AKA terms by search key.

`matches("gpt3")` finds GPT-3 (its title's key) and any page whose AKA line names "GPT 3";
`prefixed("gpt")` offers them while typing. Pages are main-namespace pages that exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, true

from wiki import titles
from wiki.concepts import keys
from wiki.extensions import db
from wiki.models import ConceptAlias, Page

MAX_MATCHES = 50  # pages listed for one alias (a disambiguation list)


@dataclass(frozen=True)
class Match:
    page_id: int
    title: titles.Title  # the page the name leads to
    name: str  # the name as its page writes it ("GPT-3 175B")
    kind: str  # "title" or "aka"


def _rows(condition: ColumnElement[bool], limit: int, *, redirects: bool = True) -> list[Match]:
    rows = db.session.execute(
        db.select(ConceptAlias.page_id, ConceptAlias.name, ConceptAlias.kind, Page.title)
        .join(Page, Page.id == ConceptAlias.page_id)
        .where(condition, Page.namespace == titles.MAIN, true() if redirects else Page.is_redirect.is_(False))
        .order_by(ConceptAlias.kind.desc(), func.length(ConceptAlias.key), Page.title)
        .limit(limit)
    ).all()
    out, seen = [], set()
    for page_id, name, kind, dbkey in rows:
        if page_id in seen:
            continue
        seen.add(page_id)
        out.append(Match(page_id, titles.Title(titles.MAIN, dbkey.replace("_", " ")), name, kind))
    return out


def matches(text: str, limit: int = MAX_MATCHES) -> list[Match]:
    """The pages whose title or an AKA term has the search key of `text` (titles first)."""
    key = keys.key(text)
    if not key:
        return []
    found = _rows(ConceptAlias.key == key, limit * 2)
    titled = [m for m in found if m.kind == "title"]
    return (titled or found)[:limit]


def prefixed(text: str, limit: int = 10) -> list[Match]:
    """Pages with a title or AKA term whose key starts with the key of `text` (for suggestions)."""
    key = keys.key(text)
    if not key:
        return []
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _rows(ConceptAlias.key.like(escaped + "%", escape="\\"), limit * 3, redirects=False)[:limit]


def is_alias_of(page_id: int, text: str) -> str | None:
    """The AKA term of `page_id` that `text` names (as the page writes it), or None."""
    key = keys.key(text)
    if not key:
        return None
    return db.session.scalar(
        db.select(ConceptAlias.name)
        .where(ConceptAlias.page_id == page_id, ConceptAlias.key == key, ConceptAlias.kind == "aka")
        .limit(1)
    )
