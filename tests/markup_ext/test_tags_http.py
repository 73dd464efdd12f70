"""Extension tags through HTTP: a page saved with <ref>, <syntaxhighlight>, <math> and <poem>
renders them as MediaWiki's extensions do, and hostile input never yields script."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient


@pytest.fixture(scope="module")
def wiki(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("markupext")
    app = make_app(fresh_database_url(database_template, work), work)
    yield WikiClient(app.test_client())
    close_app(app)


def _saved(wiki: WikiClient, title: str, text: str) -> str:
    assert wiki.edit(title, text).status_code == 303
    resp = wiki.view(title)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "object", "embed"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in (value or "").lower():
                self.bad.append(f"{tag} {name}={value}")


def _no_script(html: str) -> None:
    body = html.split('class="mw-parser-output"', 1)[1].split("printfooter", 1)[0]
    parser = _Elements()
    parser.feed("<div " + body)
    assert not parser.bad, body


def test_footnotes_with_reuse_groups_and_templates(wiki):
    assert wiki.edit("Template:Cite note", "''{{{1}}}''").status_code == 303
    html = _saved(
        wiki,
        "Cite page",
        'A<ref name="a">{{Cite note|first}}</ref> B<ref name="a"/> C<ref group="note">n</ref>\n'
        '<references/>\n<references group="note"/>',
    )
    assert '<sup id="cite_ref-a_1-0" class="reference"><a href="#cite_note-a-1">&#91;1&#93;</a></sup>' in html
    assert '<a href="#cite_ref-a_1-1">1.1</a>' in html
    assert '<span class="reference-text"><i>first</i>' in html  # the template expands in the list
    assert "&#91;note 1&#93;" in html


def test_cite_errors_and_tracking_category(wiki):
    html = _saved(wiki, "Cite errors", 'x<ref></ref> y<ref name="1">z</ref>')
    assert "Cite error: Invalid <code>&lt;ref&gt;</code> tag; refs with no name must have content" in html
    assert "name cannot be a simple integer" in html
    assert "Pages_with_reference_errors" in html or "Pages with reference errors" in html


def test_missing_references_lists_them_at_the_end(wiki):
    html = _saved(wiki, "Cite leftover", 'a<ref>one</ref> b<ref group="g">two</ref>')
    assert '<span class="reference-text">one</span>' in html
    assert 'no corresponding <code>&lt;references group="g"/&gt;</code> tag was found' in html


def test_syntaxhighlight_block_inline_and_unknown_language(wiki):
    html = _saved(
        wiki,
        "Code page",
        '<syntaxhighlight lang="python" line start="5" highlight="2">x = 1\ny = 2\n</syntaxhighlight>\n'
        'Inline <syntaxhighlight lang="c" inline>int n;</syntaxhighlight> and\n'
        '<source lang="no-such-language">a < b</source>',
    )
    assert 'class="mw-highlight mw-highlight-lang-python mw-content-ltr mw-highlight-lines" dir="ltr"' in html
    assert '<span class="linenos" data-line="5"></span>' in html
    assert '<span class="hll">' in html
    assert '<code class="mw-highlight mw-highlight-lang-c mw-content-ltr" dir="ltr">' in html
    assert '<div class="mw-highlight mw-content-ltr" dir="ltr"><pre>a &lt; b</pre></div>' in html
    assert "Pages_with_syntax_highlighting_errors" in html  # the tracking category of the unknown one


def test_math_mathml_and_error_box(wiki):
    html = _saved(wiki, "Math page", r"<math>x^2</math> and <math>\frac{</math>")
    assert '<span class="mwe-math-element">' in html and "<msup><mi>x</mi><mn>2</mn></msup>" in html
    assert r'<strong class="error texerror">Failed to parse (syntax error): \frac{</strong>' in html
    assert "Pages_with_math_errors" in html


def test_poem_keeps_lines(wiki):
    html = _saved(wiki, "Poem page", "<poem>\nRoses '''red'''\n  violets\n</poem>")
    assert '<div class="poem">' in html
    assert "Roses <b>red</b><br />" in html and "&#160;&#160;violets" in html


@pytest.mark.parametrize(
    "text",
    [
        '<syntaxhighlight lang="<script>alert(1)</script>">x</syntaxhighlight>',
        "<syntaxhighlight lang=python></syntaxhighlight><script>alert(1)</script></syntaxhighlight>",
        '<syntaxhighlight lang="python" class="x&quot; onmouseover=&quot;alert(1)">y</syntaxhighlight>',
        r"<math>\text{<script>alert(1)</script><img src=x onerror=alert(1)>}</math>",
        "<poem><img src=x onerror=alert(1)><script>alert(1)</script></poem>",
        '<ref name="<script>alert(1)</script>">x</ref><ref name="<script>alert(1)</script>">y</ref>',
        '<ref group="\'><script>alert(1)</script>">x</ref>',
    ],
)
def test_hostile_tags_never_make_script(wiki, text):
    _no_script(_saved(wiki, "Hostile tags", text))


def test_huge_code_is_bounded(wiki):
    code = "x = 1\n" * 40_000  # 240 KB, over SyntaxHighlight's 100 KiB: shown unhighlighted
    html = _saved(wiki, "Huge code", f'<syntaxhighlight lang="python">{code}</syntaxhighlight>')
    assert '<div class="mw-highlight mw-content-ltr" dir="ltr"><pre>x = 1' in html
