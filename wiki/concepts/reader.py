"""Read the structure of a GM-RKB concept page from its wikitext (mwparserfromhell).

A concept page opens with a defining sentence ("A [[X]] is a [[genus]] that ..."), then bullets
labelled AKA, Context, Example(s), Counter-Example(s) and See, a References section and
categories. `read(text)` returns that structure; it never raises: text that is not a concept page
(or that mwparserfromhell cannot read) gives an empty Structure with `is_concept` False.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Tag, Template, Wikilink

log = logging.getLogger(__name__)

MAX_TEXT = 500_000  # characters read; a longer page is read up to here
MAX_ITEMS = 2_000  # list items kept per section
MAX_DEPTH = 8  # nesting of example groups

_COPULA = re.compile(r"\b(?:is\s+(?:an?|the)|are)\b", re.I)
_LABEL = re.compile(r"^(\*+)\s*(?:<b>|''')\s*([^<:']{1,40}?)\s*:?\s*(?:</b>|''')\s*:?\s*(.*)$", re.I)
_SECTIONS = {
    "aka": "aka",
    "also known as": "aka",
    "context": "context",
    "example": "examples",
    "examples": "examples",
    "example(s)": "examples",
    "counter-example": "counter_examples",
    "counter-examples": "counter_examples",
    "counter-example(s)": "counter_examples",
    "counterexamples": "counter_examples",
    "see": "see",
    "see also": "see",
}
_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$")
_ELLIPSIS = re.compile(r"^(?:\.\.\.|…)\.?$")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_MONTH_RE = "|".join(_MONTHS)
# "(~2017 AD)", "c. 2017", "circa 2017", "October 2018", "2014-2016", "2017": the first in an item.
_DATE = re.compile(
    r"(?P<approx>~|\bc\.\s*|\bca\.\s*|\bcirca\s+)?"
    rf"(?:(?P<month>{_MONTH_RE})\s+)?"
    r"(?<![\d.,:/-])(?P<year>\d{3,4})(?![\d,]|\.\d)"
    r"(?:\s*(?:-|–|—|to)\s*(?P<end>\d{4})(?!\d))?"
    r"(?:\s*(?P<era>AD|CE|BC|BCE)\b)?",
    re.I,
)


@dataclass
class Date:
    """A date read from an example: a year, maybe a month, maybe a range's end, maybe approximate."""

    year: int
    month: int | None = None
    end: int | None = None
    approx: bool = False
    text: str = ""

    def sort_key(self) -> tuple[int, int]:
        return (self.year, self.month or 0)


@dataclass
class Item:
    """A list item: its plain text, its first link, its date, its sub-items."""

    text: str
    link: str | None = None
    links: list[str] = field(default_factory=list)
    date: Date | None = None
    children: list[Item] = field(default_factory=list)
    unfinished: bool = False  # its list ends with "..." (more exist than are listed)


@dataclass
class Structure:
    is_concept: bool = False
    subject: str | None = None  # the concept named by the defining sentence
    sentence: str = ""  # the defining sentence, plain text
    genus: str | None = None  # the link after "is a/an", as written (a title)
    aka: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    examples: list[Item] = field(default_factory=list)
    counter_examples: list[Item] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def dated(self) -> list[tuple[list[str], Item]]:
        """The dated examples with the names of their groups (outermost first), in page order."""
        out: list[tuple[list[str], Item]] = []

        def walk(items: list[Item], groups: list[str]) -> None:
            for item in items:
                if item.date is not None and not item.children:
                    out.append((groups, item))
                if item.children:
                    walk(item.children, [*groups, item.link or item.text])

        walk(self.examples, [])
        return out


def structure_from_json(data: dict[str, Any]) -> Structure:
    """The inverse of Structure.to_json (tolerates missing keys)."""

    def item(d: dict[str, Any]) -> Item:
        date = Date(**d["date"]) if d.get("date") else None
        return Item(
            text=d.get("text", ""),
            link=d.get("link"),
            links=list(d.get("links", [])),
            date=date,
            children=[item(c) for c in d.get("children", [])],
            unfinished=bool(d.get("unfinished")),
        )

    s = Structure()
    for key in (
        "is_concept",
        "subject",
        "sentence",
        "genus",
        "aka",
        "context",
        "see",
        "references",
        "categories",
    ):
        if key in data:
            setattr(s, key, data[key])
    s.examples = [item(d) for d in data.get("examples", [])]
    s.counter_examples = [item(d) for d in data.get("counter_examples", [])]
    return s


def read(text: str) -> Structure:
    """The structure of a concept page; an empty Structure for anything else. Never raises."""
    try:
        return _read(text[:MAX_TEXT])
    except Exception:  # a reader of user text must not break a save
        log.exception("structure reader failed")
        return Structure()


_MULTILINE = ("{{", "<!--", "{|", "<ref", "<nowiki", "<pre", "<gallery", "<math", "<source", "<syntax")


