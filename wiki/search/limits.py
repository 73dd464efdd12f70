"""Every bound on the work one search request may ask for, in one place.

A search must answer quickly whatever it is given: an anonymous visitor chooses the query, the
page size and the offset, and the wiki's own pages (which anyone may fill with random words) decide
how many index terms a prefix or a misspelling reaches. Each number below bounds one of those
sizes; the values follow MediaWiki's CirrusSearch where it has one.
"""

from __future__ import annotations

from wiki.search.base import QueryRefused

# -- what the user types ------------------------------------------------------------------------
# Characters in a query (CirrusSearch's $wgCirrusSearchMaxFullTextQueryLength).
MAX_QUERY_CHARS = 300
# Words and phrases in a query, operators not counted: each one is a posting list to merge.
MAX_QUERY_TERMS = 32
# word* searches in one query (CirrusSearch's $wgCirrusSearchQueryStringMaxWildcards).
MAX_PREFIXES = 3
# Letters before a `*`: a shorter prefix ("a*", "ab*") is searched as the word itself.
MIN_PREFIX_CHARS = 3

# -- what a query may reach in the index --------------------------------------------------------
# Index terms a prefix expands to, the most frequent first (CirrusSearch caps expansions at 100).
MAX_PREFIX_TERMS = 100
# Index terms looked at to pick those: a prefix shared by more terms uses the first ones read.
MAX_PREFIX_SCAN = 2_000

# -- "did you mean" -----------------------------------------------------------------------------
# Words of a query looked up for a correction; the others are kept as typed.
MAX_CORRECTED_WORDS = 5
# Longer words are kept as typed (they are rarely misspelt words; the edit-distance walk grows
# with their length).
MAX_CORRECTED_CHARS = 20
# Index terms compared with one word, over every pass.
MAX_CORRECTION_SCAN = 2_000
# CPU budget of the whole suggestion (seconds of the thread's time): past it, the words left are kept
# as typed.
CORRECTION_BUDGET = 0.3

# -- pages of results ---------------------------------------------------------------------------
# Results on one page (API srlimit, also for bots; Special:Search's largest page size).
MAX_LIMIT = 500
# Results reachable by paging: offset + limit (CirrusSearch answers up to 10,000 results).
MAX_RESULTS = 10_000

# -- the PostgreSQL backend ----------------------------------------------------------------------
# Statement timeout of a search's SQL (milliseconds): a backstop, since a GIN prefix scan cannot
# be capped to a number of terms.
PG_STATEMENT_TIMEOUT_MS = 1_500


def too_long(length: int) -> str:
    """The message for a query of `length` characters (MediaWiki's cirrussearch-query-too-long)."""
    return (
        f"Search request is longer than the maximum allowed length ({length:,} > {MAX_QUERY_CHARS}): "
        f"the limit is {MAX_QUERY_CHARS} characters."
    )


def offset_too_large(offset: int) -> str:
    """The message for an offset past the last reachable result (cirrussearch-offset-too-large)."""
    return (
        f"Could not retrieve results. Up to {MAX_RESULTS:,} search results are supported, "
        f"but results starting at {offset:,} were requested."
    )


def page(offset: int, limit: int) -> tuple[int, int]:
    """(offset, limit) of a page of results within the bounds; as CirrusSearch, a page that would
    cross the last reachable result is cut there, and one that starts past it is refused."""
    offset = max(0, offset)
    if offset >= MAX_RESULTS:
        raise QueryRefused(offset_too_large(offset), "cirrussearch-offset-too-large")
    return offset, max(1, min(limit, MAX_LIMIT, MAX_RESULTS - offset))
