"""Random wikitext never breaks render() and never yields script, handlers or javascript: URLs."""

from __future__ import annotations

import re
import time
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conformance.adapter import context
from wiki.markup import render

CASES_FILE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "parserTests-public.txt"
PIECES = [
    "''", "'''", "[[", "]]", "[[Foo|", "{{", "}}", "{|", "|}", "|-", "||", "!!", "\n", "\n*", "\n#",
    "\n:", "\n;", "\n ", "==", "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<ref>", "</ref>",
    "<references/>", "<script>", "</script>", "<b>", "</b>", "<div", ">", "</div>", '"', "'",
    "onmouseover=", "onclick=alert(1)", "javascript:", "java&#115;cript:", "style=",
    "expression(", "url(", "http://x.org/", "[http://", "ISBN 123456789X", "&#x6A;", "&amp",
    "<span ", "<a href=", "<img src=x onerror=alert(1)>", "__TOC__", "<!--", "-->", "----",
    "<blockquote>", "<table>", "<td>", "\x7f", "UNIQ", "<p>", "</p>", "<li>", "{{{1}}}",
]  # fmt: skip


class _Audit(HTMLParser):
    """Collects what a browser would execute: script elements, handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.bad.append(tag)
        for name, value in attrs:
            compact = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                self.bad.append(name)
            # A script URL is one whose scheme is javascript: ("http://javascript:" is not).
            if name in ("href", "src", "action") and compact.startswith("javascript:"):
                self.bad.append(f"{name}={value}")
            if name == "style" and "javascript:" in compact:
                self.bad.append(f"{name}={value}")


def _audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.bad


@cache
def _fragments() -> list[str]:
    if not CASES_FILE.exists():
        return ["''x''"]
    text = CASES_FILE.read_text(encoding="utf-8")
    return re.findall(r"!! wikitext\n(.*?)\n!! ", text, re.S)[:400] or ["x"]


def _check(text: str) -> None:
    out = render(text, context()).html
    assert not _audit(out), out


wikitext = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map("".join)


# 150 random texts: `make stress`; make test keeps the fragments of conformance cases below.
@pytest.mark.stress
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitext)
def test_random_wikitext_renders_safely(text):
    _check(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fragments_of_conformance_cases_render_safely(data):
    source = data.draw(st.sampled_from(_fragments()))
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, len(source)))
    extra = data.draw(st.sampled_from(PIECES))
    _check(source[start:end] + extra + source[:start])


@pytest.mark.parametrize(
    "text",
    [
        "[[" * 500_000,
        "*" * 10_000 + " x",
        "''a" * 5_000,
        "'''" * 5_000,
        "{|\n" * 3_000,
        "<div>" * 5_000 + "</span>" * 5_000,
        "http://x.org/ " * 20_000,
        "<b>" * 10_000,
        "a : " * 20_000,
        "<b>" + "<div>x" * 2_000 + "</b>" * 2_000,
        "==a==\n" * 5_000,
        "".join(f'<font color="{i}">x' for i in range(3_000)) + "\n\ny" * 3_000,
    ],
    ids=[
        "brackets",
        "nested-stars",
        "quotes",
        "bold-runs",
        "tables",
        "divs",
        "urls",
        "bolds",
        "french-spaces",
        "misnested-bold",
        "same-headings",
        "distinct-fonts",
    ],
)
def test_pathological_input_renders_in_under_two_seconds(text):
    start = time.process_time()
    render(text, context())
    assert time.process_time() - start < 2
