"""Queries per request: a warm page view costs at most a couple of indexed queries, and list pages
(history, recent changes, categories, search) cost the same number of queries for 3 rows as for 12."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from wiki.web import frontcache


@contextmanager
def counting(app):
    """Collect the SQL statements the app sends while the block runs."""
    from wiki.extensions import db

    statements: list[str] = []
    me = threading.get_ident()  # the search indexer's thread queries too: not part of the request

    def record(_conn, _cursor, statement, *_args):
        if threading.get_ident() == me:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    # The front cache's validation query runs on a bare DBAPI connection, past SQLAlchemy's events.
    validate = frontcache.current_state

    def validating(engine, keys):
        statements.append(f"front cache validation of {len(keys)} titles")
        return validate(engine, keys)

    event.listen(engine, "before_cursor_execute", record)
    frontcache.current_state = validating
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        frontcache.current_state = validate


def queries(app, url: str, client=None) -> list[str]:
    client = client or app.test_client()
    with counting(app) as statements:
        resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return statements


def test_warm_anonymous_page_view_costs_one_indexed_query(app, wiki):
    wiki.edit("Popular", "Links to [[Somewhere]] and [[Popular]].\n\n[[Category:Things]]")
    queries(app, "/wiki/Popular")  # renders and fills the caches
    warm = queries(app, "/wiki/Popular")
    assert len(warm) == 1 and warm[0].startswith("front cache validation"), warm


def _warm_view_statements(app, client, name: str) -> list[str]:
    """The SQL of a warm view of `name` by `client` (which skips the front cache), with no parsing."""
    from wiki.pages import derive

    calls = []
    original = derive.render
    derive.render = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        statements = queries(app, f"/wiki/{name}", client=client)
    finally:
        derive.render = original
    assert calls == []
    return statements


def test_page_view_through_the_app_uses_the_parser_cache(app, wiki):
    """A reader with a session skips the front cache: still no parsing, a bounded number of queries."""
    wiki.edit("Session view", "Text with [[a link]] and {{PAGENAME}}.")
    wiki.view("Session view")
    statements = _warm_view_statements(app, wiki.client, "Session_view")
    # The page, its parser cache, whether it and its talk page exist (one query for the tabs), the
    # reader's blocks (asked for Edit and for "may this copy be shared"), the page's protection (Edit
    # tab and lock notice), the page's concept structure (the concept box) and the front cache's
    # snapshot: each row is read once.
    assert len(statements) <= 7, "\n".join(statements)


def test_logged_in_page_view_reads_each_row_once(app, wiki):
    """A logged-in user's tabs weigh edit, move, delete and protect: blocks and protection are read
    once for all of them."""
    resp = wiki.login("Reader", "correct horse battery staple")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    wiki.edit("Member view", "Text with [[a link]] and {{PAGENAME}}.")
    html = wiki.view("Member view").get_data(as_text=True)
    assert 'id="ca-move"' in html and ">Reader<" in html  # logged in: the Move tab is offered
    statements = _warm_view_statements(app, wiki.client, "Member_view")
    # The account, the page, its parser cache, the tabs' existence query, blocks, protection, the
    # page's concept structure (the concept box), the watch star's state and the new-messages flag.
    assert len(statements) <= 9, "\n".join(statements)


def _index_now(app) -> None:
    """Build the search index and apply pending updates now, not when the indexer thread wakes."""
    with app.app_context():
        app.extensions["wiki.ensure_index"]()


def _edits(wiki, count: int, prefix: str) -> None:
    for i in range(count):
        wiki.edit(f"{prefix} {i}", f"Text {i} about zebras.\n\n[[Category:{prefix}]]", summary=f"edit {i}")


@pytest.mark.parametrize(
    "url",
    [
        "/w/index.php?title={prefix}_0&action=history",
        "/wiki/Special:RecentChanges",
        "/wiki/Category:{prefix}",
        "/w/index.php?title=Special:Search&search=zebras&fulltext=1",
    ],
)
def test_list_pages_have_no_n_plus_one_queries(app, wiki, url):
    _edits(wiki, 3, "Few")
    for i in range(3):
        wiki.edit("Few 0", f"Text {i} about zebras, revised.\n\n[[Category:Few]]")
    _index_now(app)
    few = queries(app, url.format(prefix="Few"), client=wiki.client)
    _edits(wiki, 12, "Many")
    for i in range(12):
        wiki.edit("Many 0", f"Text {i} about zebras, revised.\n\n[[Category:Many]]")
    _index_now(app)
    many = queries(app, url.format(prefix="Many"), client=wiki.client)
    assert len(many) == len(few), (len(few), len(many), many)
