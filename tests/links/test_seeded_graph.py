"""The seeded knowledge base as a reader walks it: redirects, what links here, categories, all pages,
and a move that breaks no link."""

import re
from pathlib import Path

from tests.links.conftest import account, html_of, move

CONTENT = Path(__file__).resolve().parents[2] / "content"
FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


def _seed(app) -> None:
    from wiki import seed

    with app.app_context():
        outcomes = [r.outcome for r in seed.seed_dir(CONTENT)]
    assert outcomes and all(o == "created" for o in outcomes), outcomes


def _report_is_empty(client, name: str) -> bool:
    return "There are no results for this report." in html_of(client.get(f"/wiki/Special:{name}"))


def test_seeded_wiki_link_graph_survives_a_move(app, client):
    _seed(app)
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
