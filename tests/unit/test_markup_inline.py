"""Inline markup: quotes, internal links, external links, magic links, entities."""

from __future__ import annotations

import pytest

from tests.unit.markup_cases import html

RED = (
    '<a href="/index.php?title={0}&amp;action=edit&amp;redlink=1" class="new" '
    'title="{1} (page does not exist)">{2}</a>'
)

CASES = [
    ("italic", "''a''", "<p><i>a</i>\n</p>"),
    ("bold", "'''a'''", "<p><b>a</b>\n</p>"),
    ("bold_italic", "'''''a'''''", "<p><i><b>a</b></i>\n</p>"),
    ("unbalanced_italic_closes_at_line_end", "''a", "<p><i>a</i>\n</p>"),
    ("odd_bold_after_one_letter_is_apostrophe", "l'''a''", "<p>l'<i>a</i>\n</p>"),
    ("red_link", "[[Foo]]", "<p>" + RED.format("Foo", "Foo", "Foo") + "\n</p>"),
    ("link_trail", "[[Foo]]s", "<p>" + RED.format("Foo", "Foo", "Foos") + "\n</p>"),
    ("piped_link", "[[Foo|bar]]", "<p>" + RED.format("Foo", "Foo", "bar") + "\n</p>"),
    ("blue_link", "[[Exists]]", '<p><a href="/wiki/Exists" title="Exists">Exists</a>\n</p>'),
    (
        "link_with_fragment",
        "[[Exists#Some part]]",
        '<p><a href="/wiki/Exists#Some_part" title="Exists">Exists#Some part</a>\n</p>',
    ),
    ("self_link", "[[Parser test]]", '<p><a class="mw-selflink selflink">Parser test</a>\n</p>'),
    (
        "interwiki",
        "[[wikipedia:Foo]]",
        '<p><a href="http://en.wikipedia.org/wiki/Foo" class="extiw" title="wikipedia:Foo">'
        "wikipedia:Foo</a>\n</p>",
    ),
    ("category_is_not_inline", "a [[Category:Things]]", "<p>a\n</p>"),
    (
        "colon_category_is_a_link",
        "[[:Category:Things]]",
        "<p>" + RED.format("Category:Things", "Category:Things", "Category:Things") + "\n</p>",
    ),
    (
        "external_link_with_text",
        "[http://example.com Example]",
        '<p><a rel="nofollow" class="external text" href="http://example.com">Example</a>\n</p>',
    ),
    (
        "external_links_are_numbered",
        "[http://a.com] [http://b.com]",
        '<p><a rel="nofollow" class="external autonumber" href="http://a.com">[1]</a> '
        '<a rel="nofollow" class="external autonumber" href="http://b.com">[2]</a>\n</p>',
    ),
    (
        "bare_url",
        "see http://example.com.",
        '<p>see <a rel="nofollow" class="external free" href="http://example.com">'
        "http://example.com</a>.\n</p>",
    ),
    (
        "isbn",
        "ISBN 978-0-316-09811-3",
        '<p><a href="/wiki/Special:BookSources/9780316098113" class="internal mw-magiclink-isbn">'
        "ISBN 978-0-316-09811-3</a>\n</p>",
    ),
    ("entity_kept", "&eacute; &amp; &bogus;", "<p>&eacute; &amp; &amp;bogus;\n</p>"),
    ("nowiki", "<nowiki>''x'' [[y]]</nowiki>", "<p>''x'' [[y]]\n</p>"),
    (
        "special_page_alias_links_to_its_canonical_name",
        "[[Special:Prefixindex/Austin|all]] [[special:random#top]] [[Special:Nosuch]]",
        '<p><a href="/wiki/Special:PrefixIndex/Austin" title="Special:PrefixIndex/Austin">all</a> '
        '<a href="/wiki/Special:Random#top" title="Special:Random">special:random#top</a> '
        '<a href="/wiki/Special:Nosuch" class="new" title="Special:Nosuch (page does not exist)">'
        "Special:Nosuch</a>\n</p>",
    ),
    (
        "page_status_indicator_is_not_in_the_text_and_needs_a_name",
        'a <indicator name="x">[[Foo]]</indicator>b <indicator>c</indicator>',
        '<p>a b <span class="error"><strong>Error:</strong> Page status indicators\' <code>name</code> '
        "attribute must not be empty.</span>\n</p>",
    ),
    (
        # A stray quote makes the names `x"` and `y"`, which are not names: dropped, as MediaWiki does.
        "attribute_names_with_quotes_are_dropped",
        '<span title="a" class="b"x" y"z>q</span>',
        '<p><span title="a" class="b">q</span>\n</p>',
    ),
]


@pytest.mark.parametrize(("name", "wikitext", "expected"), CASES, ids=[c[0] for c in CASES])
def test_inline_markup(name, wikitext, expected):
    assert html(wikitext, articles={"Exists": "x"}) == expected
