"""The PostgreSQL full-text backend (WIKI_SEARCH_BACKEND=postgres) through HTTP: ranking with the
exact title first, highlighted snippets, counts and paging without overlap."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PG_URL, close_app, make_app
from tests.helpers import WikiClient

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set WIKI_TEST_DATABASE_URL")


@pytest.fixture
def pg_wiki(database_url, instance_dir):
    app = make_app(database_url, instance_dir, WIKI_SEARCH_BACKEND="postgres")
    yield app, WikiClient(app.test_client())
    close_app(app)


def _index_now(app) -> None:
    with app.app_context():
        app.extensions["wiki.ensure_index"]()


def _results(client, query: str, **extra) -> tuple[list[str], str]:
    params = {"title": "Special:Search", "search": query, "fulltext": "1", **extra}
    html = client.get("/w/index.php", query_string=params).get_data(as_text=True)
    titles = re.findall(r'<div class="mw-search-result-heading"><a [^>]*title="([^"]+)"', html)
    return titles, html


def test_exact_title_first_snippets_counts_and_pages(pg_wiki):
    app, wiki = pg_wiki
    for n in range(25):
        wiki.edit(f"Heron note {n}", f"Note {n}: the grey heron waits by the water. " + "heron " * (n % 5))
    wiki.edit("Heron", "A page about birds; the heron is one of them.")
    _index_now(app)
    titles, html = _results(wiki.client, "heron")
    assert titles[0] == "Heron"
    assert len(titles) == 20
    assert '<span class="searchmatch">heron</span>' in html
    assert re.search(r"of <strong>26</strong>", html), re.findall(r"Results.{0,80}", html)
    second, _html = _results(wiki.client, "heron", offset="20")
    assert len(second) == 6 and not set(second) & set(titles)
    none, html = _results(wiki.client, "albatross")
    assert none == []


def test_reindex_swaps_in_a_new_table_and_search_goes_on(pg_wiki):
    app, wiki = pg_wiki
    wiki.edit("Egret", "The little egret hunts in shallow water.")
    _index_now(app)
    for _ in range(2):  # the second time over a table a rebuild made
        result = app.test_cli_runner().invoke(args=["reindex"])
        assert result.exit_code == 0, result.output
        assert _results(wiki.client, "egret")[0] == ["Egret"]
    wiki.edit("Egret", "The little egret hunts by the shore.")
    _index_now(app)
    assert _results(wiki.client, "shore")[0] == ["Egret"]
