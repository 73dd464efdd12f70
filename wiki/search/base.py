"""What every search backend speaks: documents in, hits and suggestions out.

The `SearchIndex` protocol is all the rest of the wiki knows of a search engine, so a PostgreSQL
full-text backend can replace Whoosh without touching views, the outbox or the commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class IndexUnavailable(RuntimeError):
    """The index is missing or unreadable; it is being rebuilt."""


class BadQuery(ValueError):
    """The query cannot be searched as typed; the message says why and what to do."""


class QueryRefused(BadQuery):
    """The query asks for more work than a search may do (see wiki.search.limits).

    `code` is MediaWiki's API error code for it; the web answers 400."""

    def __init__(self, message: str, code: str = "search-error"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Document:
    """What is indexed for one page: the latest revision's plain text and the titles that lead to it."""

    page_id: int
    rev_id: int
    namespace: int
    title: str  # display form without the namespace prefix
    prefixed: str  # display form with the namespace prefix
    body: str
    is_redirect: bool = False
    target: str = ""  # a redirect's target, prefixed display form
    redirects: tuple[str, ...] = ()  # prefixed titles of redirects to this page


@dataclass(frozen=True)
class Indexed:
    """What the index holds for a page: enough to tell whether it is stale."""

    rev_id: int
    redirects: tuple[str, ...] = ()
    target: str = ""


@dataclass
class Hit:
    page_id: int
    rev_id: int
    namespace: int
    prefixed: str
    title_html: str  # the title with matched words in <span class="searchmatch">
    snippet_html: str = ""
    redirect_from: str | None = None  # prefixed title of the redirect whose title matched
    redirect_html: str = ""
    words: int = 0
    score: float = 0.0
    size: int = 0  # bytes of the revision's wikitext
    timestamp: datetime | None = None  # when that revision was saved


@dataclass
class Results:
    query: str
    total: int = 0
    total_exact: bool = True  # False: `total` is an estimate ("about")
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None  # "Did you mean" query text
    suggestion_html: str = ""  # the same with the corrected words in <em>
    message: str | None = None  # why the query was read differently, if it was


@dataclass(frozen=True)
class Suggestion:
    """A title offered while typing: redirects are resolved to their target."""

    prefixed: str
    page_id: int


# rev_id -> plain text, for cutting snippets from the text a hit was indexed from
TextSource = Callable[[Sequence[int]], Mapping[int, str]]


class BulkWriter(Protocol):
    def write(self, docs: Sequence[Document], deleted: Iterable[int] = ()) -> None:
        """Add or replace these documents and remove deleted pages, at the next commit."""

    def commit(self) -> None:
        """Make everything written so far durable and visible."""


class SearchIndex(Protocol):
    def available(self) -> bool:
        """True when the index exists and can be read."""

    def exclusive(self, name: str = "writer", wait: bool = False) -> AbstractContextManager[bool]:
        """Yields True while this process is the one writer (across processes), False if busy."""

    def update(self, docs: Sequence[Document], deleted: Iterable[int] = ()) -> None:
        """Add or replace these documents and remove deleted pages, durably, in one commit."""

    def bulk(self) -> AbstractContextManager[BulkWriter]:
        """Many updates gathered and committed in a few large steps (callers hold the writer lock);
        what was not committed when the block fails is dropped."""

    def tidy(self) -> bool:
        """Reorganise for faster queries while nothing else is written (callers hold the writer
        lock); True when something was done."""

    def indexed(self, page_ids: Iterable[int] | None = None) -> dict[int, Indexed]:
        """page_id -> what is indexed for it (all pages when page_ids is None)."""

    def words(self, page_ids: Iterable[int]) -> dict[int, int]:
        """page_id -> words in its indexed text, for the pages the index holds."""

    def query(
        self,
        text: str,
        *,
        namespaces: Sequence[int] = (0,),
        limit: int = 20,
        offset: int = 0,
        texts: TextSource | None = None,
    ) -> Results:
        """Full-text search: ranked hits with snippets, the total, and a spelling suggestion."""

    def suggest(self, prefix: str, limit: int = 10, namespace: int = 0) -> list[Suggestion]:
        """Titles starting with `prefix` (case-insensitive), redirects resolved, best first."""

    def rebuild(self, docs: Iterable[Document], progress: Callable[[int], None] | None = None) -> int:
        """Build a fresh index from `docs` beside the live one and swap it in; returns the count."""
