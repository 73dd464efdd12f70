"""The structure reader over every seeded page and odd inputs (pure: no app)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wiki.concepts.reader import Date, Structure, parse_date, read

CONTENT = Path(__file__).resolve().parents[2] / "wiki" / "content"
PAGES = sorted(CONTENT.glob("*.wiki"))
FLAGSHIP = CONTENT / "Large_Language_Model_(LLM)_Innovation_Milestone.wiki"
# Seeded pages that are not concept pages: redirects, categories, help and the main page.
NOT_CONCEPTS = {"Main_Page", "Help:Contents", "Category:Concept", "Category:LLM_Innovation_Milestone"}


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_every_seeded_page_reads(path):
    text = path.read_text()
    s = read(text)
    if path.stem in NOT_CONCEPTS or text.upper().startswith("#REDIRECT"):
        assert not s.is_concept and s.sentence == "" and s.examples == []
        return
    assert s.is_concept, path.stem
    assert s.subject and s.sentence.endswith("."), (path.stem, s.sentence)
    assert " is " in s.sentence or " are " in s.sentence
    assert s.context, path.stem
    assert s.examples and s.counter_examples and s.see, path.stem
    assert s.references, f"{path.stem} has no References section"
    assert "Concept" in s.categories


def test_flagship_structure():
    s = read(FLAGSHIP.read_text())
    assert s.subject == "Large Language Model (LLM) Innovation Milestone"
    assert s.genus == "language AI technology milestone"
    assert s.aka == ["LLM Innovation Achievement"]
    dated = s.dated()
    assert len(dated) == 14
    assert dated[0][1].link == "Transformer milestone" and dated[0][1].date == Date(
        2017, approx=True, text="~2017 AD"
    )
    assert dated[0][0] == ["Early LLM Technology Milestone", "Base Architecture Milestone"]
    assert dated[-1][1].link == "Claude-3 milestone" and dated[-1][1].date.year == 2024
    assert [c.link for c in s.counter_examples] == [
        "Model Update",
        "Parameter Increase",
        "Dataset Release",
        "API Launch",
    ]
    assert "AI System" in s.see and s.categories == ["Concept", "LLM Innovation Milestone"]
    assert s.examples[-1].text != "..." and all(i.text != "..." for i in s.examples)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x (~2017 AD) y", Date(2017, approx=True, text="~2017 AD")),
        ("released 2017.", Date(2017, text="2017")),
        ("c. 2017", Date(2017, approx=True, text="c. 2017")),
        ("circa 1966", Date(1966, approx=True, text="circa 1966")),
        ("from 2014-2016 on", Date(2014, end=2016, text="2014-2016")),
        ("from 2014–2016 on", Date(2014, end=2016, text="2014–2016")),
        ("in October 2018", Date(2018, month=10, text="October 2018")),
        ("Foo 1.5 (June 2017)", Date(2017, month=6, text="June 2017")),
        ("the year 2999", Date(2999, text="2999")),
        ("175 billion parameters", None),
        ("3.14 x 10^23 FLOPs, 96 layers", None),
        ("12,288-dimensional", None),
        ("year 3100 or 999", None),
        ("2016-2014 backwards", Date(2016, text="2016")),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


ODD = {
    "empty": "",
    "no definition": "* <B>AKA:</B> Foo.\n* <B>Examples:</B>\n** [[A]] (2017).",
    "prose only": "Some text about [[Foo]] without a copula.",
    "redirect": "#REDIRECT [[Foo]]",
    "template only": "{{Infobox | a = {{b|{{c}}}}\n| d = A [[Foo]] is a [[Bar]].\n}}",
    "unbalanced brackets": "A [[Foo is a [[Bar]] ]] }} {{ <ref>",
    "only comment": "<!-- A [[Foo]] is a [[Bar]]. -->",
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_inputs_give_no_concept(name):
    s = read(ODD[name])
    assert not s.is_concept and s.genus is None and s.dated() == []


def test_nested_templates_comments_and_a_list_in_a_table_are_skipped():
    text = (
        "{{Infobox|name={{PAGENAME}}|x={{y|{{z}}}}}}\n"
        "<!-- A [[Wrong]] is a [[Hidden]]. -->\n"
        "A [[Foo]] is a {{nowrap|big}} [[Bar|bar thing]] that works.<ref>Smith (2020).</ref>\n"
        "* <B>AKA:</B> [[Fu]], Foo Thing (old name), F.O.O.\n"
        "* <B>Examples:</B>\n"
        "{|\n| \n** [[In Table]] (2001).\n|}\n"
        "** [[Group]]s, such as:\n"
        "*** [[A1]] (c. 2019) first.<!-- (2030) -->\n"
        "*** ...\n"
        "** [[B]] in October 2018.\n"
        "* <B>See:</B> [[Baz]], [[Category:Nope]].\n"
        "== References ==\n* Jones (2021).\n"
        "[[Category:Concept]]"
    )
    s = read(text)
    assert s.is_concept and s.subject == "Foo" and s.genus == "Bar"
    assert s.sentence == "A Foo is a bar thing that works."
    assert s.aka == ["Fu", "Foo Thing (old name)", "F.O.O"]
    assert [i.link for i in s.examples] == ["Group", "B"]
    group = s.examples[0]
    assert group.unfinished and [c.link for c in group.children] == ["A1"]
    assert group.children[0].date == Date(2019, approx=True, text="c. 2019")
    assert s.examples[1].date == Date(2018, month=10, text="October 2018")
    assert s.see == ["Baz"] and s.references == ["Jones (2021).", "Smith (2020)."]


def test_an_unclosed_template_is_text_as_mediawiki_shows_it():
    s = read("{{Infobox | a = {{b}}\nA [[Foo]] is a [[Bar]].")
    assert s.is_concept and s.genus == "Bar"


def test_bold_subject_and_plural_copula():
    assert read("'''Foo''' is an [[Bar]].").genus == "Bar"
    s = read("[[Tools]] are [[software]] systems.")
    assert s.is_concept and s.genus == "software"


def test_deep_nesting_and_many_items_are_bounded():
    text = "A [[Foo]] is a [[Bar]].\n* <B>Examples:</B>\n" + "".join(
        "*" * (2 + i % 30) + f" [[X{i}]] ({1900 + i % 100})\n" for i in range(5000)
    )
    s = read(text)
    assert s.is_concept and 0 < len(s.dated()) <= 2000


# The top concepts of the seeded knowledge base: every other concept's genus chain ends in one.
ROOTS = {"Event", "Artifact", "Method", "Property", "Activity"}


def _title(name: str) -> str:
    """A seed file's stem or a link target as the wiki names the page (spaces, first letter upper)."""
    name = name.replace("_", " ").strip()
    return name[:1].upper() + name[1:]


