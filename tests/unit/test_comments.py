"""wiki.markup.comments: edit summaries as MediaWiki 1.39 formats them (outputs checked against a
real MediaWiki's parsedsummary; section anchors use this wiki's legacy heading ids)."""

from __future__ import annotations

from wiki.markup.comments import MAX_LINKS, LinkTo, format_comment, link_targets

PAGE = LinkTo("/wiki/Sandbox", "Sandbox", True)
MAIN = LinkTo("/wiki/Main_Page", "Main Page", True)
NOPE = LinkTo("/wiki/Nope", "Nope", False, "/w/index.php?title=Nope&action=edit&redlink=1")
RED_CAT = LinkTo(
    "/wiki/Category:X", "Category:X", False, "/w/index.php?title=Category:X&action=edit&redlink=1"
)


def test_autocomment_with_and_without_text():
    assert format_comment("/* Intro */ grew", {}, PAGE) == (
        '<span dir="auto"><span class="autocomment"><a href="/wiki/Sandbox#Intro" title="Sandbox">'
        "\u2192\u200eIntro</a>: </span> grew</span>"
    )
    assert format_comment("/* Intro */", {}, PAGE) == (
        '<span dir="auto"><span class="autocomment"><a href="/wiki/Sandbox#Intro" title="Sandbox">'
        "\u2192\u200eIntro</a></span></span>"
    )


def test_text_before_links_inside_and_several_sections():
    assert format_comment("pre /* S [[Foo]] */ post", {}, PAGE) == (
        'pre <span dir="auto"><span class="autocomment"><a href="/wiki/Sandbox#S_Foo" title="Sandbox">'
        "\u2192\u200eS &#91;&#91;Foo&#93;&#93;</a>: </span> post</span>"
    )
    assert format_comment("/* a */ /* b */ c", {}, PAGE) == (
        '<span dir="auto"><span class="autocomment"><a href="/wiki/Sandbox#a" title="Sandbox">'
        "\u2192\u200ea</a>: "
        '</span> <span dir="auto"><span class="autocomment"><a href="/wiki/Sandbox#b" title="Sandbox">'
        "\u2192\u200eb</a>: </span> c</span></span>"
    )


def test_links_piped_trailed_red_and_escaping():
    comment = '[[Main Page|home]]s and [[:Category:X]] <b>x</b> & "q" it\'s'
    links = {"Main Page": MAIN, ":Category:X": RED_CAT}
    assert link_targets(comment) == ["Main Page", ":Category:X"]
    assert format_comment(comment, links) == (
        '<a href="/wiki/Main_Page" title="Main Page">homes</a> and '
        '<a href="/w/index.php?title=Category:X&amp;action=edit&amp;redlink=1" class="new" '
        'title="Category:X (page does not exist)">Category:X</a> '
        "&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot; it&#039;s"
    )
    assert format_comment(
        "[[Nope#frag|t]] [[Main Page#Sec]]", {"Nope#frag": NOPE, "Main Page#Sec": MAIN}
    ) == (
        '<a href="/w/index.php?title=Nope&amp;action=edit&amp;redlink=1" class="new" '
        'title="Nope (page does not exist)">t</a> '
        '<a href="/wiki/Main_Page#Sec" title="Main Page">Main Page#Sec</a>'
    )


def test_unresolved_targets_stay_text_and_links_are_bounded():
    assert format_comment("[[w:Foo]] [[|x]] <", {}) == "[[w:Foo]] [[|x]] &lt;"
    many = " ".join(f"[[P{i}]]" for i in range(MAX_LINKS + 5))
    links = {f"P{i}": LinkTo(f"/wiki/P{i}", f"P{i}", True) for i in range(MAX_LINKS + 5)}
    assert format_comment(many, links).count("<a ") == MAX_LINKS
    assert len(link_targets(many)) == MAX_LINKS
