"""Hypothesis strategies for hostile input: wikitext built from MediaWiki's own syntax, titles, texts."""

from __future__ import annotations

from hypothesis import strategies as st

TOKENS = [
    "[[", "]]", "[", "]", "{{", "}}", "{{{", "}}}", "|", "||", "!!", "{|", "|}", "|-", "|+", "=", "==",
    "''", "'''", "*", "#", ":", ";", "----", "\n", "\n\n", " ", "<", ">", "/", "&", "&amp;", "&#",
    "&#x", ";", '"', "'", "<nowiki>", "</nowiki>", "<!--", "-->", "<pre>", "</pre>", "<ref>", "</ref>",
    "<references/>", "<div>", "</div>", "<span style=\"", "<b>", "</b>", "<table>", "<tr>", "<td>",
    "<script>", "</script>", "<svg onload=", "onmouseover=", "javascript:", "http://example.org/",
    "mailto:", "__TOC__", "__NOTOC__", "{{#if:", "{{#switch:", "{{#expr:", "{{#tag:", "{{lc:",
    "{{PAGENAME}}", "{{DISPLAYTITLE:", "[[Category:", "[[File:", "#REDIRECT [[", "~~~~", "<includeonly>",
    "<noinclude>", "<onlyinclude>", "<gallery>", "<math>", "\\", "expression(", "url(", "\x00", "\t",
    "é", "ß", "İ", "\u200b", "\ufeff", "😀", "&nbsp;", "ISBN 123", "RFC 1", "x", "Foo", "1",
]  # fmt: skip

wikitext = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(min_size=1, max_size=6)), max_size=40).map(
    "".join
)

title_text = st.one_of(
    st.text(max_size=40),
    st.lists(
        st.sampled_from(
            [
                "Foo",
                "foo",
                " ",
                "_",
                ":",
                "Talk:",
                "User:",
                "Special:",
                "Category:",
                "/",
                "..",
                "#",
                "%41",
                "&amp;",
                "&#65;",
                "~~~",
                "<",
                "[",
                "é",
                "İ",
                "\u200e",
                "\u3000",
                "Project:",
                "w:",
                "x" * 60,
            ]
        ),  # fmt: skip
        max_size=8,
    ).map("".join),
)

lines = st.lists(st.sampled_from(["a", "b", "c", "d", "", "a b", "x y z"]), max_size=12).map("\n".join)
