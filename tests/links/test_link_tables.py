"""Links tables through HTTP: red and blue links, what links here, wanted pages."""

import re

from tests.links.conftest import content, delete, html_of, link_class


def test_red_link_turns_blue_when_target_is_created_and_red_again_when_deleted(wiki, admin):
    wiki.edit("Linker", "See [[Later page]] and [[Later page|again]].")
    html = content(wiki.view("Linker"))
    assert link_class(html, "Later page") == "new"
    assert "title=Later_page&amp;action=edit&amp;redlink=1" in html
    wiki.edit("Later page", "Now here.")
    html = content(wiki.view("Linker"))  # Linker was not saved again
    assert link_class(html, "Later page") == "" and 'href="/wiki/Later_page"' in html
    assert delete(admin, "Later_page").status_code == 200
    html = content(wiki.view("Linker"))
    assert link_class(html, "Later page") == "new"


def test_what_links_here_lists_links_redirects_with_their_linkers_and_transclusions(wiki):
    wiki.edit("Hub", "The hub.")
    wiki.edit("Direct", "Links to [[Hub]].")
    wiki.edit("Alias", "#REDIRECT [[Hub]]")
    wiki.edit("Via alias", "Links to [[Alias]].")
    wiki.edit("Embedder", "{{:Hub}}")
    wiki.edit("Talk:Hub", "About [[Hub]].")
    html = html_of(wiki.client.get("/wiki/Special:WhatLinksHere/Hub"))
    listing = html.split('id="mw-whatlinkshere-list"', 1)[1]
    assert ">Direct</a>" in listing and ">Talk:Hub</a>" in listing
    assert re.search(r">Alias</a> \(redirect page\).*?<ul>\s*<li><a [^>]*>Via alias</a>", listing, re.S)
    assert re.search(r">Embedder</a> \(transclusion\)", listing)
    only_main = html_of(wiki.client.get("/w/index.php?title=Special:WhatLinksHere&target=Hub&namespace=1"))
    assert ">Talk:Hub</a>" in only_main and ">Direct</a>" not in only_main
    no_redirects = html_of(wiki.client.get("/wiki/Special:WhatLinksHere/Hub?hideredirs=1&hidetrans=1"))
    assert ">Alias</a>" not in no_redirects and ">Embedder</a>" not in no_redirects
    assert ">Direct</a>" in no_redirects
    only_redirects = html_of(wiki.client.get("/wiki/Special:WhatLinksHere/Hub?hidelinks=1"))
    assert ">Alias</a>" in only_redirects and ">Direct</a>" not in only_redirects


def test_what_links_here_pages_through_results(wiki):
    for name in ("P1", "P2", "P3"):
        wiki.edit(name, "[[Popular]]")
    first = html_of(wiki.client.get("/wiki/Special:WhatLinksHere/Popular?limit=2"))
    assert ">P1</a>" in first and ">P2</a>" in first and ">P3</a>" not in first
    next_url = re.search(r'href="([^"]+)" class="mw-nextlink"', first).group(1).replace("&amp;", "&")
    second = html_of(wiki.client.get(next_url))
    assert ">P3</a>" in second and ">P1</a>" not in second
    assert 'class="mw-prevlink"' in second


def test_what_links_here_bad_input(client):
    assert client.get("/wiki/Special:WhatLinksHere").status_code == 200  # the form alone
    assert client.get("/wiki/Special:WhatLinksHere/Bad[title").status_code == 400
    assert client.get("/wiki/Special:WhatLinksHere/X?limit=abc").status_code == 400
    assert client.get("/wiki/Special:WhatLinksHere/X?limit=100000").status_code == 400
    resp = client.get("/wiki/Special:WhatLinksHere/X?namespace=77")
    assert resp.status_code == 400 and "namespace" in html_of(resp)
    assert "No pages link to" in html_of(client.get("/wiki/Special:WhatLinksHere/Nothing_links_here"))


def test_wanted_pages_lists_most_linked_missing_titles(wiki):
    wiki.edit("A1", "[[Much wanted]] [[Little wanted]]")
    wiki.edit("A2", "[[Much wanted]]")
    wiki.edit("A3", "[[Much wanted]] [[A1]]")
    html = html_of(wiki.client.get("/wiki/Special:WantedPages"))
    assert re.search(
        r">Much wanted</a> \(<a [^>]*>3 links</a>\).*>Little wanted</a> \(<a [^>]*>1 link</a>\)", html, re.S
    )
    assert ">A1</a>" not in html
    wiki.edit("Much wanted", "Written at last.")
    assert ">Much wanted</a>" not in html_of(wiki.client.get("/wiki/Special:WantedPages"))
    assert wiki.client.get("/wiki/Special:WantedPages?offset=-1").status_code == 400
