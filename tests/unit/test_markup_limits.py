"""Renders are bounded (wiki.markup.limits): each of the inputs an attacker found answers in well
under 2 s of CPU, with MediaWiki's limit error or tracking category where MediaWiki shows one.

The time bounds are measured with time.process_time (CPU of this process, not the machine's
load); each input costs at most about 0.8 s on the development machine, the bound is 2 s.
"""

from __future__ import annotations

import itertools
import time

import pytest

from tests.conformance.adapter import context
from tests.unit.markup_cases import PATHOLOGICAL, PATHOLOGICAL_TEMPLATES, nested_int
from wiki.markup import limits, render

CPU_BOUND = 2.0


# The limit that stops each input (None: it renders in full, bounded by a per-function limit);
# on a busy machine the wall-clock budget may come first.
STOPPED_BY = {
    "{{int:}} nested 40 deep": None,
    "{{#time:}} with a 1 MB format": None,
    "200,000 headings": ("html-size", "render-time"),
    "200,000 headings from a template": ("html-size", "render-time"),
    "2 MiB of *": ("html-size", "render-time"),
    "100,000 <ref>": ("html-size", "render-time"),
    "420,000 [[A]]": ("html-size", "render-time"),
}


def timed_render(text: str, **ctx_changes: object):
    ctx = context(articles=PATHOLOGICAL_TEMPLATES)
    for name, value in ctx_changes.items():
        setattr(ctx, name, value)
    start = time.process_time()
    out = render(text, ctx)
    return out, time.process_time() - start


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_input_answers_in_under_two_seconds(name):
    stopped_by = STOPPED_BY[name]
    out, cpu = timed_render(PATHOLOGICAL[name])
    assert cpu < CPU_BOUND, f"{name}: {cpu:.2f} s of CPU"
    assert len(out.html) < 100_000
    if stopped_by:
        assert out.limit_error in stopped_by
        assert '<strong class="error">' in out.html
        category = limits_category(out.limit_error)
        assert (category, "") in out.categories
    else:
        assert out.limit_error is None


def limits_category(key: str) -> str:
    from wiki.markup.render import TRACKING_CATEGORIES

    return TRACKING_CATEGORIES[key].replace(" ", "_")


def test_int_of_a_missing_message_escapes_as_message_does():
    out, _ = timed_render("{{int:a&b<c>}}")
    assert "⧼a&amp;b&lt;c&gt;⧽" in out.html
    # nested, each level escapes the one below once more: the text grows by a few bytes a level
    out, _ = timed_render(nested_int(30).replace("x", "&"))
    assert len(out.html) < 5_000


def test_time_formats_are_limited_per_page_as_parserfunctions_does():
    out, _ = timed_render("{{#time:" + "Y" * 6000 + "}}")
    assert "Too many #time calls" not in out.html and "1970" in out.html
    out, _ = timed_render("{{#time:" + "Y" * 6001 + "}}")
    assert '<strong class="error">Error: Too many #time calls.</strong>' in out.html
    # a repeated call is answered from the page's cache and not counted again
    out, _ = timed_render("{{#time:" + "Y" * 4000 + "}}" * 5)
    assert "Too many #time calls" not in out.html


def test_padleft_stops_at_500_characters():
    out, _ = timed_render("{{padleft:x|100000|ab}}")
    assert "ab" * 249 + "ax" in out.html and "ab" * 251 not in out.html


def test_post_expand_include_size_is_limited_with_mediawikis_warning_and_category():
    big = "word " * 100_000  # 500 KB
    ctx_articles = {"Template:Big": big}
    ctx = context(articles=ctx_articles)
    ctx.time_limit = None  # deterministic whatever the machine's load
    out = render("{{Big}}" * 6, ctx)
    assert out.html.count("word word") > 1000
    # the omitted inclusions become a link and an HTML comment (not text a reader sees)
    assert "<!-- WARNING: template omitted, post-expand include size too large -->" in out.html
    assert "&lt;!--" not in out.html
    assert '<a href="/wiki/Template:Big" title="Template:Big">Template:Big</a>' in out.html
    assert ("Pages_where_template_include_size_is_exceeded", "") in out.categories
    assert any("Template include size is too large" in w for w in out.warnings)
    assert len(out.html) < 3 * limits.MAX_INCLUDE_SIZE


def test_render_time_limit_stops_a_render_on_the_contexts_clock():
    ticks = itertools.count()
    clock = lambda: float(next(ticks))  # noqa: E731 - each reading is a second later
    out, _ = timed_render("* item\n" * 20_000, timer=clock, time_limit=1.5)
    assert out.limit_error == "render-time"
    assert "longer than 1.5 seconds to render" in out.html
    assert ("Pages_where_the_render_time_limit_is_exceeded", "") in out.categories
    assert "<li>" not in out.html


def test_no_time_limit_renders_everything():
    ticks = itertools.count()
    out, _ = timed_render("* item\n" * 20_000, timer=lambda: float(next(ticks)), time_limit=None)
    assert out.limit_error is None and out.html.count("<li>") == 20_000


def test_a_redirect_over_its_limits_still_redirects():
    out, _ = timed_render("#REDIRECT [[Target]]\n" + "*" * (2 * 1024 * 1024), time_limit=None)
    assert out.limit_error == "html-size"
    assert out.redirect is not None and out.redirect.prefixed_text == "Target"
