"""Full-text results that know concept aliases: the page a query names comes first."""

from __future__ import annotations

from markupsafe import escape

from wiki import search
from wiki.concepts import aliases, store
from wiki.extensions import db
from wiki.models import Page, Revision
from wiki.search.base import Hit, Results

MAX_PROMOTED = 5  # pages put first for one query (a shared alias names a few)


def promote(results: Results, text: str, namespaces: list[int]) -> Results:
    """Put the pages whose title or AKA term has the query's search key first (first page only)."""
    if 0 not in namespaces:
        return results
    found = aliases.matches(text, MAX_PROMOTED)
    if not found:
        return results
    by_id = {h.page_id: h for h in results.hits}
    first: list[Hit] = []
    typed = " ".join(text.split()).casefold()
    for match in found:
        hit = by_id.pop(match.page_id, None)
        if hit is None and match.kind == "title" and typed == match.title.text.casefold():
            continue  # the title as typed: the index finds it (once it has the page), as without aliases
        hit = hit or _hit(match)
        if hit is not None:
            first.append(hit)
    added = sum(1 for h in first if h not in results.hits)
    rest = [h for h in results.hits if h.page_id in by_id]
    results.hits = first + rest
    results.total += added
    return results


def _hit(match: aliases.Match) -> Hit | None:
    page = db.session.get(Page, match.page_id)
    if page is None or page.latest is None or page.is_redirect:
        return None
    rev = db.session.get(Revision, page.latest)
    sentence, _genus = store.summary(page.id)
    prefixed = match.title.prefixed_text
    hit = Hit(
        page_id=page.id,
        rev_id=page.latest,
        namespace=page.namespace,
        prefixed=prefixed,
        title_html=str(escape(prefixed)),
        snippet_html=str(escape(sentence)),
        words=search.words([page.id]).get(page.id, 0),
    )
    if rev is not None:
        hit.size, hit.timestamp = rev.size, rev.timestamp
    return hit
