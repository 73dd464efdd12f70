"""Help:Contents, where the sidebar's and footer's "Help" links lead, is a seeded page: it exists,
explains editing, carries a wikitext cheat sheet that renders, and shows the concept-page format."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def client(seeded_app):
    return seeded_app.test_client()


def test_help_links_lead_to_an_existing_page(client):
    main = client.get("/wiki/Main_Page").get_data(as_text=True)
    sidebar = re.search(r'<li id="n-help"><a href="([^"]+)"', main).group(1)
    footer = re.search(r'<ul id="footer-places">.*?<a href="([^"]+)">Help</a>', main, re.S).group(1)
    assert sidebar == footer == "/wiki/Help:Contents"
    resp = client.get(sidebar)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<h1 id="firstHeading" class="firstHeading">Help:Contents</h1>' in html
    assert "There is currently no text in this page" not in html


def test_help_page_covers_editing_cheat_sheet_and_concept_format(client):
    html = client.get("/wiki/Help:Contents").get_data(as_text=True)
    content = html.split('id="mw-content-text"', 1)[1]
    for heading in ("Editing", "Wikitext_cheat_sheet", "The_concept-page_format"):
        assert f'id="{heading}"' in content, heading
    # The cheat sheet shows the markup as typed and as rendered, side by side.
    assert "<code>'''bold'''</code>" in content and "<b>bold</b>" in content
    assert "<code>[[GPT-3]]</code>" in content and '<a href="/wiki/GPT-3" title="GPT-3">GPT-3</a>' in content
    # The format section links complete examples and shows a skeleton that is not itself a category.
    assert 'href="/wiki/Large_Language_Model_(LLM)_Innovation_Milestone"' in content
    assert "<b>Counter-Example(s):</b>" in content and "[[BROADER CONCEPT]]" in content
    assert 'class="new"' not in content and "redlink=1" not in content
    assert 'id="catlinks"' not in html
