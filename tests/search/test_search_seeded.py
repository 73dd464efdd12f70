"""Searching the seeded wiki through HTTP: ranking, snippets, query syntax, Go, did-you-mean, bad input.

One seeded wiki serves the whole module (seeding all of wiki/content per test would cost the budget); the
tests only read it.
"""

from __future__ import annotations

import re
import shutil
from html import unescape

import pytest

from tests.conftest import PG_URL, ROOT, _truncate_pg, close_app


@pytest.fixture(scope="module")
def seeded(database_template, tmp_path_factory):
    from wiki import create_app, seed
    from wiki.search import maintenance

    work = tmp_path_factory.mktemp("seeded")
    if PG_URL:
        _truncate_pg(PG_URL)
        url = PG_URL
    else:
        shutil.copy(database_template, work / "wiki.db")
        url = f"sqlite:///{work / 'wiki.db'}"
    app = create_app(
        {
            "TESTING": True,
            "WIKI_INSTANCE_DIR": str(work),
            "SQLALCHEMY_DATABASE_URI": url,
            "WIKI_INDEX_DIR": str(work / "search"),
        }
    )
    with app.app_context():
        reports = list(seed.seed_dir(ROOT / "wiki" / "content"))
        assert not [r for r in reports if r.outcome.startswith("error")]
        maintenance.ensure(app.extensions["wiki.search"], echo=lambda _m: None)
    yield app
    close_app(app)


@pytest.fixture
def client(seeded):
    return seeded.test_client()


def results(client, query: str, **params) -> tuple[int, str, list[str]]:
    resp = client.get("/w/index.php", query_string={"title": "Special:Search", "search": query, **params})
    html = resp.get_data(as_text=True)
    titles = [
        unescape(t)
        for t in re.findall(r'<div class="mw-search-result-heading"><a [^>]*title="([^"]+)"', html)
    ]
    return resp.status_code, html, titles


def fulltext(client, query: str, **params):
    return results(client, query, fulltext="1", **params)


def test_transformer_finds_the_transformer_pages_first_with_highlighted_snippets(client):
    status, html, titles = fulltext(client, "transformer")
    assert status == 200
    assert set(titles[:2]) == {"Transformer architecture", "Transformer milestone"}
    assert '<span class="searchmatch">transformer</span>' in html.lower()
    assert re.search(r"Results <strong>1 – 20</strong> of <strong>\d+</strong>", html)
    assert re.search(r'class="mw-search-result-data">\d+ KB \([\d,]+ words\) - \d\d:\d\d, ', html)


def test_gpt3_parameters_ranks_the_gpt3_page_first(client):
    _status, html, titles = fulltext(client, "GPT-3 parameters")
    assert titles[0] == "GPT-3"
    assert '<span class="searchmatch">parameters</span>' in html


def test_stemming_milestones_finds_milestone_pages(client):
    _status, _html, plural = fulltext(client, "milestones")
    _status, _html, singular = fulltext(client, "milestone")
    assert plural and plural == singular
    assert all("milestone" in t.lower() for t in plural[:5])


def test_page_whose_title_is_the_query_ranks_first(client):
    _status, _html, titles = fulltext(client, "attention mechanism")
    assert titles[0] == "Attention mechanism"


def test_match_through_a_redirect_title_says_redirect_from(client):
    _status, html, titles = fulltext(client, "transformer model")
    assert titles[0] == "Transformer architecture"
    assert re.search(r'\(redirect from <a href="[^"]*redirect=no"[^>]*>.*Model.*</a>\)', html)


def test_exact_phrase_and_exclusion_and_or(client):
    _s, _h, phrase = fulltext(client, '"Attention Is All You Need"')
    assert "Transformer milestone" in phrase
    _s, _h, gpt = fulltext(client, "gpt")
    _s, _h, without = fulltext(client, "gpt -milestone")
    assert without and not any("milestone" in t.lower() for t in without) and len(without) < len(gpt)
    _s, _h, either = fulltext(client, "whisper OR codex", limit=100)
    assert "Whisper" in either and "Codex model" in either