def _clean(text: str) -> tuple[str, list[str]]:
    """The text without comments, templates and tables (multi-line constructs), and <ref> texts."""
    low = text.lower()
    if not any(marker in low for marker in _MULTILINE):
        return text, []  # nothing spans lines: the per-line reads see everything
    code = mwparserfromhell.parse(text)
    refs: list[str] = []
    for node in list(code.nodes):
        if isinstance(node, (Comment, Template)):
            _remove(code, node)
        elif isinstance(node, Tag):
            tag = str(node.tag).strip().lower()
            if tag == "ref" and node.contents is not None:
                refs.append(_plain(str(node.contents)))
                _remove(code, node)
            elif tag in ("table", "nowiki", "pre", "gallery", "math", "source", "syntaxhighlight"):
                _remove(code, node)
    return str(code), refs


def _remove(code: Any, node: Any) -> None:
    try:
        code.remove(node)
    except ValueError:
        pass


_MARKUP = re.compile(r"\[\[|\{\{|<|''|&|\[")


def _plain(text: str) -> str:
    if not _MARKUP.search(text):
        return re.sub(r"\s+", " ", text).strip()
    code = mwparserfromhell.parse(text)
    for node in list(code.nodes):
        if isinstance(node, (Comment, Template)):
            _remove(code, node)
    plain = code.strip_code(normalize=True, collapse=True)
    return re.sub(r"\s+", " ", plain).strip()


def _plain_and_links(text: str) -> tuple[str, list[str]]:
    """A line's plain text and link targets, from one parse."""
    if not _MARKUP.search(text):
        return re.sub(r"\s+", " ", text).strip(), []
    code = mwparserfromhell.parse(text)
    links = [t for t in (_target(link) for link in code.filter_wikilinks()) if t]
    for node in list(code.nodes):
        if isinstance(node, (Comment, Template)):
            _remove(code, node)
    plain = code.strip_code(normalize=True, collapse=True)
    return re.sub(r"\s+", " ", plain).strip(), links


def _target(link: Wikilink) -> str | None:
    target = str(link.title).strip().split("#", 1)[0].strip()
    if not target or target.lower().startswith(("category:", "file:", "image:")):
        return None
    return target.lstrip(":").replace("_", " ")


def _links(text: str) -> list[str]:
    out: list[str] = []
    if "[[" not in text:
        return out
    for link in mwparserfromhell.parse(text).filter_wikilinks():
        target = str(link.title).strip().split("#", 1)[0].strip()
        low = target.lower()
        if not target or low.startswith(("category:", "file:", "image:")):
            continue
        out.append(target.lstrip(":").replace("_", " "))
    return out


def _read(text: str) -> Structure:
    body, refs = _clean(text)
    categories = _categories(text)
    lines = body.split("\n")
    s = Structure(categories=categories)
    first = _first_paragraph(lines)
    if first is None:
        return s
    subject, sentence, genus = _definition(first)
    if subject is None:
        return s
    s.is_concept, s.subject, s.sentence, s.genus = True, subject, sentence, genus
    section = ""
    stacks: dict[str, list[Item]] = {}
    in_refs = False
    for line in lines:
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            in_refs = heading.group(2).strip().lower() in (
                "references",
                "reference",
                "sources",
                "bibliography",
            )
            section = ""
            continue
        if not stripped.startswith(("*", "#")):
            if stripped.startswith("----"):
                section = ""
            continue
        if in_refs:
            item = _plain(stripped.lstrip("*#:").strip())
            if item and len(s.references) < MAX_ITEMS:
                s.references.append(item)
            continue
        label = _LABEL.match(stripped)
        if label and len(label.group(1)) == 1:
            name = label.group(2).strip().lower()
            section = _SECTIONS.get(name, "")
            rest = label.group(3).strip()
            if section == "aka":
                s.aka.extend(_terms(rest))
            elif section == "see":
                s.see.extend(_links(rest))
            stacks = {}
            continue
        depth = len(stripped) - len(stripped.lstrip("*#"))
        content = stripped[depth:].strip()
        if depth < 2 or not section:
            continue
        if section == "aka":
            s.aka.extend(_terms(content))
        elif section == "see":
            s.see.extend(_links(content))
        elif section == "context":
            plain = _plain(content)
            if plain and not _ELLIPSIS.match(plain) and len(s.context) < MAX_ITEMS:
                s.context.append(plain)
        elif section in ("examples", "counter_examples"):
            _add_item(s.examples if section == "examples" else s.counter_examples, stacks, depth - 2, content)
    s.references.extend(r for r in refs if r)
    s.aka = _unique(a for a in s.aka if a and a.lower() != (subject or "").lower())
    s.see = _unique(s.see)
    return s


