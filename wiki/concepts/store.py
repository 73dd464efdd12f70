"""The concept_structure and concept_alias tables: written by the derive step, read by the rest.

`update` runs inside the page's save transaction (wiki.pages.derive is its only caller besides
`rebuild`); `forget` runs when a page goes away. Readers never fail: a page without a row is read
from its current text.
"""

from __future__ import annotations

import json

from sqlalchemy import delete, func
from sqlalchemy import update as sa_update

from wiki import site, titles
from wiki.concepts import keys
from wiki.concepts.reader import Structure, read, structure_from_json
from wiki.extensions import db
from wiki.models import ConceptAlias, ConceptStructure, Page, Revision, utcnow

MAX_ALIASES = 50  # AKA terms kept per page


def genus_key(genus: str | None) -> str | None:
    """The main-namespace dbkey a genus link names, or None when it is not a main-namespace title."""
    if not genus:
        return None
    title = titles.try_parse(genus, site.namespaces())
    if title is None or title.interwiki or title.namespace != titles.MAIN or not title.dbkey:
        return None
    return title.dbkey[:255]


def update(page: Page, title: titles.Title, text: str, *, is_redirect: bool) -> Structure:
    """Store the structure and alias keys of `page`'s current `text` (in the caller's transaction).

    When the genus changes, the old and new genus pages are touched: their concept box (drawn at
    view time) lists this page, and HTTP caches revalidate on `touched`."""
    old = db.session.scalar(db.select(ConceptStructure.genus).where(ConceptStructure.page_id == page.id))
    forget(page.id)
    structure = read(text) if title.namespace == titles.MAIN and not is_redirect else Structure()
    new = genus_key(structure.genus) if title.namespace == titles.MAIN else None
    if old != new:
        touched = [key for key in (old, new) if key]
        db.session.execute(
            sa_update(Page)
            .where(Page.namespace == titles.MAIN, Page.title.in_(touched))
            .values(touched=utcnow())
            .execution_options(synchronize_session=False)
        )
    if title.namespace != titles.MAIN:
        return structure
    dated = len(structure.dated())
    db.session.add(
        ConceptStructure(
            page_id=page.id,
            is_concept=structure.is_concept,
            genus=new,
            sentence=structure.sentence,
            dated=dated,
            data=json.dumps(structure.to_json(), ensure_ascii=False),
        )
    )
    names = [(title.text, "title")] + [(a, "aka") for a in structure.aka[:MAX_ALIASES]]
    seen: set[str] = set()
    for name, kind in names:
        key = keys.key(name)
        if key and key not in seen:
            seen.add(key)
            db.session.add(ConceptAlias(page_id=page.id, key=key[:255], name=name[:255], kind=kind))
    return structure


def forget(page_id: int) -> None:
    """Drop the rows of a page (its text changed, or it is gone)."""
    db.session.execute(delete(ConceptAlias).where(ConceptAlias.page_id == page_id))
    db.session.execute(delete(ConceptStructure).where(ConceptStructure.page_id == page_id))


def get(page_id: int) -> Structure:
    """The stored structure of a page (read from its text when it has no row yet)."""
    row = db.session.get(ConceptStructure, page_id)
    if row is not None:
        try:
            return structure_from_json(json.loads(row.data))
        except (ValueError, TypeError, KeyError):
            pass
    page = db.session.get(Page, page_id)
    if page is None or page.latest is None or page.namespace != titles.MAIN or page.is_redirect:
        return Structure()
    rev = db.session.get(Revision, page.latest)
    return read(rev.text) if rev is not None else Structure()


def summary(page_id: int) -> tuple[str, str | None]:
    """(defining sentence, genus title) of a page, or ("", None) when it is not a concept page.

    The stable entry point for page previews and search descriptions.
    """
    row = db.session.get(ConceptStructure, page_id)
    if row is not None:
        genus = row.genus.replace("_", " ") if row.genus else None
        return (row.sentence, genus) if row.is_concept else ("", None)
    structure = get(page_id)
    if not structure.is_concept:
        return "", None
    key = genus_key(structure.genus)
    return structure.sentence, key.replace("_", " ") if key else None


def rebuild(batch: int = 500) -> int:
    """Read every current main-namespace page again (`flask rebuild-structure`); returns pages read."""
    db.session.execute(delete(ConceptAlias))
    db.session.execute(delete(ConceptStructure))
    db.session.commit()
    done, last = 0, 0
    while True:
        rows = db.session.execute(
            db.select(Page, Revision.text)
            .join(Revision, Revision.id == Page.latest)
            .where(Page.namespace == titles.MAIN, Page.id > last)
            .order_by(Page.id)
            .limit(batch)
        ).all()
        if not rows:
            break
        for page, text in rows:
            title = titles.Title(namespace=titles.MAIN, text=page.title.replace("_", " "))
            update(page, title, text, is_redirect=page.is_redirect)
            last = page.id
            done += 1
        db.session.commit()
    return done


def count() -> int:
    return int(db.session.scalar(db.select(func.count()).select_from(ConceptStructure)) or 0)


def dated_count(page_id: int) -> int:
    """How many dated examples a page has (0 without a row)."""
    return int(
        db.session.scalar(db.select(ConceptStructure.dated).where(ConceptStructure.page_id == page_id)) or 0
    )
