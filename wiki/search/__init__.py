"""Full-text search of the latest revision of every page, behind the SearchIndex protocol.

How the index stays consistent with the database (the truth):
  * pages.save commits its revision together with a SearchOutbox row;
  * a dedicated indexer process per host (`flask --app wiki search-indexer`, started by
    wiki.gunicorn_conf) applies the outbox under a cross-process writer lock and deletes rows only
    after the index commit; without one, the save wakes its own process's indexer thread;
  * every indexer also polls, so rows of a killed worker or of a busy moment are applied later;
  * each document stores its revision id: `flask --app wiki check-index` repairs differences,
    `flask --app wiki reindex` rebuilds beside the live index and swaps it in.

Views and the API call `search`, `suggest` and `index()`; nothing else of Whoosh leaks out.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Flask, current_app

from wiki.search import documents, limits, outbox, scan
from wiki.search.base import (
    BadQuery,
    Hit,
    IndexUnavailable,
    QueryRefused,
    Results,
    SearchIndex,
    Suggestion,
)

__all__ = [
    "BadQuery",
    "Hit",
    "IndexUnavailable",
    "QueryRefused",
    "Results",
    "SearchIndex",
    "Suggestion",
    "index",
    "init_app",
    "scan_texts",
    "titles",
    "words",
    "search",
    "suggest",
]

INDEX_KEY = "wiki.search"
INDEXER_KEY = "wiki.search.indexer"


def init_app(app: Flask) -> None:
    """Create the configured backend, hook it to saves, and register the commands."""
    from wiki.search import commands, maintenance
    from wiki.search.worker import Indexer

    idx = _backend(app)
    indexer = Indexer(app, idx)
    app.extensions[INDEX_KEY] = idx
    app.extensions[INDEXER_KEY] = indexer
    app.extensions.setdefault("wiki.after_commit", []).append(indexer.kick)
    app.extensions["wiki.ensure_index"] = lambda: maintenance.ensure(idx, echo=_echo)
    app.before_request(indexer.start)
    commands.register(app)


def _backend(app: Flask) -> SearchIndex:
    """WIKI_SEARCH_BACKEND: "whoosh" (a folder per host) or "postgres" (in the shared database)."""
    backend = app.config.get("WIKI_SEARCH_BACKEND", "whoosh")
    if backend == "postgres":
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            raise ValueError('WIKI_SEARCH_BACKEND="postgres" needs a PostgreSQL WIKI_DATABASE_URL.')
        from wiki.search.postgres_index import PostgresIndex

        return PostgresIndex()
    if backend != "whoosh":
        raise ValueError(f'WIKI_SEARCH_BACKEND="{backend}" is unknown; use "whoosh" or "postgres".')
    from wiki.search.whoosh_index import WhooshIndex

    return WhooshIndex(app.config["WIKI_INDEX_DIR"])


def _echo(message: str) -> None:
    import click

    click.echo(message)


def index() -> SearchIndex:
    found: SearchIndex = current_app.extensions[INDEX_KEY]
    return found


def _unavailable() -> None:
    """Make sure the indexer is running: it rebuilds a missing or corrupt index."""
    current_app.extensions[INDEXER_KEY].kick()


def run_pending() -> int | None:
    """Apply the outbox now (Special:RunJobs): the rows applied, 0 when none wait or the index is
    being rebuilt, None when another process holds the writer lock."""
    idx = index()
    if not idx.available() or not outbox.pending():
        return 0
    return outbox.drain(idx)


def search(text: str, namespaces: Sequence[int] = (0,), limit: int = 20, offset: int = 0) -> Results:
    """Full-text results with snippets; raises BadQuery (QueryRefused past a bound of
    wiki.search.limits) or IndexUnavailable, with a message."""
    texts = documents.RevisionTexts()
    try:
        results = index().query(text, namespaces=namespaces, limit=limit, offset=offset, texts=texts)
    except IndexUnavailable:
        _unavailable()
        raise
    for hit in results.hits:
        hit.size, hit.timestamp = texts.facts.get(hit.rev_id, (0, None))
    return results


def titles(text: str, namespaces: Sequence[int], limit: int = 10, offset: int = 0) -> scan.Found:
    """Pages whose title holds every word of `text` (the API's srwhat=title), without the index."""
    return scan.scan(text, namespaces, limit, offset, titles_only=True)


def scan_texts(text: str, namespaces: Sequence[int], limit: int = 10, offset: int = 0) -> scan.Found:
    """Pages whose title or text holds every word of `text`: the answer while the index rebuilds."""
    return scan.scan(text, namespaces, limit, offset, titles_only=False)


def words(page_ids: Sequence[int]) -> dict[int, int]:
    """page_id -> words of its text, as the index counted them ({} while it is unavailable)."""
    try:
        return index().words(page_ids)
    except IndexUnavailable:
        return {}


def suggest(prefix: str, limit: int = 10, namespace: int = 0) -> list[Suggestion]:
    """Titles that start with `prefix` (case-insensitive, redirects resolved); [] when unavailable.

    A namespace prefix in the text ("Category:Mil") searches that namespace instead. No title is
    longer than a query may be, so a longer prefix finds nothing."""
    if len(prefix) > limits.MAX_QUERY_CHARS:
        return []
    limit = max(1, min(limit, limits.MAX_LIMIT))
    head, colon, rest = prefix.partition(":")
    if colon:
        from wiki import site

        ns = site.namespaces().lookup(head)
        if ns is not None and ns >= 0:
            namespace, prefix = ns, rest.lstrip()
    try:
        found = index().suggest(prefix, limit=limit, namespace=namespace)
    except IndexUnavailable:
        _unavailable()
        found = []
    if namespace == 0 and len(found) < limit:  # AKA terms and spellings ("gpt3") of concept pages
        from wiki.concepts import aliases

        seen = {s.page_id for s in found}
        for match in aliases.prefixed(prefix, limit):
            if match.page_id not in seen and len(found) < limit:
                seen.add(match.page_id)
                found.append(Suggestion(prefixed=match.title.prefixed_text, page_id=match.page_id))
    return found
