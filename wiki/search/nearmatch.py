"""The "Go" button: the page whose title matches what was typed, without a full-text search.

As MediaWiki's near-match: the title as typed (first letter is case-insensitive already), then
all lower case, Title Case, and UPPER CASE variants. Redirect pages count as matches; viewing
them follows the redirect.
"""

from __future__ import annotations

from wiki import site, titles
from wiki.extensions import db
from wiki.models import Page


def _variants(title: titles.Title) -> list[titles.Title]:
    text = title.text
    forms = [text, text.lower(), " ".join(w[:1].upper() + w[1:] for w in text.split()), text.upper()]
    out, seen = [], set()
    for form in forms:
        variant = titles.try_parse(f"{title.ns_name}:{form}" if title.ns_name else form, site.namespaces())
        if variant is not None and variant.dbkey not in seen:
            seen.add(variant.dbkey)
            out.append(variant)
    return out


def exact_page(text: str) -> titles.Title | None:
    """The existing page named by `text` (special pages included), or None."""
    title = titles.try_parse(text.strip(), site.namespaces())
    if title is None or title.interwiki or not title.text:
        return None
    if title.namespace == titles.SPECIAL:
        return title if site.existing_titles([str(title)]) else None
    for variant in _variants(title):
        found = db.session.execute(
            db.select(Page.id).where(Page.namespace == variant.namespace, Page.title == variant.dbkey)
        ).first()
        if found is not None:
            return variant
    return None


def creatable(text: str) -> titles.Title | None:
    """The title a user could create from `text` (for "Create the page X on this wiki!")."""
    title = titles.try_parse(text.strip(), site.namespaces())
    if title is None or title.interwiki or not title.text or title.namespace < 0:
        return None
    return title
