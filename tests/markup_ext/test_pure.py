"""The pure parts of the extension tags: Cite through the renderer, the hook-order resolution
of tag markers, the filter of hook output, <poem>, and the tag hooks themselves."""

from __future__ import annotations

import re

from tests.conformance.adapter import context
from wiki.markup import render
from wiki.markup.exttags import parse_source, resolve_markers, safe_html
from wiki.taghooks.math import render_math
from wiki.taghooks.syntaxhighlight import MAX_BYTES, highlight, highlight_lines


def html(text: str, articles: dict[str, str] | None = None, hooks: bool = False) -> str:
    ctx = context(articles=articles)
    if hooks:
        from wiki.taghooks import HOOKS

        ctx.site = type(ctx.site)(**{**ctx.site.__dict__, "tag_hooks": dict(HOOKS)})
    return render(text, ctx).html


def test_many_uses_get_padded_numeric_backlinks():
    out = html("".join('<ref name="n">t</ref>' for _ in range(11)))
    assert '<a href="#cite_ref-n_1-0">1.00</a>' in out and '<a href="#cite_ref-n_1-10">1.10</a>' in out


def test_custom_backlink_format_from_the_wiki_gives_letters():
    fmt = {"MediaWiki:Cite references link many format": "<sup>[[#$1|$3]]</sup>"}
    out = html('a<ref name="n">t</ref>b<ref name="n"/>', fmt)
    assert '<a href="#cite_ref-n_1-0">a</a>' in out and '<a href="#cite_ref-n_1-1">b</a>' in out


def test_responsive_zero_drops_the_wrapper_and_many_refs_get_columns():
    assert '<ol class="references">' in html("a<ref>x</ref><references responsive=0/>")
    assert "mw-references-wrap" not in html("a<ref>x</ref><references responsive=0/>")
    many = html("".join(f"<ref>{i}</ref>" for i in range(11)) + "<references/>")
    assert 'class="mw-references-wrap mw-references-columns"' in many


def test_unclosed_ref_is_cites_error():
    assert "Closing <code>&lt;/ref&gt;</code> missing" in html("a<ref>b<ref>c</ref>")


def test_ref_with_a_stray_quote_in_its_name_is_an_unnamed_ref():
    # `name=""x" y"` is name="" plus two invalid attribute names, which are dropped (no error).
    out = html('a<ref name=""ms" glossary">t</ref>')
    assert "Cite error" not in out and '<li id="cite_note-1">' in out


def test_refs_made_by_tag_are_called_before_their_container():
    out = html("{{#tag:ref|outer<ref>inner</ref>|group=g}}<references group=g/><references/>")
    assert '<span class="reference-text">outer<sup id="cite_ref-1"' in out


def test_resolve_markers_calls_oldest_first_and_keeps_comments():
    items = {
        "\x7f'\"`UNIQ--ref-00000000-QINU`\"'\x7f": "<ref>in</ref>",
        "\x7f'\"`UNIQ--comment-00000001-QINU`\"'\x7f": "<!-- c -->",
        "\x7f'\"`UNIQ--ref-00000002-QINU`\"'\x7f": "<ref>x\x7f'\"`UNIQ--ref-00000000-QINU`\"'\x7f</ref>",
    }
    calls: list[str] = []
    comments: dict[str, str] = {}

    def call(source: str) -> str:
        calls.append(source)
        return f"[{len(calls)}]"

    text = "a" + "".join(items) + "b"
    out = resolve_markers(text, items, call, comments.__setitem__)
    assert calls == ["<ref>in</ref>", "<ref>x[1]</ref>"]
    assert out == "a[1]\x7f'\"`UNIQ--comment-00000001-QINU`\"'\x7f[2]b"
    assert list(comments.values()) == ["<!-- c -->"]


def test_parse_source():
    assert parse_source('<ref name="a" />') == ("ref", ' name="a" ', None)
    assert parse_source("<Ref group=g>x</ref >") == ("ref", " group=g", "x")


def test_safe_html_keeps_mathml_and_classes_and_drops_the_rest():
    dirty = (
        '<span class="a" onclick="x()"><script>alert(1)</script><math display="block"><mi>x</mi></math>'
        '<a href="javascript:alert(1)">l</a><a href="#ok">k</a><img src=x onerror=alert(1)><iframe></iframe>'
    )
    clean = safe_html(dirty)
    assert not re.search(r"<script|onclick|onerror|javascript|<img|<iframe", clean)
    assert '<math display="block"><mi>x</mi></math>' in clean and '<a href="#ok">k</a>' in clean
    assert clean.endswith("</span>")


def test_poem_compact_and_hr():
    out = html("<poem compact>a\n----\nb</poem>")
    assert out.startswith('<div class="mw-parser-output"><div class="poem">a<br />')  # no newline
    assert "<hr />" in out and "<hr /><br" not in out


def test_tag_hooks_run_through_the_renderer_only_when_given():
    assert "&lt;math&gt;" in html("<math>x</math>")
    assert "<mi>x</mi>" in html("<math>x</math>", hooks=True)


def test_highlight_lines_and_bounds():
    assert highlight_lines("1, 3-5, 9-2, x") == [1, 3, 4, 5]
    assert len(highlight_lines("1-999,1-999,1-999")) == 1000
    big, tracking = highlight("a" * (MAX_BYTES + 1), {"lang": "python"})
    assert big.startswith('<div class="mw-highlight mw-content-ltr" dir="ltr"><pre>aaa')
    assert tracking == ["Pages with syntax highlighting errors"]
    assert highlight("x", {"lang": "python"})[1] == []


def test_math_unknown_function_and_balance():
    assert 'unknown function "\\foo"' in render_math(r"\foo x", {})[0]
    assert render_math("x}", {}) == (
        '<strong class="error texerror">Failed to parse (syntax error): x}</strong>',
        ["Pages with math errors"],
    )
    assert "empty input" in render_math("  ", {})[0]
    assert render_math("x", {"display": "block"})[0].startswith('<div class="mwe-math-element">')


def test_links_in_math_are_refused_and_filtered():
    assert 'unknown function "\\href"' in render_math(r"\href{javascript:alert(1)}{x}", {})[0]
    raw = '<math><mrow href="javascript:alert(1)"><mi>x</mi></mrow></math>'
    assert safe_html(raw) == "<math><mrow><mi>x</mi></mrow></math>"


def test_hook_styles_are_checked():
    assert safe_html('<div style="color: red">x</div>') == '<div style="color: red">x</div>'
    assert "expression" not in safe_html('<div style="width: expression(alert(1))">x</div>')
    assert "url" not in safe_html('<div style="background: url(http://evil.invalid/x)">x</div>')
    assert 'style="margin: 1em"' in highlight("x", {"lang": "python", "style": "margin: 1em"})[0]
