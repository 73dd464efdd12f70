"""Block structure: paragraphs, lists (as MediaWiki's block-level pass), pre, hr."""

from __future__ import annotations

import pytest

from tests.unit.markup_cases import html

CASES = [
    ("simple_paragraph", "Hello", "<p>Hello\n</p>"),
    ("two_paragraphs", "a\n\nb", "<p>a\n</p><p>b\n</p>"),
    ("extra_blank_line_gives_br", "a\n\n\nb", "<p>a\n</p><p><br />\nb\n</p>"),
    ("bullet_list", "* a\n* b", "<ul><li>a</li>\n<li>b</li></ul>"),
    ("nested_bullets", "* a\n** b\n* c", "<ul><li>a\n<ul><li>b</li></ul></li>\n<li>c</li></ul>"),
    (
        "four_levels",
        "* a\n** b\n*** c\n**** d",
        "<ul><li>a\n<ul><li>b\n<ul><li>c\n<ul><li>d</li></ul></li></ul></li></ul></li></ul>",
    ),
    ("ordered_list", "# a\n# b", "<ol><li>a</li>\n<li>b</li></ol>"),
    ("mixed_list", "* a\n*# b", "<ul><li>a\n<ol><li>b</li></ol></li></ul>"),
    ("definition_term_and_def", "; t : d", "<dl><dt>t</dt>\n<dd>d</dd></dl>"),
    ("definition_continuation", "; t\n: d", "<dl><dt>t</dt>\n<dd>d</dd></dl>"),
    ("indent", ": a", "<dl><dd>a</dd></dl>"),
    ("continuation_in_bullet", "* a\n*: b", "<ul><li>a\n<dl><dd>b</dd></dl></li></ul>"),
    ("pre_by_space", " code", "<pre>code\n</pre>"),
    ("horizontal_rule", "----", "<hr />"),
    ("list_after_paragraph", "p\n* a", "<p>p\n</p>\n<ul><li>a</li></ul>"),
]


@pytest.mark.parametrize(("name", "wikitext", "expected"), CASES, ids=[c[0] for c in CASES])
def test_block_structure(name, wikitext, expected):
    assert html(wikitext) == expected


def test_ten_thousand_nested_bullets_render_quickly():
    import time

    start = time.process_time()
    out = html("*" * 10_000 + " deep\n* shallow")
    assert out.count("<ul>") == 10_000
    assert time.process_time() - start < 2
