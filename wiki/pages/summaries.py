"""Edit summaries as HTML for this wiki (history, RecentChanges, contributions, logs, diffs,
feeds and the API's parsedcomment): wiki.markup.comments with this site's URLs and the existence of
the linked pages, looked up for a whole list of summaries in one query."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from wiki import site, titles
from wiki.markup import comments


def _resolve(target: str) -> titles.Title | None:
    name = target.lstrip(":").partition("#")[0].strip()
    if not name:
        return None
    title = titles.try_parse(name, site.namespaces())
    if title is None or title.interwiki or title.namespace == -2:
        return None
    return title


def _link(title: titles.Title, exists: bool) -> comments.LinkTo:
    edit_href = "" if exists else site.index_url(title, action="edit", redlink="1")  # red links only
    return comments.LinkTo(
        href=site.page_url(title), title=title.prefixed_text, exists=exists, edit_href=edit_href
    )


def link_targets(comments_: Iterable[str]) -> dict[str, titles.Title]:
    """The pages these summaries link to, by link target as written (each target parsed once)."""
    targets: dict[str, titles.Title] = {}
    seen: set[str] = set()
    for comment in comments_:
        if "[[" in comment:
            for target in comments.link_targets(comment):
                if target in seen:
                    continue
                seen.add(target)
                title = _resolve(target)
                if title is not None:
                    targets[target] = title
    return targets


def page_keys(targets: dict[str, titles.Title]) -> set[tuple[int, str]]:
    """The (namespace, dbkey) of the link targets that can be pages: what `html_many` looks up, for a
    list that looks up its other titles in the same query."""
    return {(t.namespace, t.dbkey) for t in targets.values() if t.namespace >= 0}


def html_many(
    items: Iterable[tuple[str, titles.Title | None]],
    existing: set[tuple[int, str]] | None = None,
    targets: dict[str, titles.Title] | None = None,
) -> list[str]:
    """The HTML of each (summary, page it belongs to) pair, with one existence query for all (none
    when `existing` holds the outcome of a lookup of their `page_keys`; `targets`: their
    `link_targets`, when the caller has them already)."""
    pairs = list(items)
    if targets is None:
        targets = link_targets(comment for comment, _page in pairs)
    # Pages by key (no title parsed again); special pages by name, which existing_titles knows.
    found = existing if existing is not None else site.existing_keys(page_keys(targets))
    specials = site.existing_titles({t.prefixed_text for t in targets.values() if t.namespace < 0})
    links = {
        text: _link(t, (t.namespace, t.dbkey) in found or t.prefixed_text in specials)
        for text, t in targets.items()
    }
    out = []
    for comment, page in pairs:
        here = _link(page, True) if page is not None and "/*" in comment else None  # for "→Section"
        if "[[" in comment:
            own = tuple((t, links[t]) for t in comments.link_targets(comment) if t in links)
            out.append(_formatted(comment, here, own))
        else:
            out.append(_formatted(comment, here, ()))
    return out


@functools.lru_cache(maxsize=4096)
def _formatted(
    comment: str, here: comments.LinkTo | None, links: tuple[tuple[str, comments.LinkTo], ...]
) -> str:
    """format_comment, once per process for each summary, page and outcome of its links (where they
    go, whether they exist): a list shows mostly the summaries it showed a moment ago."""
    return comments.format_comment(comment, dict(links), here)


def html(comment: str, page: titles.Title | None = None) -> str:
    """One summary as HTML."""
    return html_many([(comment, page)])[0]