def _add_item(top: list[Item], stacks: dict[str, list[Item]], level: int, content: str) -> None:
    """Put an item at nesting `level` (0 = top) under the last item one level up."""
    path = stacks.setdefault("path", [])
    level = min(level, len(path), MAX_DEPTH)
    del path[level:]
    parent_list = path[-1].children if path else top
    added = stacks.setdefault("added", [])  # every item of this section, for the bound
    if len(added) >= MAX_ITEMS:
        return
    plain, links = _plain_and_links(content)
    if _ELLIPSIS.match(plain):
        if path:
            path[-1].unfinished = True
        return
    if not plain:
        return
    item = Item(text=plain, link=links[0] if links else None, links=links, date=parse_date(plain))
    parent_list.append(item)
    path.append(item)
    added.append(item)


def _first_paragraph(lines: list[str]) -> str | None:
    """The first line of running text (not a list, heading, table or magic word)."""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith(("*", "#", ":", ";", "=", "{", "|", "!", "----", "__")):
            continue
        if stripped.startswith("[[") and re.match(r"\[\[\s*(category|file|image)\s*:", stripped, re.I):
            continue
        return stripped
    return None


def _definition(line: str) -> tuple[str | None, str, str | None]:
    """(subject, sentence, genus) of "A [[X]] is a [[Y]] that ...", or (None, "", None)."""
    if line.upper().startswith("#REDIRECT"):
        return None, "", None
    code = mwparserfromhell.parse(line)
    subject: str | None = None
    genus: str | None = None
    seen_copula = False
    between = ""  # text from the copula to the next link
    for node in code.nodes:
        if isinstance(node, Wikilink):
            target = str(node.title).strip().replace("_", " ")
            if target.lower().startswith(("category:", "file:", "image:")):
                continue
            if not seen_copula and subject is None:
                subject = target.lstrip(":")
            elif seen_copula and genus is None:
                if _head_noun(between):  # the link names the class itself, not a later clause
                    genus = target.lstrip(":").split("#", 1)[0].strip() or None
                break
        elif isinstance(node, Tag) and not seen_copula and subject is None:
            tag = str(node.tag).lower()
            if tag == "b" and node.contents is not None:  # '''X''' is a ...
                subject = _plain(str(node.contents)) or None
        elif not seen_copula and _COPULA.search(str(node)):
            if subject is None:
                return None, "", None
            seen_copula = True
            between = str(node)[_COPULA.search(str(node)).end() :]  # type: ignore[union-attr]
        elif seen_copula:
            between += str(node)
    if subject is None or not seen_copula:
        return None, "", None
    return subject, _first_sentence(_plain(line)), genus


_CLAUSE = re.compile(
    r"[(),;:.]|\b(?:that|which|who|whose|where|when|such|by|for|from|with|in|on|to|as)\b", re.I
)


def _head_noun(between: str) -> bool:
    """The words between "is a" and a link only qualify it ("an encoder-decoder [[X]]")."""
    plain = _plain(between)
    return len(plain.split()) <= 5 and not _CLAUSE.search(plain)


def _first_sentence(plain: str) -> str:
    """Up to the first full stop that ends a sentence (not inside parentheses, not "e.g.")."""
    depth = 0
    for i, ch in enumerate(plain):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "." and depth == 0:
            after = plain[i + 1 : i + 3]
            before = plain[max(0, i - 4) : i].lower()
            if (after == "" or (after[:1] == " " and after[1:2].isupper())) and not before.endswith(
                ("e.g", "i.e", "c", "vs")
            ):
                return plain[: i + 1]
    return plain


def _terms(text: str) -> list[str]:
    """AKA terms: split at commas outside parentheses; links give their text."""
    plain = _plain(text).rstrip(".").strip()
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in plain:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;" and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [t.rstrip(".").strip() for t in out if t.strip() and len(t) <= 200]


def _categories(text: str) -> list[str]:
    out = []
    for m in re.finditer(r"\[\[\s*category\s*:\s*([^\]|#]+)", text, re.I):
        name = m.group(1).strip().replace("_", " ")
        if name:
            out.append(name[:1].upper() + name[1:])
    return _unique(out)


def _unique(values: Any) -> list[str]:
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def parse_date(text: str) -> Date | None:
    """The first date in an item's text: "~2017 AD", "2017", "c. 2017", "2014-2016", "October 2018".

    A date inside parentheses wins over one in the running text. Years outside 1000-2999 and
    ranges that run backwards are not dates.
    """
    candidates = [m for m in _DATE.finditer(text)]
    if not candidates:
        return None
    inside = [m for m in candidates if _in_parens(text, m.start())]
    for m in inside + candidates:
        year = int(m.group("year"))
        if not 1000 <= year <= 2999 or (m.group("era") or "").upper() in ("BC", "BCE"):
            continue
        end = int(m.group("end")) if m.group("end") else None
        shown = m.group(0).strip()
        if end is not None and not year < end <= 2999:
            end, shown = None, text[m.start() : m.end("year")].strip()
        month = _MONTHS[m.group("month").lower()] if m.group("month") else None
        approx = bool(m.group("approx"))
        return Date(year=year, month=month, end=end, approx=approx, text=shown)
    return None


def _in_parens(text: str, pos: int) -> bool:
    return text.rfind("(", 0, pos) > text.rfind(")", 0, pos)
