"""What readers get on the seeded wiki, through HTTP: aliases and Go, search normalisation, the
concept box, Special:ConceptTree, Special:Concepts, Special:Timeline. The seeded wiki is shared:
these tests only read."""

from __future__ import annotations

import re
from html import unescape

import pytest

FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


@pytest.fixture(scope="module")
def client(seeded_app):
    return seeded_app.test_client()


def go(client, text):
    return client.get("/w/index.php", query_string={"title": "Special:Search", "search": text})


def content(html: str) -> str:
    return html.split('id="mw-content-text"', 1)[1]


@pytest.mark.parametrize("typed", ["gpt3", "GPT 3", "gpt-3", "G.P.T. 3", "GPT-3", "ｇｐｔ３"])
def test_go_normalises_spelling_to_the_title(client, typed):
    resp = go(client, typed)
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/wiki/GPT-3")


def test_go_on_an_aka_term_opens_the_concept_and_names_the_alias(client):
    resp = go(client, "gpt-3 175b")
    assert resp.status_code == 302
    location = resp.headers["Location"]
    assert "title=GPT-3&alias=GPT-3+175B" in location
    html = client.get(location).get_data(as_text=True)
    assert '<h1 id="firstHeading" class="firstHeading">GPT-3</h1>' in html
    assert "(Redirected from GPT-3 175B, another name for GPT-3)" in html


def test_a_forged_alias_parameter_shows_nothing(client):
    html = client.get("/wiki/GPT-3?alias=Something+else").get_data(as_text=True)
    assert "Redirected from" not in html
    assert (
        "<script"
        not in client.get("/wiki/GPT-3?alias=%3Cscript%3E")
        .get_data(as_text=True)
        .split("firstHeading")[1]
        .split("mw-content-text")[0]
    )


def test_a_shared_alias_gives_a_disambiguation_list(client):
    # "Network Architecture" is an AKA term of both Model Architecture and Neural Architecture.
    resp = go(client, "network architecture")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "is another name for more than one concept" in html
    assert 'href="/wiki/Model_Architecture"' in html and 'href="/wiki/Neural_Architecture"' in html


def test_opensearch_suggests_aliases_and_spellings(client):
    data = client.get(
        "/w/api.php", query_string={"action": "opensearch", "search": "gpt3", "format": "json"}
    ).get_json()
    assert "GPT-3" in data[1]
    data = client.get(
        "/w/api.php", query_string={"action": "opensearch", "search": "Attention Is All", "format": "json"}
    ).get_json()
    assert "Transformer milestone" in data[1]


def test_full_text_search_ranks_the_alias_page_first(client):
    resp = client.get(
        "/w/index.php", query_string={"title": "Special:Search", "search": "davinci", "fulltext": "1"}
    )
    html = resp.get_data(as_text=True)
    first = re.search(
        r'class="mw-search-result-heading"><a href="([^"]+)"',
        html,
    )
    assert first and first.group(1) == "/wiki/GPT-3"
    resp = client.get(
        "/w/index.php", query_string={"title": "Special:Search", "search": "gpt3", "fulltext": "1"}
    )
    html = resp.get_data(as_text=True)
    first = re.search(r'class="mw-search-result-heading"><a href="([^"]+)"', html)
    assert first and first.group(1) == "/wiki/GPT-3"


def test_no_results_runs_the_did_you_mean_suggestion(client):
    resp = client.get(
        "/w/index.php", query_string={"title": "Special:Search", "search": "transfromer", "fulltext": "1"}
    )
    html = unescape(resp.get_data(as_text=True))
    assert resp.status_code == 200
    assert "Showing results for transformer. No results found for transfromer." in html
    assert 'class="mw-search-result"' in html


def test_concept_box_on_the_flagship(client):
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    box = html.split('id="concept-box"', 1)[1].split("</nav>", 1)[0]
    broader = box.split('class="concept-broader"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'title="([^"]+)"', broader) == [
        "Language AI technology milestone",
        "AI technology milestone",
        "Technical milestone",
        "Milestone",
        "Event",
    ]
    narrower = box.split('class="concept-narrower"', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'title="([^"]+)"', narrower) == [
        "Advanced LLM Technology Milestone",
        "Application LLM Technology Milestone",
        "Early LLM Technology Milestone",
        "Multimodal LLM Technology Milestone",
    ]
    assert f'href="/wiki/Special:Timeline/{FLAGSHIP}"' in box and "14 dated examples" in box
    assert 'class="new"' not in box


def test_no_concept_box_on_other_pages(client):
    assert 'id="concept-box"' not in client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'id="concept-box"' not in client.get("/wiki/Category:Concept").get_data(as_text=True)


def test_concept_tree_of_the_flagship(client):
    resp = client.get(f"/wiki/Special:ConceptTree/{FLAGSHIP}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<details open><summary>" in html
    for name in ("Early LLM Technology Milestone", "Base Architecture Milestone", "Transformer milestone"):
        assert f'title="{name}"' in html
    assert "<script" not in content(html)


def test_concept_tree_bad_input(client):
    assert client.get("/wiki/Special:ConceptTree").status_code == 400
    assert client.get("/wiki/Special:ConceptTree/No_such_page_here").status_code == 404
    assert client.get("/wiki/Special:ConceptTree/" + "x" * 300).status_code == 400
    assert client.get("/wiki/Special:Timeline/No_such_page_here").status_code == 404


def test_special_concepts_lists_roots(client):
    html = client.get("/wiki/Special:Concepts").get_data(as_text=True)
    listing = content(html).split('class="special concept-roots"', 1)[1].split("</ul>", 1)[0]
    roots = re.findall(r'<li><a href="/wiki/([^"]+)"', listing)
    # The seeded knowledge base has exactly its five top concepts as roots (tests/concepts/test_reader.py).
    assert sorted(roots) == ["Activity", "Artifact", "Event", "Method", "Property"]


def test_timeline_of_the_flagship(client):
    resp = client.get(f"/wiki/Special:Timeline/{FLAGSHIP}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    listing = html.split('<ol class="concept-timeline-list">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li><time datetime="(\d{4})">[^<]*</time>: <a href="/wiki/([^"]+)"', listing)
    assert len(items) == 14
    assert items[0] == ("2017", "Transformer_milestone") and items[-1] == ("2024", "Claude-3_milestone")
    assert [y for y, _ in items] == sorted(y for y, _ in items)
    assert '<svg class="concept-timeline-chart"' in html and 'aria-hidden="true"' in html
    assert "Early LLM Technology Milestone" in html and "<script" not in content(html)


def test_timeline_of_a_page_without_dates(client):
    resp = client.get("/wiki/Special:Timeline/Main_Page")
    assert resp.status_code == 200
    assert "has no dated examples" in resp.get_data(as_text=True)


def test_the_flagship_embeds_its_timeline(client):
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    body = content(html)
    assert body.count('<figure class="concept-timeline"') == 1
    listing = body.split('<ol class="concept-timeline-list">', 1)[1].split("</ol>", 1)[0]
    assert len(re.findall(r"<li><time", listing)) == 14
    svg = body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "></circle><text" in svg and "</text></circle>" not in svg  # no element swallowed another
    assert "&lt;timeline" not in body


def test_timeline_tag_inside_nowiki_stays_text(client):
    from wiki import pages, site

    with client.application.test_request_context():
        html = pages.render_text(site.parse_title("Sandbox"), "<nowiki><timeline/></nowiki>").html
    assert "&lt;timeline/&gt;" in html and "<figure" not in html
