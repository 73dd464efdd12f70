"""The pre-save transform through HTTP: subst:, signatures, the pipe trick, on every save path."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import ApiClient, make_user
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

DATE = r"\d\d:\d\d, \d{1,2} [A-Z][a-z]+ \d{4} \(UTC\)"
IP_SIG = r"\[\[Special:Contributions/127\.0\.0\.1\|127\.0\.0\.1\]\]"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("pst")
    app = make_app(fresh_database_url(database_template, work), work)
    api = ApiClient(app.test_client())
    api.edit(
        "Template:Pst greet",
        "Hello {{{1}}}, {{{who|nobody}}} {{{unset}}}{{Kept|{{{1}}}}}<!-- c -->"
        "{{subst:Pst inner|z}}<noinclude>DOC</noinclude><includeonly>INC</includeonly>",
    )
    api.edit("Template:Pst inner", "inner[{{{1|}}}]")
    api.edit("Template:Pst redirect", "#REDIRECT [[Template:Pst inner]]")
    make_user(app, "Signer", "quill-ink-parchment-7")
    yield app
    close_app(app)


def onlypst(api: ApiClient, text: str, title: str = "Sandbox") -> str:
    return api.post(action="parse", onlypst="1", text=text, title=title)["parse"]["text"]["*"]


def stored(api: ApiClient, title: str) -> str:
    got = api.get(
        action="query", titles=title, prop="revisions", rvprop="content", rvslots="main", formatversion="2"
    )
    return got["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


def test_signatures_of_an_address_and_where_they_are_left_alone(app):
    api = ApiClient(app.test_client())
    out = onlypst(
        api, "a ~~~ b ~~~~ c ~~~~~ d ~~~~~~ <nowiki>~~~~</nowiki> <!-- ~~~~ --> <pre>~~~~</pre> {{t|~~~}}"
    )
    assert re.fullmatch(
        rf"a {IP_SIG} b {IP_SIG} {DATE} c {DATE} d {DATE}~ <nowiki>~~~~</nowiki> <!-- ~~~~ --> "
        rf"<pre>~~~~</pre> {{{{t\|{IP_SIG}}}}}",
        out,
    ), out


def test_signature_of_an_account(app):
    api = ApiClient(app.test_client())
    assert api.login("Signer", "quill-ink-parchment-7")["result"] == "Success"
    out = onlypst(api, "~~~~")
    assert re.fullmatch(rf"\[\[User:Signer\|Signer\]\] \(\[\[User talk:Signer\|talk\]\]\) {DATE}", out), out


def test_pipe_trick_as_mediawiki_writes_it(app):
    api = ApiClient(app.test_client())
    out = onlypst(
        api,
        "[[Foo (bar)|]] [[Help:Foo|]] [[w:Foo|]] [[w:en:Foo|]] [[:Category:Foo (x)|]] "
        "[[Foo, Bar|]] [[A, B (C)|]] [[Foo#bar|]] [[Help:Foo (x), y|]] [[|Baz]]  \nend\n\n  ",
        title="Help:Zed (q)",
    )
    assert out == (
        "[[Foo (bar)|Foo]] [[Help:Foo|Foo]] [[w:Foo|Foo]] [[w:en:Foo|en:Foo]] "
        "[[:Category:Foo (x)|Foo]] [[Foo, Bar|Foo]] [[A, B (C)|A, B]] [[Foo#bar|]] "
        "[[Help:Foo (x), y|Foo]] [[Baz (q)|Baz]]  \nend"
    )


def test_subst_with_arguments_recursion_redirects_and_functions(app):
    api = ApiClient(app.test_client())
    out = onlypst(
        api,
        "{{subst:Pst greet|val|who= me }}|{{subst:pst greet}}|{{ safesubst: Pst redirect |q}}|"
        "{{subst:Pst inner|{{subst:lc:UP}}|{{keep}}}}|{{subst:Missing pst}}|"
        "<nowiki>{{subst:Pst inner}}</nowiki>|{{subst:#if:x|{{foo}}|no}}|{{subst:PAGENAME}}",
    )
    assert out == (
        "Hello val, me {{{unset}}}{{Kept|val}}<!-- c -->inner[z]INC|"
        "Hello {{{1}}}, nobody {{{unset}}}{{Kept|{{{1}}}}}<!-- c -->inner[z]INC|inner[q]|inner[up]|"
        "{{subst:Missing pst}}|<nowiki>{{subst:Pst inner}}</nowiki>|{{foo}}|Sandbox"
    )


def test_includeonly_text_of_the_page_is_not_substituted(app):
    api = ApiClient(app.test_client())
    out = onlypst(
        api,
        "<includeonly>{{subst:Pst inner|i}} ~~~</includeonly><noinclude>{{subst:Pst inner|n}}</noinclude>",
    )
    assert re.fullmatch(
        rf"<includeonly>{{{{subst:Pst inner\|i}}}} {IP_SIG}</includeonly><noinclude>inner\[n\]</noinclude>",
        out,
    ), out


def test_subst_of_a_template_that_includes_itself_stops(app):
    api = ApiClient(app.test_client())
    api.edit("Template:Pst loop", "x{{subst:Pst loop}}")
    out = onlypst(api, "{{subst:Pst loop}}")
    assert out.startswith("xxxx") and out.endswith("{{subst:Pst loop}}")


def test_parse_pst_renders_the_transformed_text(app):
    api = ApiClient(app.test_client())
    got = api.post(action="parse", pst="1", text="[[Foo (bar)|]]", title="Sandbox", prop="wikitext|text")[
        "parse"
    ]
    assert got["wikitext"]["*"] == "[[Foo (bar)|]]" and got["psttext"]["*"] == "[[Foo (bar)|Foo]]"
    assert ">Foo</a>" in got["text"]["*"]
    plain = api.post(action="parse", text="[[Foo (bar)|]]", title="Sandbox", prop="wikitext")["parse"]
    assert "psttext" not in plain
    only = api.post(action="parse", onlypst="1", text="~~~", prop="wikitext")["parse"]
    assert set(only) == {"text", "wikitext"} and only["wikitext"]["*"] == "~~~"


def test_api_edit_and_browser_edit_store_the_transform(app):
    api = ApiClient(app.test_client())
    api.edit("Pst api page", "Sig ~~~ [[Foo (bar)|]] {{subst:Pst inner|a}}   \n\n")
    assert re.fullmatch(rf"Sig {IP_SIG} \[\[Foo \(bar\)\|Foo\]\] inner\[a\]", stored(api, "Pst api page"))
    wiki = WikiClient(app.test_client())
    assert wiki.edit("Pst browser page", "by ~~~~ {{subst:Pst inner|b}}").status_code == 303
    assert re.fullmatch(rf"by {IP_SIG} {DATE} inner\[b\]", stored(api, "Pst browser page"))


def test_preview_shows_the_transformed_text_and_saves_nothing(app):
    wiki = WikiClient(app.test_client())
    fields = wiki.edit_form("Pst preview page")
    fields["wpTextbox1"] = "[[Foo (bar)|]] {{subst:Pst inner|c}}"
    html = wiki.submit("Pst preview page", fields, "wpPreview").get_data(as_text=True)
    preview = html.split('id="wikiPreview"')[1].split("</form>")[0]
    assert ">Foo</a>" in preview and "inner[c]" in preview, preview
    assert ApiClient(app.test_client()).get(action="query", titles="Pst preview page")["query"]["pages"]["-1"]


def test_large_pages_are_transformed_in_bounded_time(app):
    """The tree that finds comments and tags is built from a neutralised copy of the text: a
    200 kB page of links, tables and comments takes seconds, not tens of seconds."""
    import time

    chunk = "== H ==\nSome [[link|text]] {{t|a=b}} <!-- c ~~~~ --> ''b'' [http://x.com y]\n{|\n|-\n| a\n|}\n"
    text = chunk * (200_000 // len(chunk)) + "end ~~~ [[Foo (bar)|]]"
    api = ApiClient(app.test_client())
    started = time.monotonic()
    out = onlypst(api, text)
    assert time.monotonic() - started < 20
    assert out.count("<!-- c ~~~~ -->") == 200_000 // len(chunk)
    assert re.search(rf"end {IP_SIG} \[\[Foo \(bar\)\|Foo\]\]$", out)
