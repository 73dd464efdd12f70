"""Tables, sanitizer, headings/TOC, footnotes and redirects: wikitext -> expected HTML."""

from __future__ import annotations

import pytest

from tests.unit.markup_cases import html, rendered

EDIT = (
    '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
    '<a href="/index.php?title=Parser_test&amp;action=edit&amp;section={0}" '
    'title="Edit section: {1}">edit</a><span class="mw-editsection-bracket">]</span></span>'
)

CASES = [
    (
        "simple_table",
        "{|\n| a || b\n|-\n! c\n|}",
        "<table>\n<tr>\n<td>a</td>\n<td>b\n</td></tr>\n<tr>\n<th>c\n</th></tr></table>",
    ),
    (
        "table_attributes_and_caption",
        '{| class="wikitable"\n|+ Cap\n| style="color:red" | x\n|}',
        '<table class="wikitable">\n<caption>Cap\n</caption>\n<tr>\n'
        '<td style="color:red">x\n</td></tr></table>',
    ),
    ("unknown_tag_is_text", "<foo>x</foo>", "<p>&lt;foo&gt;x&lt;/foo&gt;\n</p>"),
    ("script_is_text", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;\n</p>"),
    ("event_handler_dropped", '<span onclick="x()">a</span>', "<p><span>a</span>\n</p>"),
    (
        "style_with_url_dropped",
        '<span style="background:url(javascript:x)">a</span>',
        '<p><span style="/* insecure input */">a</span>\n</p>',
    ),
    ("allowed_tag_kept", "<b>x</b>", "<p><b>x</b>\n</p>"),
    (
        "heading_with_edit_link",
        "== Café ==",
        '<h2><span class="mw-headline" id="Caf.C3.A9">Café</span>' + EDIT.format(1, "Café") + "</h2>",
    ),
    ("noeditsection", "__NOEDITSECTION__\n== A ==", '<h2><span class="mw-headline" id="A">A</span></h2>'),
]


@pytest.mark.parametrize(("name", "wikitext", "expected"), CASES, ids=[c[0] for c in CASES])
def test_structure(name, wikitext, expected):
    assert html(wikitext) == expected


def test_duplicate_heading_anchors_get_suffixes():
    out = rendered("== a ==\n== a ==\n== a ==")
    assert [h.anchor for h in out.headings] == ["a", "a_2", "a_3"]


def test_toc_appears_at_four_headings():
    assert 'id="toc"' in html("== a ==\n== b ==\n== c ==\n== d ==")
    assert 'id="toc"' not in html("== a ==\n== b ==\n== c ==")


def test_notoc_and_forcetoc():
    assert 'id="toc"' not in html("__NOTOC__\n== a ==\n== b ==\n== c ==\n== d ==")
    assert 'id="toc"' in html("__FORCETOC__\n== a ==")


def test_toc_where_the_magic_word_stands():
    out = html("intro\n== a ==\n__TOC__\n== b ==")
    assert out.index('id="toc"') > out.index('id="a"')


def test_footnotes_in_cite_shape():
    out = html("a<ref>note</ref> b<ref name=n>named</ref><ref name=n/>\n<references/>")
    assert '<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">&#91;1&#93;</a></sup>' in out
    assert '<sup id="cite_ref-n_2-0" class="reference">' in out
    assert '<sup id="cite_ref-n_2-1" class="reference">' in out
    assert '<ol class="references">' in out
    assert '<span class="reference-text">note</span>' in out


def test_categories_are_collected():
    out = rendered("x [[Category:Concept]] [[Category:Other|Key]]")
    assert out.categories == [("Concept", ""), ("Other", "Key")]


@pytest.mark.parametrize(
    "wikitext",
    ["#REDIRECT [[Target page]]", "#redirect: [[Target page]]", "  #Redirect[[Target page]]"],
)
def test_redirect_target(wikitext):
    out = rendered(wikitext)
    assert out.redirect is not None and out.redirect.prefixed_text == "Target page"


def test_redirect_keeps_fragment():
    assert rendered("#REDIRECT [[Target#Part]]").redirect.fragment == "Part"


def test_links_are_reported_in_order():
    out = rendered("[[B]] [[A]] [[B]] [[wikipedia:X]]")
    assert out.links == ["B", "A"]


def test_existence_is_asked_once():
    calls = []
    from tests.conformance.adapter import context
    from wiki.markup import render

    ctx = context()
    ctx.existing_titles = lambda names: calls.append(list(names)) or set()
    render("[[A]] [[B]]\n* [[C]]", ctx)
    assert calls == [["A", "B", "C"]]
