"""The one #REDIRECT parser (wiki.markup.redirect), read as MediaWiki 1.39 reads redirects."""

import pytest

from tests.conformance.adapter import site
from wiki.markup import redirect


def target_of(text: str) -> str | None:
    title = redirect.target(text, site().parse_title)
    if title is None:
        return None
    return title.prefixed_text + (f"#{title.fragment}" if title.fragment else "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#REDIRECT [[Foo]]", "Foo"),
        ("#redirect [[foo]]", "Foo"),
        ("#ReDiReCt:[[Foo]]", "Foo"),
        ("#REDIRECT : [[Foo]]", "Foo"),
        ("#REDIRECT[[Foo]]", "Foo"),
        ("\n\t  #REDIRECT [[Foo]]", "Foo"),
        ("#REDIRECT [[Foo%20Bar]]", "Foo Bar"),
        ("#REDIRECT [[:Foo%20Bar]]", "Foo Bar"),
        ("#REDIRECT [[Foo#Part two]]", "Foo#Part two"),
        ("#REDIRECT [[Foo%23Part]]", "Foo#Part"),
        ("#REDIRECT [[Foo|label]] text after", "Foo"),
        ("#REDIRECT [[:Category:Things]]", "Category:Things"),
        ("#REDIRECT\n[[Foo]]", "Foo"),
        ("#REDIRECT [[Foo]] [[Bar]]", "Foo"),
        ("#REDIRECT [[Special:AllPages]]", "Special:AllPages"),
    ],
)
def test_redirect_targets(text, expected):
    assert target_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Text first\n#REDIRECT [[Foo]]",
        "\x0c#REDIRECT [[Foo]]",  # PHP's ltrim keeps a form feed
        "\u00a0#REDIRECT [[Foo]]",  # and any Unicode space
        "#REDIRECTS [[Foo]]",
        "#REDIRECT [[Foo\nBar]]",
        "#REDIRECT [[]]",
        "#REDIRECT [[Foo<bar>]]",
        "#REDIRECT [[#Only a fragment]]",
        "#REDIRECT [[Special:UserLogout]]",
        "#REDIRECT [[Special:Mypage/sub]]",
        "#REDIRECT Foo",
        "#REDIRECT [[Foo%2523]]",  # decoded once to "Foo%23": a title may not hold "%23"
        "REDIRECT [[Foo]]",
    ],
)
def test_not_redirects(text):
    assert target_of(text) is None


def test_the_page_text_resumes_after_the_link_and_its_whitespace():
    link = redirect.find("#REDIRECT [[Foo|x]]  \n\nMore text")
    assert link is not None and link.target == "Foo"
    assert "#REDIRECT [[Foo|x]]  \n\nMore text"[link.end :] == "More text"
    assert "#REDIRECT [[Foo|x]]"[link.start : link.stop] == "Foo"
