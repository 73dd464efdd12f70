"""Answers kept for the current request only (rows the skin, rights and views ask for more than once).

Nothing is kept between requests: several processes and hosts serve the wiki, and what they share
lives in the database.
"""

from __future__ import annotations

from flask import g, has_request_context, request


def get(kind: str) -> dict | None:
    """A dict that lives as long as the current request, for answers asked again in it (None outside
    a request: commands and workers keep no answers). Tied to the request object, because a test or
    command may run several requests inside one application context, whose `g` they would share."""
    if not has_request_context():
        return None
    owner = request._get_current_object()
    memo = g.get("wiki_request_memo")
    if memo is None or memo[0] is not owner:
        memo = g.wiki_request_memo = (owner, {})
    return memo[1].setdefault(kind, {})
