"""The seeded knowledge base as a reader sees it: the flagship's list tree, blue links, the redirect.

One seeded wiki (the session's seeded_app) serves the module: these tests only read."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

CONTENT = Path(__file__).resolve().parents[2] / "wiki" / "content"
FLAGSHIP = "Large_Language_Model_(LLM)_Innovation_Milestone"
NS = "{http://www.w3.org/1999/xhtml}"

EXAMPLES = [
    (
        "Early LLM Technology Milestones, such as:",
        [
            (
                "Base Architecture Milestones, such as:",
                [
                    "Transformer milestone (~2017 AD) for transformer architecture in foundation model.",
                    "GPT-1 milestone (~2018 AD) for GPT-1 in unidirectional model.",
                ],
            ),
            (
                "Scale Demonstration Milestones, such as:",
                [
                    "GPT-2 milestone (~2019 AD) for GPT-2 in large scale training.",
                    "T5 milestone (~2020 AD) for T5 model in transfer learning.",
                ],
            ),
        ],
    ),
    (
        "Advanced LLM Technology Milestones, such as:",
        [
            (
                "Scale Achievement Milestones, such as:",
                [
                    "GPT-3 milestone (~2020 AD) for GPT-3 in few-shot learning.",
                    "PaLM milestone (~2022 AD) for PaLM in scaling capability.",
                ],
            ),
            ("Architecture Innovation Milestones, such as:", ["..."]),
        ],
    ),
    (
        "Application LLM Technology Milestones, such as:",
        [
            (
                "Task Adaptation LLM Milestones, such as:",
                [
                    "Codex milestone (~2021 AD) for Codex model in code generation.",
                    "DALL-E milestone (~2021 AD) for DALL-E in text-to-image.",
                ],
            ),
            (
                "Interaction Model Milestones, such as:",
                [
                    "InstructGPT milestone (~2022 AD) for InstructGPT in instruction following.",
                    "ChatGPT milestone (~2022 AD) for ChatGPT in conversational AI.",
                ],
            ),
        ],
    ),
    (
        "Multimodal LLM Technology Milestones, such as:",
        [
            (
                "Vision-Language Milestones, such as:",
                [
                    "GPT-4V milestone (~2023 AD) for GPT-4V in visual understanding.",
                    "Gemini milestone (~2023 AD) for Gemini in multimodal processing.",
                ],
            ),
            (
                "Audio-Language Milestones, such as:",
                [
                    "Whisper milestone (~2022 AD) for Whisper in speech processing.",
                    "Claude-3 milestone (~2024 AD) for Claude-3 in multimodal interaction.",
                ],
            ),
        ],
    ),
    ("...", []),
]


def _normalise(tree):
    """Turn (text, children) / str nodes into one comparable shape."""
    if isinstance(tree, str):
        return (tree, [])
    text, children = tree
    return (text, [_normalise(c) for c in children])


def _own_text(li) -> str:
    parts = []

    def walk(node):
        if node.tag in (f"{NS}ul", f"{NS}ol", f"{NS}dl"):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    parts.append(li.text or "")
    for child in li:
        walk(child)
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _tree(ul) -> list:
    items = []
    for li in ul.findall(f"{NS}li"):
        sub = li.find(f"{NS}ul")
        items.append((_own_text(li), _tree(sub) if sub is not None else []))
    return items


@pytest.fixture(scope="module")
def client(seeded_app):
    return seeded_app.test_client()


def _content_root(html: str):
    doc = html5lib.parse(html)
    return next(el for el in doc.iter(f"{NS}div") if el.get("id") == "mw-content-text")


def test_flagship_has_the_restored_list_tree(client):
    resp = client.get(f"/wiki/{FLAGSHIP}")
    assert resp.status_code == 200
    root = _content_root(resp.get_data(as_text=True))
    top = next(root.iter(f"{NS}ul"))
    tree = _tree(top)
    labels = [text for text, _children in tree]
    assert labels == [
        "AKA: LLM Innovation Achievement.",
        "Context:",
        "Examples:",
        "Counter-Examples:",
        "See: Language Model, Neural Architecture, Transformer Model, Foundation Model, Model Scaling, "
        "AI System.",
    ]
    context = [text for text, _c in tree[1][1]]
    assert len(context) == 18 and context.count("...") == 4
    assert context[0] == (
        "It can typically demonstrate Scale Impact through parameter count and training dataset."
    )
    assert tree[2][1] == [_normalise(e) for e in EXAMPLES]
    assert [text for text, _c in tree[3][1]] == [
        "Model Updates, which lack breakthrough advancement.",
        "Parameter Increases, which lack architectural innovation.",
        "Dataset Releases, which lack model achievement.",
        "API Launches, which lack technical milestone.",
    ]


def test_flagship_labels_are_bold_and_self_link_is_bold(client):
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    for label in ("AKA:", "Context:", "Examples:", "Counter-Examples:", "See:"):
        assert f"<b>{label}</b>" in html
    assert re.search(
        r'<a class="mw-selflink selflink">Large Language Model \(LLM\) Innovation Milestone</a>', html
    )


def test_every_link_on_the_flagship_is_blue(client):
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    content = html.split('id="mw-content-text"', 1)[1]
    links = re.findall(r'<a href="/wiki/[^"]+"', content)
    assert len(links) > 100
    assert 'class="new"' not in content
    assert "redlink=1" not in content


def test_every_seeded_page_has_no_red_link(client):
    red = []
    for path in sorted(CONTENT.glob("*.wiki")):
        html = client.get(f"/wiki/{path.stem}").get_data(as_text=True)
        if "redlink=1" in html.split('id="mw-content-text"', 1)[-1]:
            red.append(path.stem)
    assert red == []


def test_redirect_shows_the_flagship_with_notice(client):
    resp = client.get("/wiki/LLM_Innovation_Achievement")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Large Language Model (LLM) Innovation Milestone</h1>" in html
    assert "Redirected from" in html and "LLM Innovation Achievement" in html


def test_flagship_ends_with_rule_notoc_and_category(client):
    raw = client.get(f"/w/index.php?title={FLAGSHIP}&action=raw").get_data(as_text=True)
    assert "----\n__NOTOC__\n[[Category:" in raw
    html = client.get(f"/wiki/{FLAGSHIP}").get_data(as_text=True)
    assert 'id="catlinks"' in html and 'id="toc"' not in html
