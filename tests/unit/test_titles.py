import pytest

from wiki import titles

VALID = [
    ("foo bar", 0, "Foo bar"),
    ("foo_bar", 0, "Foo bar"),
    ("  foo    bar  ", 0, "Foo bar"),
    ("foo__ _bar", 0, "Foo bar"),
    ("user:alice", 2, "User:Alice"),
    ("USER_TALK : bob", 3, "User talk:Bob"),
    ("talk:Foo", 1, "Talk:Foo"),
    ("Project:About", 4, "Project:About"),
    ("Template:Infobox", 10, "Template:Infobox"),
    ("template talk:x", 11, "Template talk:X"),
    ("Help:Contents", 12, "Help:Contents"),
    ("help talk:x", 13, "Help talk:X"),
    ("category:Concept", 14, "Category:Concept"),
    ("Category talk:Concept", 15, "Category talk:Concept"),
    ("Special:RecentChanges", -1, "Special:RecentChanges"),
    (":Category:Concept", 14, "Category:Concept"),
    ("Foo: bar", 0, "Foo: bar"),
    ("ß", 0, "ß"),
    ("éclair", 0, "Éclair"),
    (
        "Large Language Model (LLM) Innovation Milestone",
        0,
        "Large Language Model (LLM) Innovation Milestone",
    ),
    ("a&amp;b", 0, "A&b"),
]


@pytest.mark.parametrize(("raw", "ns", "expected"), VALID)
def test_valid_titles_normalise(raw, ns, expected):
    title = titles.parse(raw)
    assert title.namespace == ns
    assert title.prefixed_text == expected


INVALID = [
    ("", "empty"),
    ("   ", "empty"),
    ("a#", None),
    ("a<b", '"<"'),
    ("a>b", '">"'),
    ("a[b", '"["'),
    ("a]b", '"]"'),
    ("a|b", '"|"'),
    ("a{b", '"{"'),
    ("a}b", '"}"'),
    ("a\x07b", "character"),
    ("a%41b", "%41"),
    ("../x", "relative"),
    ("a~~~b", "~~~"),
    ("x" * 256, "255 bytes"),
    ("é" * 128, "255 bytes"),
    ("User:", "empty"),
]


@pytest.mark.parametrize(("raw", "reason"), INVALID)
def test_invalid_titles_name_the_problem(raw, reason):
    if reason is None:  # "a#" is the page "A" with an empty fragment: valid
        assert titles.parse(raw).text == "A"
        return
    with pytest.raises(titles.InvalidTitle) as exc:
        titles.parse(raw)
    assert reason in str(exc.value)


def test_fragment_is_split_off():
    title = titles.parse("Foo bar#Some section")
    assert (title.prefixed_text, title.fragment) == ("Foo bar", "Some section")


def test_url_key_escapes_like_mediawiki():
    assert titles.parse("Foo bar?").url_key == "Foo_bar%3F"
    assert titles.parse("A (b): c").url_key == "A_(b):_c"
    assert titles.parse("A&b").url_key == "A%26b"


def test_255_bytes_is_allowed():
    assert titles.parse("x" * 255).text == "X" + "x" * 254
