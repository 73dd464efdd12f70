"""Categories through HTTP: the category box, category pages with sort keys, paging, Special:Categories."""

import re

from tests.links.conftest import html_of, link_class


def _members(html: str, box: str) -> list[str]:
    section = html.split(f'id="{box}"', 1)
    if len(section) < 2:
        return []
    return re.findall(
        r'<li><a href="[^"]*"(?: class="mw-redirect")? title="[^"]*">([^<]*)</a></li>',
        section[1].split("</div>\n</div>", 1)[0],
    )


def test_category_box_lists_the_categories_red_until_the_category_page_exists(wiki):
    wiki.edit("Category:Existing", "About this category.")
    wiki.edit("Member", "Text [[Category:Existing]] [[Category:Not written]]")
    box = html_of(wiki.view("Member")).split('id="catlinks"', 1)[1]
    assert link_class(box, "Existing") == "" and 'href="/wiki/Category:Existing"' in box
    assert link_class(box, "Not written") == "new"
    wiki.edit("Category:Not written", "Written now.")
    box = html_of(wiki.view("Member")).split('id="catlinks"', 1)[1]
    assert link_class(box, "Not written") == ""


def test_category_page_lists_subcategories_and_pages_by_sort_key(wiki):
    wiki.edit("Category:Models", "Models we describe.")
    wiki.edit("Zeta", "[[Category:Models]]")
    wiki.edit("Alpha model", "[[Category:Models|Omega]]")
    wiki.edit("Beta", "{{DEFAULTSORT:Aardvark}}[[Category:Models]]")
    wiki.edit("Category:Small models", "[[Category:Models]]")
    resp = wiki.view("Category:Models")
    html = html_of(resp)
    assert resp.status_code == 200 and "Models we describe." in html
    assert _members(html, "mw-subcategories") == ["Small models"]
    assert "This category has only the following subcategory." in html
    assert _members(html, "mw-pages") == ["Beta", "Alpha model", "Zeta"]
    assert "The following 3 pages are in this category, out of 3 total." in html
    headings = re.findall(r"<h3>(.)</h3>", html.split('id="mw-pages"', 1)[1])
    assert headings == ["A", "O", "Z"]


def test_category_listing_updates_when_members_change(wiki):
    wiki.edit("Category:Topic", "A topic.")
    assert "contains no pages" in html_of(wiki.view("Category:Topic"))
    wiki.edit("Joiner", "[[Category:Topic]]")
    assert _members(html_of(wiki.view("Category:Topic")), "mw-pages") == ["Joiner"]
    wiki.edit("Joiner", "left the topic")
    assert _members(html_of(wiki.view("Category:Topic")), "mw-pages") == []


def test_missing_category_page_still_lists_its_members(wiki):
    wiki.edit("Orphan member", "[[Category:Unwritten]]")
    resp = wiki.view("Category:Unwritten")
    html = html_of(resp)
    assert resp.status_code == 200
    assert "There is currently no text in this page" in html
    assert _members(html, "mw-pages") == ["Orphan member"]
    assert wiki.view("Category:Empty_and_unwritten").status_code == 404


def test_category_members_page_by_sort_key(wiki):
    for name in ("Aa", "Bb", "Cc"):
        wiki.edit(name, "[[Category:Paged]]")
    first = html_of(wiki.client.get("/w/index.php?title=Category:Paged&limit=2"))
    assert _members(first, "mw-pages") == ["Aa", "Bb"]
    assert "The following 2 pages are in this category, out of 3 total." in first
    next_url = re.search(r'<a href="([^"]+)">next page</a>', first).group(1).replace("&amp;", "&")
    second = html_of(wiki.client.get(next_url + "&limit=2"))
    assert _members(second, "mw-pages") == ["Cc"]
    prev_url = re.search(r'<a href="([^"]+)">previous page</a>', second).group(1).replace("&amp;", "&")
    assert _members(html_of(wiki.client.get(prev_url + "&limit=2")), "mw-pages") == ["Aa", "Bb"]
    assert wiki.client.get("/w/index.php?title=Category:Paged&limit=0").status_code == 400


def test_special_categories_lists_categories_with_counts(wiki):
    wiki.edit("Category:Written", "x")
    wiki.edit("One", "[[Category:Written]] [[Category:Unwritten]]")
    wiki.edit("Two", "[[Category:Written]]")
    html = html_of(wiki.client.get("/wiki/Special:Categories"))
    assert re.search(r">Unwritten</a> \(1 member\).*>Written</a> \(2 members\)", html, re.S)
    assert 'class="new" title="Category:Unwritten (page does not exist)"' in html
    later = html_of(wiki.client.get("/wiki/Special:Categories?from=V"))
    assert ">Unwritten</a>" not in later and ">Written</a>" in later
    assert wiki.client.get("/wiki/Special:Categories?limit=x").status_code == 400
