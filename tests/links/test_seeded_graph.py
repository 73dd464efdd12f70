"""The seeded knowledge base as a reader walks it: redirects, what links here, categories, all pages,
and a move that breaks no link."""

import re
from pathlib import Path

import pytest

from tests.conftest import PG_URL, close_app, copy_sqlite, make_app
from tests.links.conftest import account, html_of, move

CONTENT = Path(__file__).resolve().parents[2] / "wiki" / "content"
FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


@pytest.fixture
def seeded_copy(request, tmp_path):
    """A wiki seeded with content/ that this test may change: a copy of the session's seeded SQLite
    file, or (PostgreSQL, whose seeded database is shared read-only) the test's database seeded here."""
    if PG_URL:
        app = request.getfixturevalue("app")
        from wiki import seed

        with app.app_context():
            assert all(r.outcome == "created" for r in seed.seed_dir(CONTENT))
        yield app
        return
    source = request.getfixturevalue("seeded_database_url")[len("sqlite:///") :]
    app = make_app(copy_sqlite(source, tmp_path / "wiki.db"), tmp_path / "instance")
    yield app
    close_app(app)


def _report_is_empty(client, name: str) -> bool:
    return "There are no results for this report." in html_of(client.get(f"/wiki/Special:{name}"))


def test_seeded_wiki_link_graph_survives_a_move(seeded_copy):
    app, client = seeded_copy, seeded_copy.test_client()
    redirects = {
        p.stem: re.match(r"#REDIRECT \[\[([^\]]+)\]\]", p.read_text()).group(1)
        for p in CONTENT.glob("*.wiki")
        if p.read_text().upper().startswith("#REDIRECT")
    }
    assert redirects
    for source, target in redirects.items():
        html = html_of(client.get(f"/wiki/{source}"))
        assert f'<h1 id="firstHeading" class="firstHeading">{target}</h1>' in html, source
        assert "(Redirected from" in html
    # Every link of the seeded pages, "See:" lines included, reaches a page: none wanted, no bad redirect.
    for report in ("WantedPages", "BrokenRedirects", "DoubleRedirects"):
        assert _report_is_empty(client, report), report
    wlh = html_of(client.get(f"/wiki/Special:WhatLinksHere/{FLAGSHIP}?limit=500"))
    assert wlh.count("<li>") > 20 and "(redirect page)" in wlh
    members = [p for p in CONTENT.glob("*.wiki") if "[[Category:Concept]]" in p.read_text()]
    pages = len([p for p in members if not p.stem.startswith("Category:")])
    concept = html_of(client.get("/wiki/Category:Concept"))
    assert f"The following {pages} pages are in this category, out of {pages} total." in concept
    assert "This category has only the following subcategory." in concept
    all_pages = html_of(client.get("/wiki/Special:AllPages"))
    assert all_pages.count("<li") >= len([p for p in CONTENT.glob("*.wiki") if ":" not in p.stem])

    editor = account(app, "Mover")
    target = redirects["Foundation_Model"]  # a page that a redirect points at
    resp = move(editor, target, f"{target} (AI)", reason="disambiguate", wpFixRedirects="1")
    assert resp.status_code == 200, html_of(resp)[:1500]
    assert "Updated 1 redirect" in html_of(resp)
    for report in ("WantedPages", "BrokenRedirects", "DoubleRedirects"):
        assert _report_is_empty(client, report), report
    html = html_of(client.get("/wiki/Foundation_Model"))
    assert f'<h1 id="firstHeading" class="firstHeading">{target} (AI)</h1>' in html
