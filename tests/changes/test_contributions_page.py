"""Special:Contributions through HTTP: rows, filters, paging by revision id, bad input."""

from __future__ import annotations

import re

from tests.api.helpers import ApiClient, logged_in


def _titles(html: str) -> list[str]:
    return re.findall(r'class="mw-contributions-title[^"]*" title="([^"]+)"', html)


def test_contributions_rows_filters_and_paging(app, client):
    api = logged_in(app, client, "Contrib")
    api.edit("Contrib a", "one")
    api.edit("Talk:Contrib b", "two")
    api.edit("Contrib a", "one and more", minor="1", summary="see [[Talk:Contrib b]]")
    resp = client.get("/wiki/Special:Contributions/Contrib")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert _titles(html) == ["Contrib a", "Talk:Contrib b", "Contrib a"]
    assert html.count('<span class="mw-uctop">current</span>') == 2
    assert 'class="newpage"' in html and 'class="minoredit"' in html
    assert '<a href="/wiki/Talk:Contrib_b" title="Talk:Contrib b">Talk:Contrib b</a>' in html  # summary link
    assert 'class="mw-changeslist-date"' in html and "oldid=" in html
    base = "/w/index.php?title=Special:Contributions&target=Contrib"
    assert _titles(client.get(base + "&namespace=1").get_data(as_text=True)) == ["Talk:Contrib b"]
    assert _titles(client.get(base + "&namespace=1&nsInvert=1").get_data(as_text=True)) == ["Contrib a"] * 2
    assert _titles(client.get(base + "&namespace=0&associated=1").get_data(as_text=True)) == [
        "Contrib a",
        "Talk:Contrib b",
        "Contrib a",
    ]
    assert _titles(client.get(base + "&newOnly=1").get_data(as_text=True)) == ["Talk:Contrib b", "Contrib a"]
    assert _titles(client.get(base + "&topOnly=1").get_data(as_text=True)) == ["Contrib a", "Talk:Contrib b"]
    assert _titles(client.get(base + "&hideMinor=1").get_data(as_text=True)) == [
        "Talk:Contrib b",
        "Contrib a",
    ]
    assert _titles(client.get(base + "&end=2000-01-01").get_data(as_text=True)) == []
    # paging one at a time, older then back newer
    seen, url = [], base + "&limit=1"
    for _ in range(5):
        html = client.get(url).get_data(as_text=True)
        seen += _titles(html)
        more = re.search(r'href="([^"]+)" class="mw-nextlink"', html)
        if not more:
            break
        url = more.group(1).replace("&amp;", "&")
    assert seen == ["Contrib a", "Talk:Contrib b", "Contrib a"]
    newer = re.search(r'href="([^"]+)" class="mw-prevlink"', html)
    assert newer
    assert _titles(client.get(newer.group(1).replace("&amp;", "&")).get_data(as_text=True)) == [
        "Talk:Contrib b"
    ]
    # the toolbox of the user page links here
    assert "Special:Contributions/Contrib" in client.get("/wiki/User:Contrib").get_data(as_text=True)


def test_ip_contributions_and_unknown_users(client):
    ApiClient(client).edit("Ip contrib page", "by an IP")
    html = client.get("/wiki/Special:Contributions/127.0.0.1").get_data(as_text=True)
    assert _titles(html) == ["Ip contrib page"]
    resp = client.get("/wiki/Special:Contributions/Nobody_here")
    assert resp.status_code == 404
    assert 'User account "Nobody here" is not registered.' in resp.get_data(as_text=True)
    assert client.get("/wiki/Special:Contributions").status_code == 200
    # an IP range lists every address in it that edited; a range too wide is refused
    assert _titles(client.get("/wiki/Special:Contributions/127.0.0.0/24").get_data(as_text=True)) == [
        "Ip contrib page"
    ]
    empty = client.get("/wiki/Special:Contributions/10.0.0.0/24")  # a range where no one edited
    assert empty.status_code == 200 and _titles(empty.get_data(as_text=True)) == []
    assert "No changes were found matching these criteria." in empty.get_data(as_text=True)
    assert client.get("/wiki/Special:Contributions/127.0.0.0/8").status_code == 400


def test_bad_parameters_are_400(client):
    for args in (
        {"limit": "0"},
        {"limit": "501"},
        {"offset": "x"},
        {"start": "yesterday"},
        {"namespace": "77"},
        {"target": "Bad|name"},
    ):
        query = {"title": "Special:Contributions", "target": "Someone", **args}
        assert client.get("/w/index.php", query_string=query).status_code == 400, args
