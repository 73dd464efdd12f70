"""Concept structure out of the wiki: a page's schema.org DefinedTerm (JSON-LD), and the whole concept
graph (concepts and their genus edges) as JSON or GraphML for `flask --app wiki export-concepts`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from wiki.concepts.reader import Structure, structure_from_json
from wiki.concepts.store import genus_key
from wiki.extensions import db
from wiki.models import ConceptStructure, Page

BATCH = 1000


@dataclass
class Concept:
    """One concept page: its title, defining sentence, genus (a title or None) and AKA terms."""

    page_id: int
    title: str
    sentence: str
    genus: str | None
    aka: list[str] = field(default_factory=list)


def concept(page_id: int, title: str, structure: Structure) -> Concept:
    genus = genus_key(structure.genus)
    return Concept(
        page_id=page_id,
        title=title,
        sentence=structure.sentence,
        genus=genus.replace("_", " ") if genus else None,
        aka=list(structure.aka),
    )


def defined_term(item: Concept, url: str, term_set_url: str, term_set_name: str) -> dict:
    """schema.org's DefinedTerm for a concept page (name, alternate names, description, its set)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": url,
        "url": url,
        "name": item.title,
        "description": item.sentence,
        "inDefinedTermSet": {"@type": "DefinedTermSet", "@id": term_set_url, "name": term_set_name},
    }
    if item.aka:
        data["alternateName"] = item.aka
    return data


def json_ld(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: "</" and "<!--" cannot end it early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def concepts() -> Iterator[Concept]:
    """Every concept page of the wiki, by page id, read in batches."""
    last = 0
    while True:
        rows = db.session.execute(
            db.select(Page.id, Page.title, ConceptStructure.data)
            .join(ConceptStructure, ConceptStructure.page_id == Page.id)
            .where(ConceptStructure.is_concept, Page.id > last)
            .order_by(Page.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for page_id, title, data in rows:
            try:
                structure = structure_from_json(json.loads(data))
            except (ValueError, TypeError, KeyError):
                continue
            yield concept(page_id, title.replace("_", " "), structure)
        last = rows[-1][0]


def graph_json(items: list[Concept], url: Callable[[str], str]) -> dict:
    """Nodes (one per concept) and edges (concept → its genus, when the genus is a concept too)."""
    known = {i.title for i in items}
    return {
        "nodes": [
            {"id": i.title, "url": url(i.title), "definition": i.sentence, "aka": i.aka, "genus": i.genus}
            for i in items
        ],
        "edges": [
            {"source": i.title, "target": i.genus, "relation": "genus"}
            for i in items
            if i.genus and i.genus in known
        ],
    }


def graph_ml(items: list[Concept], url: Callable[[str], str]) -> str:
    """The same graph as GraphML (directed; node data: url, definition, aka joined by "; ")."""
    data = graph_json(items, url)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="url" for="node" attr.name="url" attr.type="string"/>',
        '  <key id="definition" for="node" attr.name="definition" attr.type="string"/>',
        '  <key id="aka" for="node" attr.name="aka" attr.type="string"/>',
        '  <key id="relation" for="edge" attr.name="relation" attr.type="string"/>',
        '  <graph id="concepts" edgedefault="directed">',
    ]
    for node in data["nodes"]:
        out.append(f"    <node id={quoteattr(node['id'])}>")
        out.append(f'      <data key="url">{escape(node["url"])}</data>')
        out.append(f'      <data key="definition">{escape(node["definition"])}</data>')
        if node["aka"]:
            out.append(f'      <data key="aka">{escape("; ".join(node["aka"]))}</data>')
        out.append("    </node>")
    for n, edge in enumerate(data["edges"]):
        out.append(
            f'    <edge id="e{n}" source={quoteattr(edge["source"])} target={quoteattr(edge["target"])}>'
            f'<data key="relation">genus</data></edge>'
        )
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)
