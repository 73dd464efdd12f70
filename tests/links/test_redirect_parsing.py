"""One #REDIRECT parser through the app: a redirect reads the same viewed, transcluded and listed,
and the notice on a redirect page links its target red when the target does not exist."""

from tests.links.conftest import content, html_of


def test_percent_encoded_template_redirect_is_followed_viewed_and_transcluded(wiki):
    wiki.edit("Template:Foo Bar", "Text of Foo Bar.")
    wiki.edit("Template:Alias", "#REDIRECT [[Template:Foo%20Bar]]")
    viewed = wiki.view("Template:Alias")
    assert "Text of Foo Bar." in content(viewed) and "(Redirected from" in html_of(viewed)
    wiki.edit("User of alias", "Before {{Alias}} after.")
    body = content(wiki.view("User_of_alias"))
    assert "Before Text of Foo Bar. after." in body
    assert "Template:Alias" not in body  # not a link to a missing template


def test_template_redirect_with_colon_fragment_and_label_is_followed(wiki):
    wiki.edit("Template:Box", "Boxed.")
    wiki.edit("Template:Boxalias", "  #redirect: [[Template:Box#Part|shown label]]")
    wiki.edit("Boxes", "{{Boxalias}}")
    assert "Boxed." in content(wiki.view("Boxes"))


def test_redirect_not_at_the_top_of_the_text_is_not_a_redirect_anywhere(wiki):
    wiki.edit("Template:Box", "Boxed.")
    wiki.edit("Template:Notalias", "Text first.\n#REDIRECT [[Template:Box]]")
    wiki.edit("Uses notalias", "{{Notalias}}")
    body = content(wiki.view("Uses_notalias"))
    assert "Text first." in body and "Boxed." not in body
    assert "(Redirected from" not in html_of(wiki.view("Template:Notalias"))


def test_transcluded_redirects_follow_two_hops_as_mediawiki(wiki):
    wiki.edit("Template:Final", "Final text.")
    wiki.edit("Template:Hop2", "#REDIRECT [[Template:Final]]")
    wiki.edit("Template:Hop1", "#REDIRECT [[Template:Hop2]]")
    wiki.edit("Template:Hop0", "#REDIRECT [[Template:Hop1]]")
    wiki.edit("Two hops", "{{Hop1}}")
    assert "Final text." in content(wiki.view("Two_hops"))
    wiki.edit("Three hops", "{{Hop0}}")
    body = content(wiki.view("Three_hops"))
    assert "Final text." not in body  # the third redirect is shown as written, as MediaWiki does


def test_redirect_to_a_missing_page_links_it_red_in_the_page_body(wiki):
    wiki.edit("Dangling", "#REDIRECT [[Nowhere yet#Part]]")
    resp = wiki.client.get("/w/index.php?title=Dangling&redirect=no")
    body = content(resp)
    assert resp.status_code == 200
    notice = body.split('<ul class="redirectText">', 1)[1].split("</ul>", 1)[0]
    assert 'class="new"' in notice
    assert 'href="/w/index.php?title=Nowhere_yet&amp;action=edit&amp;redlink=1"' in notice
    assert 'title="Nowhere yet (page does not exist)"' in notice
    assert ">Nowhere yet#Part</a>" in notice


def test_redirect_notice_turns_blue_when_the_target_is_created(wiki):
    wiki.edit("Dangling", "#REDIRECT [[Later page]]")
    wiki.edit("Later page", "Now here.")
    body = content(wiki.client.get("/w/index.php?title=Dangling&redirect=no"))
    notice = body.split('<ul class="redirectText">', 1)[1].split("</ul>", 1)[0]
    assert 'class="new"' not in notice and 'href="/wiki/Later_page"' in notice


def test_move_fixes_redirects_the_parser_reads_keeping_section_and_label(editor):
    from tests.links.conftest import move

    editor.edit("Old target", "Text.")
    editor.edit("Alias one", "  #redirect: [[Old target#Part|label]] trailing")
    editor.edit("Alias two", "#REDIRECT [[Old%20target]]")
    resp = move(editor, "Old_target", "New target", reason="rename", wpFixRedirects="1")
    assert resp.status_code == 200 and "Updated 2 redirects" in html_of(resp)
    raw = editor.client.get("/w/index.php?title=Alias_one&action=raw").get_data(as_text=True)
    assert raw == "  #redirect: [[New target#Part|label]] trailing"
    raw = editor.client.get("/w/index.php?title=Alias_two&action=raw").get_data(as_text=True)
    assert raw == "#REDIRECT [[New target]]"
