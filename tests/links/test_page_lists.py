"""AllPages, PrefixIndex, Random and SpecialPages through HTTP."""

import re

from tests.links.conftest import html_of


def _listed(html: str) -> list[str]:
    chunk = html.split('class="mw-allpages-chunk"', 1)
    return (
        re.findall(r'<a href="[^"]*"(?: class="mw-redirect")? title="[^"]*">([^<]*)</a>', chunk[1])
        if len(chunk) > 1
        else []
    )


def test_all_pages_in_title_order_with_from_namespace_and_paging(wiki):
    for name in ("Beta", "Alpha", "Gamma", "Delta"):
        wiki.edit(name, "x")
    wiki.edit("Shortcut", "#REDIRECT [[Alpha]]")
    wiki.edit("Talk:Alpha", "talk")
    html = html_of(wiki.client.get("/wiki/Special:AllPages"))
    assert _listed(html) == ["Alpha", "Beta", "Delta", "Gamma", "Shortcut"]
    assert 'class="allpagesredirect"' in html
    assert _listed(html_of(wiki.client.get("/wiki/Special:AllPages?from=C"))) == [
        "Delta",
        "Gamma",
        "Shortcut",
    ]
    assert _listed(html_of(wiki.client.get("/wiki/Special:AllPages/Delta"))) == ["Delta", "Gamma", "Shortcut"]
    assert _listed(html_of(wiki.client.get("/wiki/Special:AllPages?hideredirects=1")))[-1] == "Gamma"
    assert _listed(html_of(wiki.client.get("/wiki/Special:AllPages?namespace=1"))) == ["Alpha"]
    page1 = html_of(wiki.client.get("/wiki/Special:AllPages?limit=2"))
    assert _listed(page1) == ["Alpha", "Beta"]
    next_url = re.search(r'href="([^"]+)" class="mw-nextlink"', page1).group(1).replace("&amp;", "&")
    page2 = html_of(wiki.client.get(next_url))
    assert _listed(page2) == ["Delta", "Gamma"] and 'class="mw-prevlink"' in page2


def test_prefix_index_lists_pages_starting_with_the_prefix(wiki):
    for name in ("GPT-1", "GPT-2", "Gemini", "Category:GPT family"):
        wiki.edit(name, "x")
    assert _listed(html_of(wiki.client.get("/wiki/Special:PrefixIndex/GPT"))) == ["GPT-1", "GPT-2"]
    assert _listed(html_of(wiki.client.get("/wiki/Special:PrefixIndex?prefix=gPT-2"))) == ["GPT-2"]
    assert (
        _listed(html_of(wiki.client.get("/wiki/Special:PrefixIndex?prefix=gPt"))) == []
    )  # first letter only is case-folded
    assert _listed(html_of(wiki.client.get("/wiki/Special:PrefixIndex?prefix=G&from=GPT-2"))) == [
        "GPT-2",
        "Gemini",
    ]  # binary order
    assert _listed(html_of(wiki.client.get("/wiki/Special:PrefixIndex/Category:GPT"))) == [
        "Category:GPT family"
    ]


def test_random_page_is_a_content_page_and_never_a_redirect(wiki):
    wiki.edit("Only article", "x")
    wiki.edit("Only redirect", "#REDIRECT [[Only article]]")
    wiki.edit("Talk:Only article", "x")
    for _ in range(5):
        resp = wiki.client.get("/wiki/Special:Random")
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/wiki/Only_article")
    assert (
        wiki.client.get("/wiki/Special:Random/Talk").headers["Location"].endswith("/wiki/Talk:Only_article")
    )
    assert wiki.client.get("/wiki/Special:Random/Nonsense").status_code == 400


def test_random_page_on_an_empty_namespace_says_so(client):
    resp = client.get("/wiki/Special:Random/Help")
    assert resp.status_code == 404 and "no page in the Help namespace" in html_of(resp)


def test_page_list_bad_parameters_are_rejected(client):
    for url in (
        "/wiki/Special:AllPages?namespace=abc",
        "/wiki/Special:AllPages?namespace=-1",
        "/wiki/Special:AllPages?from=a[b",
        "/wiki/Special:AllPages?limit=0",
        "/wiki/Special:PrefixIndex?prefix=%7B%7B",
    ):
        resp = client.get(url)
        assert resp.status_code == 400, url
        assert "parameter" in html_of(resp)


def test_special_pages_lists_the_link_graph_pages(client):
    html = html_of(client.get("/wiki/Special:SpecialPages"))
    for name in (
        "AllPages",
        "PrefixIndex",
        "WhatLinksHere",
        "WantedPages",
        "Random",
        "Categories",
        "ListRedirects",
        "DoubleRedirects",
        "BrokenRedirects",
        "MovePage",
    ):
        assert f'href="/wiki/Special:{name}"' in html, name
