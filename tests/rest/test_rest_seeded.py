"""The REST API over the seeded knowledge base: previews of the flagship and of what it links to."""

from __future__ import annotations

REST = "/w/rest.php/v1"
FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"


def test_flagship_summary_is_its_defining_sentence(seeded_app):
    client = seeded_app.test_client()
    body = client.get(f"{REST}/page/{FLAGSHIP}/summary").get_json()
    assert body["type"] == "standard"
    assert body["titles"]["normalized"] == "Large Language Model (LLM) Innovation Milestone"
    assert body["extract"] == (
        "A Large Language Model (LLM) Innovation Milestone is a language AI technology milestone that marks"
        " a significant occurrence (in the development, deployment, or impact of large language models)."
    )
    assert body["content_urls"]["desktop"]["page"].endswith(f"/wiki/{FLAGSHIP}")


def test_every_page_the_flagship_links_to_has_a_summary_or_a_404(seeded_app):
    import re

    client = seeded_app.test_client()
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    targets = set(re.findall(r'href="/wiki/([^"#?:]+)"', html))
    assert len(targets) > 20
    for target in targets:
        resp = client.get(f"{REST}/page/{target}/summary")
        assert resp.status_code in (200, 307), (target, resp.status_code)
        if resp.status_code == 200:
            assert resp.get_json()["extract"], target


def test_search_title_describes_suggestions(seeded_app):
    client = seeded_app.test_client()
    body = client.get(f"{REST}/search/title?q=GPT-3&limit=5").get_json()
    first = body["pages"][0]
    assert first["title"].startswith("GPT-3") and first["description"] and first["thumbnail"] is None
