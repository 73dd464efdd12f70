"""Property-based tests of hostile input: renderer, sanitizer, titles, diffs and API parameters never
raise, render well-formed HTML, and the sanitizer is stable when applied to its own output.

`make fuzz` (tests/fuzz_campaign.py) runs the same properties for 100,000 inputs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wiki import diffs, titles
from wiki.markup.html import sanitizer

from .strategies import lines, title_text, wikitext

CSS_NOTE = re.compile(r'style="/\* [a-z ]+ \*/"')
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


class _Balance(HTMLParser):
    """Every element closed, in order: the renderer's output nests as a tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.errors.append(f"event handler {name} on <{tag}>")
            url = "".join(ch for ch in (value or "") if ch > " ").lower()
            if name in ("href", "src", "action", "formaction") and url.startswith(
                ("javascript:", "vbscript:")
            ):
                self.errors.append(f"script URL in {name} of <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()


def html_problems(html: str) -> list[str]:
    checker = _Balance()
    checker.feed(html)
    checker.close()
    problems = checker.errors
    if checker.stack:
        problems.append(f"unclosed: {checker.stack}")
    if "<script" in html.lower():
        problems.append("script in output")
    return problems


def render_strict(app, text: str) -> str:
    """Render with the renderer's own catch-all removed, so a crash is seen, not hidden by the fallback."""
    from wiki import site
    from wiki.markup.render import _render

    with app.test_request_context():
        return _render(text, site.context(site.parse_title("Fuzz"))).html


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory, database_template):
    """One app for the whole module (hypothesis runs many examples per test)."""
    import shutil

    from tests.conftest import PG_URL
    from wiki import create_app

    work = tmp_path_factory.mktemp("fuzz")
    url = PG_URL
    if not PG_URL:
        shutil.copy(database_template, work / "wiki.db")
        url = f"sqlite:///{work / 'wiki.db'}"
    app = create_app({"TESTING": True, "WIKI_INSTANCE_DIR": str(work), "SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        from wiki.extensions import db

        db.session.remove()
        db.engine.dispose()


@FAST
@given(text=wikitext)
def test_renderer_never_raises_and_never_emits_script(fuzz_app, text):
    html = render_strict(fuzz_app, text)
    assert [p for p in html_problems(html) if "closes" not in p and "unclosed" not in p] == [], (text, html)


@FAST
@example(text="</b>")
@given(text=wikitext)
def test_renderer_emits_balanced_html(fuzz_app, text):
    html = render_strict(fuzz_app, text)
    assert html_problems(html) == [], (text, html)


@FAST
@given(text=wikitext)
def test_sanitizer_is_stable_on_its_own_output(text):
    once = sanitizer.remove_html_tags(text)
    # Known gap (see test_css_check_is_stable_on_its_own_output): a CSS note is itself re-checked.
    expected = CSS_NOTE.sub('style=" "', once)
    assert CSS_NOTE.sub('style=" "', sanitizer.remove_html_tags(once)) == expected


@FAST
@given(css=st.text(max_size=60) | wikitext)
def test_css_check_never_lets_expression_through(css):
    once = sanitizer.check_css(css)
    assert "expression(" not in once.lower().replace(" ", "")
    assert "expression(" not in sanitizer.check_css(once).lower().replace(" ", "")


@pytest.mark.xfail(
    strict=True,
    reason="sanitizer gap (wiki/markup, reported to the lead): check_css returns its decoded form, so "
    "checking its output again changes it (\\\\ -> \\ -> ''); MediaWiki returns the value unchanged",
)
@FAST
@example(css="\\\\")
@given(css=st.text(max_size=60) | wikitext)
def test_css_check_is_stable_on_its_own_output(css):
    once = sanitizer.check_css(css)
    if not once.startswith("/* "):  # MediaWiki's replacement notes ("/* insecure input */") are final
        assert sanitizer.check_css(once) == once


@FAST
@given(raw=title_text)
def test_titles_parse_or_refuse_and_round_trip(raw):
    try:
        title = titles.parse(raw)
    except titles.InvalidTitle:
        return
    if not title.text:  # "#section": a link to a section of the current page, not a page title
        return
    assert len(title.dbkey.encode("utf-8")) <= 255
    again = titles.parse(title.prefixed_text)
    assert (again.namespace, again.dbkey) == (title.namespace, title.dbkey)


@FAST
@given(old=lines, new=lines)
def test_diffs_never_raise_and_merges_keep_one_sided_changes(old, new):
    diffs.diff_rows(old, new)
    assert diffs.merge3(old, new, old) == new
    assert diffs.merge3(old, old, new) == new


API_PARAMS = st.dictionaries(
    st.sampled_from(
        [
            "action",
            "format",
            "titles",
            "list",
            "prop",
            "meta",
            "page",
            "text",
            "limit",
            "rvlimit",
            "rvprop",
            "continue",
            "formatversion",
            "search",
            "srsearch",
            "token",
            "generator",
            "redirects",
            "pageids",
            "revids",
            "utf8",
            "callback",
            "origin",
            "maxlag",
        ]
    ),  # fmt: skip
    st.one_of(
        st.sampled_from(
            [
                "query",
                "parse",
                "edit",
                "opensearch",
                "login",
                "json",
                "jsonfm",
                "max",
                "-1",
                "revisions|info",
                "allpages",
                "search",
                "2",
                "Main Page",
                "",
                "1e999",
                "\x00",
            ]
        ),  # fmt: skip
        st.text(max_size=20),
    ),
    max_size=6,
)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(params=API_PARAMS, post=st.booleans())
def test_api_answers_every_parameter_mix_without_a_crash(fuzz_app, params, post):
    client = fuzz_app.test_client()
    resp = client.post("/w/api.php", data=params) if post else client.get("/w/api.php", query_string=params)
    assert resp.status_code < 500, (params, resp.status_code)
    body = resp.get_data(as_text=True)
    assert "internal_api_error" not in body, (params, body[:300])
