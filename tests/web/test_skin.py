"""The skin through HTTP: which tabs and tools each reader sees, and markup that a strict
Content-Security-Policy allows (no inline script, style attribute or event handler in the chrome)."""

from __future__ import annotations

import re

import html5lib
import pytest

from tests.security.conftest import anonymous, logged_in, make_account


@pytest.fixture
def page(wiki) -> str:
    resp = wiki.edit("Skin test page", "Some '''text''' for the [[Skin test page]] and [[Another page]].")
    assert resp.status_code == 303
    return "Skin_test_page"


def _html(client, path: str, status: int = 200) -> str:
    resp = client.get(path)
    assert resp.status_code == status, (path, resp.status_code)
    return resp.get_data(as_text=True)


def _more_menu(html: str) -> list[str]:
    return re.findall(r'<li id="ca-(move|delete|protect)"', html)


def test_more_menu_is_hidden_from_anonymous_readers(app, page):
    html = _html(anonymous(app).client, f"/wiki/{page}")
    assert 'id="p-cactions"' not in html
    login = re.search(r'<li id="pt-login"><a href="([^"]*)"', html).group(1)
    assert "UserLogin" in login and "returnto=Skin_test_page" in login


def test_logged_in_user_may_move_but_not_delete_or_protect(app, page):
    make_account(app, "Member")
    html = _html(logged_in(app, "Member").client, f"/wiki/{page}")
    assert _more_menu(html) == ["move"]
    assert 'class="mw-userlink" title="Your user page">Member</a>' in html
    assert ">Log out</button>" in html


def test_sysop_sees_move_delete_and_protect(app, page):
    make_account(app, "Admin", "sysop")
    html = _html(logged_in(app, "Admin").client, f"/wiki/{page}")
    assert _more_menu(html) == ["move", "delete", "protect"]
    assert "action=delete" in html and "action=protect" in html and "Special:MovePage/Skin_test_page" in html


def test_missing_page_offers_create_and_no_history(client):
    html = _html(client, "/wiki/Nothing_here_yet", status=404)
    assert '<li id="ca-edit" class="">' in html and ">Create</a>" in html
    assert 'id="ca-history"' not in html


def test_discussion_tab_is_red_until_the_talk_page_exists(wiki, page):
    html = _html(wiki.client, f"/wiki/{page}")
    talk_tab = re.search(r'<li id="ca-talk" class="">(.*?)</li>', html, re.S).group(1)
    assert 'class="new"' in talk_tab and "redlink=1" in talk_tab
    assert wiki.edit("Talk:Skin test page", "A question.").status_code == 303
    html = _html(wiki.client, f"/wiki/{page}")
    talk_tab = re.search(r'<li id="ca-talk" class="">(.*?)</li>', html, re.S).group(1)
    assert 'href="/wiki/Talk:Skin_test_page"' in talk_tab and 'class="new"' not in talk_tab
    talk = _html(wiki.client, "/wiki/Talk:Skin_test_page")
    assert '<li id="ca-talk" class="selected">' in talk


def test_views_have_no_inline_script_style_or_event_handler(wiki, page):
    wiki.edit("Skin test page", "Changed text.", summary="second")
    paths = [
        f"/wiki/{page}",
        f"/w/index.php?title={page}&action=edit",
        f"/w/index.php?title={page}&action=history",
        f"/w/index.php?title={page}&diff=cur",
        "/wiki/Special:RecentChanges",
        "/wiki/Special:UserLogin",
        "/wiki/Special:SpecialPages",
    ]
    for path in paths:
        for element in _chrome_elements(_html(wiki.client, path)):
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag != "style", path
            assert not (tag == "script" and not element.get("src")), (path, "inline script")
            for name in element.attrib:
                assert name != "style" and not name.startswith("on"), (path, tag, name)


def _chrome_elements(html: str):
    """Every element of the page except the rendered wikitext, which may carry style="..." (the
    policy allows style attributes for content; the skin itself uses none)."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    stack = [tree]
    while stack:
        element = stack.pop()
        # Special pages' bodies sit in #mw-content-text too: skip only the rendered wikitext.
        if element.get("id") == "wikiPreview" or "mw-parser-output" in (element.get("class") or "").split():
            continue
        yield element
        stack.extend(element)


def test_favicon_is_served_from_static(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301
    icon = client.get(resp.headers["Location"])
    assert icon.status_code == 200
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_show_changes_compares_like_a_save_despite_crlf_line_endings(wiki):
    wiki.edit("Three lines", "First line.\nSecond line.\nThird line.")
    fields = wiki.edit_form("Three lines")
    fields["wpTextbox1"] = fields["wpTextbox1"].replace("\n", "\r\n") + "\r\n\r\nA new line."
    html = wiki.submit("Three_lines", fields, button="wpDiff").get_data(as_text=True)
    assert "diff-deletedline" not in html  # nothing removed: the old lines match despite \r\n
    assert "A new line." in html
