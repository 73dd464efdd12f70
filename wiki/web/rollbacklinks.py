"""The "rollback N edits" link MediaWiki puts on a page's top edit (history, diffs, contributions,
the changes lists): its words and its address."""

from __future__ import annotations

from wiki import site, titles, tokens
from wiki.web import common

# MediaWiki shows "rollback N edits" up to this many, then "rollback more than 10 edits".
SHOWN_STREAK = 10


def rollback_label(count: int) -> str:
    """ "rollback 3 edits", as MediaWiki counts them (up to SHOWN_STREAK)."""
    if count > SHOWN_STREAK:
        return f"rollback more than {SHOWN_STREAK} edits"
    return "rollback 1 edit" if count == 1 else f"rollback {count} edits"


def rollback_href(title: titles.Title, user: str, token: str = "") -> str:
    """The link's address: a GET with the reader's token (made here unless given) rolls back at once."""
    return f"{common.index_url(title)}&{rollback_query(user, token or tokens.edit_token())}"


def rollback_query(user: str, token: str) -> str:
    """The parameters of that address, after the page's (a list adds them to the URL it has)."""
    return site.query_string({"action": "rollback", "from": user, "token": token})
