"""The tidy pass against RemexHtml's output (checked with MediaWiki 1.39's own tidy)."""

from __future__ import annotations

import time

import pytest

from wiki.markup.html.tidy import tidy

CASES = [
    # formatting element open across list items: closed and reopened as the adoption agency does
    (
        "<p><b>x\n</p>\n<ul><li>a</li>\n<li>b</b></li></ul>\n",
        "<p><b>x\n</b></p><b></b><ul><b><li>a</li>\n</b><li><b>b</b></li></ul>\n",
    ),
    # the furthest block is a blockquote: the new formatting element goes into its p-wrapper
    ("<b><blockquote></b>x", "<b></b><blockquote><p><b></b>x</p></blockquote>"),
    # an implicitly closed formatting element is reconstructed in the next paragraph
    ("<p><i>a\n</p><p>b</i></p>", "<p><i>a\n</i></p><p><i>b</i></p>"),
    # a block inside an unwrapped formatting element stays inside it
    ("<small><ul><li>x</li></ul></small>", "<small><ul><li>x</li></ul></small>"),
    # inline content around a block is p-wrapped
    ("a<div>b</div>c", "<p>a</p><div>b</div><p>c</p>"),
    # table parts outside a table are dropped, as HTML5 ignores them
    ("<td>x</td>", "<p>x</p>"),
]


@pytest.mark.parametrize(("html", "expected"), CASES)
def test_tidy_matches_remexhtml(html, expected):
    assert tidy(html) == expected


def test_misnested_formatting_across_deep_blocks_stays_fast():
    start = time.process_time()
    tidy("<b>" + "<div>x" * 2000 + "</b>" * 2000)
    assert time.process_time() - start < 2