def test_prefix_and_intitle(client):
    _s, html, titles = fulltext(client, "transf*")
    assert "Transfer learning" in titles and "Transformer architecture" in titles
    _s, _h, titles = fulltext(client, "intitle:gpt")
    assert titles and all("GPT" in t for t in titles)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("transfromer", "transformer"),
        ("scientifc", "scientific"),  # the word as written, not the stem ("scientif")
        ("lnguage", "language"),  # a slip in the second letter
    ],
)
def test_did_you_mean_runs_the_close_spelling_that_finds_more(client, typed, meant):
    """No results: the suggestion is searched instead, and the page says so (issue 19)."""
    _s, html, titles = fulltext(client, typed)
    assert titles
    assert f"Showing results for {meant}. No results found for {typed}." in html


def test_go_jumps_to_exact_title_case_insensitively_and_through_redirects(client):
    resp = client.get("/w/index.php", query_string={"title": "Special:Search", "search": "gpt-3", "go": "Go"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/wiki/GPT-3")
    resp = client.get("/wiki/Special:Search", query_string={"search": "transformer model"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/wiki/Transformer_Model")
    view = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Redirected from" in view and "Transformer architecture" in view


def test_create_link_is_offered_when_no_page_has_the_title(client):
    _s, html, _t = results(client, "Quantum pizza")
    assert re.search(r'Create the page "<a href="[^"]*title=Quantum_pizza&amp;action=edit" class="new"', html)
    _s, html, _t = fulltext(client, "GPT-3")
    assert "Create the page" not in html and 'There is a page named "<a href="/wiki/GPT-3">' in html


def test_paging_and_namespace_filter(client):
    _s, html, first = fulltext(client, "model", limit=5)
    _s, _h, second = fulltext(client, "model", limit=5, offset=5)
    assert len(first) == 5 and len(second) == 5 and not set(first) & set(second)
    assert 'class="mw-nextlink"' in html
    _s, _h, categories = fulltext(client, "milestone", ns14="1")
    assert categories and all(t.startswith("Category:") for t in categories)


def test_empty_query_shows_the_search_form(client):
    status, html, titles = results(client, "")
    assert status == 200 and 'id="searchText"' in html and not titles
    assert client.get("/wiki/Special:Search").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        "(unbalanced (brackets",
        "unbalanced)) brackets",
        "OR",
        "AND NOT",
        "-",
        "*",
        "a*",
        "tr?nsformer",
        "x\x00y\x07z",
        "intitle:",
        "field:value",
        "^~[]{}",
        "\u202etransformer",
    ],
)
def test_odd_queries_never_fail(client, query):
    status, html, _titles = fulltext(client, query)
    assert status == 200
    assert "Internal error" not in html


def test_lone_operators_and_star_get_a_clear_message(client):
    for query in ("*", "OR", "-"):
        _s, html, _t = fulltext(client, query)
        assert "Type one or more words to search for." in html


def test_very_long_query_gets_a_message_naming_the_limit(client):
    status, html, _t = fulltext(client, "transformer " * 900)
    assert status == 400 and "the limit is 300 characters" in html


def test_opensearch_description_names_search_and_suggestions(client):
    resp = client.get("/w/opensearch_desc.php")
    assert resp.status_code == 200
    assert resp.mimetype == "application/opensearchdescription+xml"
    body = resp.get_data(as_text=True)
    assert "Special:Search&amp;search={searchTerms}" in body
    assert "api.php?action=opensearch&amp;search={searchTerms}" in body
    assert 'rel="search" type="application/opensearchdescription+xml"' in client.get("/wiki/GPT-3").get_data(
        as_text=True
    )


def test_suggest_gives_titles_by_prefix_with_redirects_resolved(seeded):
    from wiki import search

    with seeded.app_context():
        found = [s.prefixed for s in search.suggest("gpt-3", limit=5)]
        assert found[:2] == ["GPT-3", "GPT-3 milestone"]
        resolved = [s.prefixed for s in search.suggest("transformer m", limit=5)]
        assert sorted(resolved) == ["Transformer architecture", "Transformer milestone"]
        assert search.suggest("", limit=5) == []
        assert [s.prefixed for s in search.suggest("category:llm", limit=5)] == [
            "Category:LLM Innovation Milestone"
        ]


def test_opensearch_api_suggests_titles_as_you_type(client):
    resp = client.get(
        "/w/api.php", query_string={"action": "opensearch", "search": "gpt-3", "format": "json"}
    )
    query, found, _descriptions, urls = resp.get_json()
    assert query == "gpt-3"
    assert found[:2] == ["GPT-3", "GPT-3 milestone"]
    assert urls[0].endswith("/wiki/GPT-3")
