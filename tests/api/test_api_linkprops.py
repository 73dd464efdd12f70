"""prop=links and prop=templates list a page's links and transclusions, with continuation."""


def _page(client, query: str) -> tuple[dict, dict]:
    reply = client.get(f"/w/api.php?action=query&format=json&{query}").get_json()
    return next(iter(reply["query"]["pages"].values())), reply.get("continue", {})


def test_links_and_templates_with_continuation(wiki):
    wiki.edit("Template:Tp", "x")
    wiki.edit("Src", "[[Alpha]] [[Beta]] {{Tp}}")
    page, cont = _page(wiki.client, "prop=links|templates&titles=Src&pllimit=1")
    assert page["links"] == [{"ns": 0, "title": "Alpha"}]
    assert page["templates"] == [{"ns": 10, "title": "Template:Tp"}]
    page, cont = _page(wiki.client, f"prop=links&titles=Src&pllimit=1&plcontinue={cont['plcontinue']}")
    assert page["links"] == [{"ns": 0, "title": "Beta"}]
    assert "plcontinue" not in cont
