"""Every page has MediaWiki's <div id="mw-content-text"> around its body (user scripts and
scrapers select it), the heading outside it: each special page listed on Special:SpecialPages,
for an anonymous reader and for a sysop, plus the page actions."""

from __future__ import annotations

import re

import html5lib
import pytest

from tests.security.conftest import anonymous, logged_in, make_account


def _listed_specials(client) -> list[str]:
    html = client.get("/wiki/Special:SpecialPages").get_data(as_text=True)
    listing = html.split('class="mw-specialpages-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="(/wiki/Special:[^"]+)"', listing)


def _assert_content_text(html: str, path: str) -> None:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    found = [el for el in tree.iter() if el.get("id") == "mw-content-text"]
    assert len(found) == 1, (path, len(found))
    content = found[0]
    assert content.tag == "div" and "mw-body-content" in content.get("class", "").split(), path
    assert any(True for _ in content.iter()), path
    heading = [el for el in tree.iter() if el.get("id") == "firstHeading"]
    assert len(heading) == 1, path
    assert heading[0] not in list(content.iter()), (path, "the heading is outside the content")
    main = next(el for el in tree.iter() if el.get("id") == "content")
    assert content in list(main.iter()), path


@pytest.mark.parametrize("who", ["anonymous", "sysop"])
def test_every_listed_special_page_has_mw_content_text(app, who):
    if who == "sysop":
        make_account(app, "Admin", "sysop")
        client = logged_in(app, "Admin").client
    else:
        client = anonymous(app).client
    paths = _listed_specials(client)
    assert len(paths) >= 15, paths  # the listing itself was found
    for path in [*paths, "/wiki/Special:SpecialPages", "/wiki/Special:NoSuchPage"]:
        resp = client.get(path)
        while resp.status_code in (301, 302, 303):
            resp = client.get(resp.headers["Location"])
        _assert_content_text(resp.get_data(as_text=True), path)


def test_page_actions_have_mw_content_text(wiki):
    assert wiki.edit("Content text page", "First.").status_code == 303
    assert wiki.edit("Content text page", "Second.").status_code == 303
    for path in [
        "/wiki/Content_text_page",
        "/wiki/No_such_page_here",
        "/w/index.php?title=Content_text_page&action=edit",
        "/w/index.php?title=Content_text_page&action=history",
        "/w/index.php?title=Content_text_page&diff=prev",
        "/w/index.php?title=Content_text_page&action=nonsense",
    ]:
        _assert_content_text(wiki.client.get(path).get_data(as_text=True), path)