def _seeded_graph() -> tuple[dict[str, Structure], dict[str, str]]:
    """The seeded concept pages by title, and the seeded redirects (title -> target title)."""
    concepts: dict[str, Structure] = {}
    redirects: dict[str, str] = {}
    for path in PAGES:
        text = path.read_text()
        target = re.match(r"#REDIRECT\s*\[\[([^\]|#]+)", text, re.I)
        if target:
            redirects[_title(path.stem)] = _title(target.group(1))
        elif path.stem not in NOT_CONCEPTS:
            concepts[_title(path.stem)] = read(text)
    return concepts, redirects


def test_every_genus_is_a_seeded_concept_and_every_chain_ends_in_a_root():
    concepts, redirects = _seeded_graph()
    problems = [f"{root}: a root concept with no seeded page" for root in sorted(ROOTS - set(concepts))]
    for title, s in sorted(concepts.items()):
        if title in ROOTS:
            if not s.is_concept or s.genus is not None:
                problems.append(f"{title}: a root needs a defining sentence with a plain-text genus")
            continue
        if s.genus is None:
            problems.append(f"{title}: the genus is not a link ({s.sentence[:70]!r})")
            continue
        chain, current = [title], title
        while current not in ROOTS:
            genus = concepts[current].genus
            step = redirects.get(_title(genus), _title(genus)) if genus else None
            if step is None or step not in concepts:
                problems.append(f"{title}: chain {' > '.join(chain)} stops at {genus!r}, no seeded concept")
                break
            if step in chain:
                problems.append(f"{title}: chain {' > '.join(chain)} loops back to {step}")
                break
            chain.append(step)
            current = step
    assert problems == [], "\n".join(problems)


def test_every_milestone_concept_has_dated_examples():
    concepts, _redirects = _seeded_graph()
    undated = [t for t, s in concepts.items() if t.lower().endswith("milestone") and not s.dated()]
    assert undated == []


def test_the_flagship_chain_reaches_event_through_the_milestone_classes():
    concepts, _redirects = _seeded_graph()
    chain, current = [], "Large Language Model (LLM) Innovation Milestone"
    while current in concepts and current not in ROOTS and len(chain) < 10:
        current = _title(concepts[current].genus or "")
        chain.append(current)
    assert chain == [
        "Language AI technology milestone",
        "AI technology milestone",
        "Technical milestone",
        "Milestone",
        "Event",
    ]


def test_the_genus_is_the_class_not_a_later_link():
    assert read("[[Tools]] are software systems (frameworks) that serve [[model]]s.").genus is None
    assert read("A [[T5]] is an encoder-decoder [[Language Model|language model]] from Google.").genus == (
        "Language Model"
    )
    assert read("An [[X]] is a resource cost that measures [[Y]].").genus is None
