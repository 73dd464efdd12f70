"""Benchmark input: the 111 real Wikipedia articles and a deterministic N-page wiki built from them.

../shared/tools/corpus/ makes both (get_corpus.sh, gen_corpus.py). Its pages are paragraphs and
headings; this module adds what the wiki's own pages have: links among pages (some red), nested
lists, a table, template calls and a category, the same way for the same N. Everything generated
lives in bench/data/ (ignored by git).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
TOOLS = ROOT.parent / "shared" / "tools" / "corpus"
TEMPLATES = {
    "Template:Infobox": '{| class="infobox"\n|-\n! {{{title|Untitled}}}\n|-\n| {{{body}}}\n|}',
    "Template:Cite": "''{{{1}}}'' ({{{year|n.d.}}})",
}


def available() -> bool:
    return (TOOLS / "gen_corpus.py").exists() or (DATA / "enwiki_sample.jsonl").exists()


def real_articles() -> Path:
    """bench/data/enwiki_sample.jsonl: {"title", "text"} of 111 real articles."""
    out = DATA / "enwiki_sample.jsonl"
    if not out.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(["bash", str(TOOLS / "get_corpus.sh"), str(DATA)], check=True, capture_output=True)
    return out


def generated(n: int) -> Path:
    """bench/data/pages_N.jsonl (plus queries.txt): the deterministic N-page wiki."""
    out = DATA / f"pages_{n}.jsonl"
    queries = DATA / "queries.txt"
    if not out.exists() or not queries.exists():
        cmd = [sys.executable, str(TOOLS / "gen_corpus.py"), str(n), "--src", str(real_articles())]
        cmd += ["--out", str(out), "--queries", str(queries)]
        subprocess.run(cmd, check=True, capture_output=True)
    return out


def queries() -> list[str]:
    return [q for q in (DATA / "queries.txt").read_text().splitlines() if q.strip()]


def enrich(i: int, title: str, text: str, all_titles: list[str]) -> str:
    """Add links to other pages (and one red link), nested lists, a table and templates."""
    n = len(all_titles)
    others = [all_titles[(i * 7919 + k * 104729) % n] for k in range(1, 5)]
    see_also = "\n".join(
        [
            "== See also ==",
            f"* [[{others[0]}]]",
            f"** [[{others[1]}|{others[1].lower()}]] and [[{others[2]}]]",
            f"*** {{{{Cite|{title}|year={1990 + i % 30}}}}}",
            f"* [[Missing topic {i % 997}]]",
            f"# [[{others[3]}]]",
            "## second level",
        ]
    )
    table = "\n".join(
        [
            '{| class="wikitable"',
            "! Item !! Value",
            "|-",
            f"| '''{title}''' || {i}",
            "|-",
            f"| [[{others[0]}]] || {len(text)}",
            "|}",
        ]
    )
    box = f"{{{{Infobox|title={title}|body=Page {i} of the benchmark wiki}}}}"
    return f"{box}\n{text.rstrip()}\n\n{table}\n\n{see_also}\n"


def wiki_pages(n: int) -> Iterator[tuple[str, str]]:
    """(title, wikitext) of the templates and the N enriched pages, in a fixed order."""
    path = generated(n)
    with path.open(encoding="utf-8") as fh:
        titles = [json.loads(line)["title"] for line in fh]
    yield from TEMPLATES.items()
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            rec = json.loads(line)
            yield rec["title"], enrich(i, rec["title"], rec["text"], titles)


def dump(n: int) -> Path:
    """A MediaWiki XML export (schema 0.11) of wiki_pages(n), written once."""
    out = DATA / f"dump_{n}.xml"
    if out.exists():
        return out
    tmp = out.with_suffix(".part")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(
            '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">\n'
            "<siteinfo><sitename>Bench</sitename><dbname>bench</dbname>"
            "<base>http://127.0.0.1/wiki/Main_Page</base><generator>bench</generator>"
            '<case>first-letter</case><namespaces><namespace key="0" case="first-letter" />'
            '<namespace key="10" case="first-letter">Template</namespace>'
            '<namespace key="14" case="first-letter">Category</namespace></namespaces></siteinfo>\n'
        )
        for pid, (title, text) in enumerate(wiki_pages(n), start=1):
            ns = 10 if title.startswith("Template:") else 0
            fh.write(
                f"<page><title>{escape(title)}</title><ns>{ns}</ns><id>{pid}</id>"
                f"<revision><id>{pid}</id><timestamp>2024-01-01T00:00:00Z</timestamp>"
                "<contributor><username>Bench</username><id>1</id></contributor>"
                "<model>wikitext</model><format>text/x-wiki</format>"
                f'<text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>'
                "<sha1 /></revision></page>\n"
            )
        fh.write("</mediawiki>\n")
    tmp.rename(out)
    return out
