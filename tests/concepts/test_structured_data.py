"""Structured data out (issue 19): concept pages carry schema.org DefinedTerm JSON-LD,
`prop=conceptinfo` answers their structure, and `flask export-concepts` writes the concept graph as
JSON or GraphML — all over the seeded wiki, through HTTP and the real command."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest


@pytest.fixture(scope="module")
def client(seeded_app):
    return seeded_app.test_client()


def _json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def test_a_concept_page_carries_its_defined_term(client):
    html = client.get("/wiki/GPT-3").get_data(as_text=True)
    [term] = _json_ld(html)
    assert term["@type"] == "DefinedTerm" and term["name"] == "GPT-3"
    assert term["url"].endswith("/wiki/GPT-3")
    assert term["description"].startswith("GPT-3 is a large language model released by OpenAI in 2020")
    assert "GPT-3 175B" in term["alternateName"]
    assert term["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert term["inDefinedTermSet"]["@id"].endswith("/wiki/Special:Concepts")
    # Not a concept page (Main Page), an old revision, a redirect target's note: no JSON-LD.
    assert _json_ld(client.get("/wiki/Main_Page").get_data(as_text=True)) == []


def test_json_ld_cannot_close_its_script_element(seeded_app):
    from wiki.concepts import export

    item = export.Concept(1, "X", "A </script><script>alert(1)</script> & <!-- x", None, ["<b>"])
    text = export.json_ld(export.defined_term(item, "http://w/X", "http://w/S", "S"))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["description"] == item.sentence


def test_conceptinfo_answers_the_structure_and_nothing_for_other_pages(client):
    data = client.get(
        "/w/api.php?action=query&format=json&formatversion=2&prop=conceptinfo"
        "&titles=GPT-3|Main_Page|No_such_page&ciprop=definition|genus|aka|dated|see"
    ).get_json()
    pages = {p["title"]: p for p in data["query"]["pages"]}
    info = pages["GPT-3"]["conceptinfo"]
    assert info["definition"].startswith("GPT-3 is a large language model")
    assert info["genus"] == "Large language model" and "GPT-3 175B" in info["aka"]
    assert isinstance(info["dated"], int) and isinstance(info["see"], list)
    assert "conceptinfo" not in pages["Main Page"] and pages["No such page"]["missing"]
    bad = client.get("/w/api.php?action=query&format=json&prop=conceptinfo&titles=GPT-3&ciprop=x").get_json()
    assert "ciprop" in json.dumps(bad.get("warnings", bad.get("error", {})))


def test_export_concepts_writes_the_graph_as_json_and_graphml(seeded_app, tmp_path):
    runner = seeded_app.test_cli_runner()
    out = tmp_path / "concepts.json"
    result = runner.invoke(args=["export-concepts", str(out)])
    assert result.exit_code == 0, result.output
    graph = json.loads(out.read_text())
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes["GPT-3"]["genus"] == "Large language model" and "GPT-3 175B" in nodes["GPT-3"]["aka"]
    assert {"source": "GPT-3", "target": "Large language model", "relation": "genus"} in graph["edges"]
    assert all(e["target"] in nodes for e in graph["edges"])  # edges only between concepts
    assert "Main Page" not in nodes
    graphml = tmp_path / "concepts.graphml"
    result = runner.invoke(args=["export-concepts", str(graphml)])
    assert result.exit_code == 0 and f"{len(nodes)} concepts" in result.output, result.output
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(graphml).getroot()
    assert len(root.findall(".//g:node", ns)) == len(nodes)
    assert len(root.findall(".//g:edge", ns)) == len(graph["edges"])
