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


def test_a_line_is_mediawikis(app, client):
    api = logged_in(app, client, "Liner")
    first = api.edit("Line page", "one", summary="")["edit"]["newrevid"]
    second = api.edit("Line page", "one" + "x" * 600, summary="/* Sec */ grown", minor="1")["edit"][
        "newrevid"
    ]
    with app.app_context():
        from wiki import recent
        from wiki.extensions import db
        from wiki.models import RecentChange

        row = db.session.scalars(db.select(RecentChange).where(RecentChange.rev_id == second)).one()
        recent.add_tags(["mw-undo", "mw-replace"], rc_id=row.id, rev_id=second)
        db.session.commit()
    html = client.get("/wiki/Special:Contributions/Liner").get_data(as_text=True)
    html = re.sub(r'(class="mw-changeslist-date" title="Line page">)[^<]+<', r"\1WHEN<", html)
    page = "/w/index.php?title=Line_page"
    links = (
        '<span class="mw-changeslist-links">(<span>{diff}</span> | <span><a href="/w/index.php?'
        'title=Line_page&amp;action=history" class="mw-changeslist-history" title="Line page">hist</a>'
        "</span>)</span> "
        '<bdi><a href="/w/index.php?title=Line_page&amp;oldid={rev}" class="mw-changeslist-date" '
        'title="Line page">WHEN</a></bdi> . . '
    )
    title = (
        '<bdi><a href="/wiki/Line_page" class="mw-contributions-title" title="Line page">Line page</a></bdi> '
    )
    diff = f'<a href="{page}&amp;diff=prev&amp;oldid={second}" class="mw-changeslist-diff" title="Line page">'
    diff += "diff</a>"
    newest = (
        f'<li data-mw-revid="{second}" class="mw-contributions-current">'
        + links.format(diff=diff, rev=second)
        + '<strong dir="ltr" class="mw-plusminus-pos mw-diff-bytes" title="603 bytes after change">'
        + "(+600)</strong> . . "
        + '<abbr class="minoredit" title="This is a minor edit">m</abbr> '
        + title
        + '<span class="comment">(<span dir="auto"><span class="autocomment"><a href="/wiki/Line_page#Sec" '
        + 'title="Line page">\u2192\u200eSec</a>: </span> grown</span>)</span> '
        + '<span class="mw-uctop">current</span> '
        + '<span class="mw-tag-markers"><a href="/wiki/Special:Tags" title="Special:Tags">Tags</a>: '
        + '<span class="mw-tag-marker mw-tag-marker-mw-replace">mw-replace</span>, '
        + '<span class="mw-tag-marker mw-tag-marker-mw-undo">mw-undo</span></span>'
        + ' <span class="mw-changeslist-links mw-history-tools">(<span class="mw-history-undo"><a href="'
        + f'{page}&amp;action=edit&amp;undoafter={first}&amp;undo={second}" title="Line page">undo</a>'
        + "</span>)</span></li>"
    )
    assert newest in html
    created = re.search(rf'<li data-mw-revid="{first}">.*?</li>', html)
    assert created
    assert created.group(0).startswith(f'<li data-mw-revid="{first}">' + links.format(diff="diff", rev=first))
    assert (
        '<span dir="ltr" class="mw-plusminus-pos mw-diff-bytes" title="3 bytes after change">(+3)</span> . . '
        in created.group(0)
    )
    assert "mw-history-undo" not in created.group(0)  # a page's creation has nothing to undo
    assert '<abbr class="newpage" title="This edit created a new page">N</abbr> ' + title in created.group(0)


def test_a_hidden_summary_is_removed_or_struck(app, client):
    from tests.review.helpers import api_client

    editor = api_client(app, "Hider")
    editor.edit("Hidden line", "one", summary="plain words")
    secret = editor.edit("Hidden line", "two", summary="Qxsecret words")["edit"]["newrevid"]
    admin = api_client(app, "Hideadmin", "sysop")
    done = admin.post(
        action="revisiondelete", type="revision", ids=str(secret), hide="comment", token=admin.token()
    )
    assert done["revisiondelete"]["status"] == "Success"
    html = client.get("/wiki/Special:Contributions/Hider").get_data(as_text=True)
    line = re.search(rf'<li data-mw-revid="{secret}".*?</li>', html)
    assert line and "Qxsecret" not in html and "plain words" in html
    assert (
        '<span class="history-deleted comment"> <span class="comment">(edit summary removed)</span></span>'
        in line.group(0)
    )
    seen = admin.client.get("/wiki/Special:Contributions/Hider").get_data(as_text=True)
    assert '<span class="history-deleted"><span class="comment">(Qxsecret words)</span></span>' in seen


def _walk(client, url: str, link: str) -> tuple[list[str], str]:
    """The titles of every page from `url` on, following the `link` ("mw-nextlink"), and the last page."""
    seen: list[str] = []
    for _ in range(10):
        html = client.get(url).get_data(as_text=True)
        seen += _titles(html)
        more = re.search(rf'href="([^"]+)" class="{link}"', html)
        if not more:
            return seen, html
        url = more.group(1).replace("&amp;", "&")
    raise AssertionError("paging did not end")


def test_dates_bound_the_time_not_the_ids(app, client):
    # Ids and times disagree, as after an import: "Dated 6" is the newest id and among the oldest times.
    api = logged_in(app, client, "Dater")
    ids = [api.edit(f"Dated {n}", "x")["edit"]["newrevid"] for n in range(1, 7)]
    days = [1, 3, 2, 4, 10, 2]
    with app.app_context():
        from datetime import datetime

        from wiki.extensions import db
        from wiki.models import Revision

        for rev_id, day in zip(ids, days, strict=True):
            db.session.execute(
                db.update(Revision).where(Revision.id == rev_id).values(timestamp=datetime(2001, 1, day, 12))
            )
        db.session.commit()
    base = "/w/index.php?title=Special:Contributions&target=Dater&start=2001-01-02&end=2001-01-04"
    inside = ["Dated 6", "Dated 4", "Dated 3", "Dated 2"]  # by id, newest first
    assert _titles(client.get(base).get_data(as_text=True)) == inside
    seen, last = _walk(client, base + "&limit=1", "mw-nextlink")
    assert seen == inside
    newer = re.search(r'href="([^"]+)" class="mw-prevlink"', last)
    assert newer
    back, _first = _walk(client, newer.group(1).replace("&amp;", "&"), "mw-prevlink")
    assert back == inside[-2::-1]
    assert _titles(client.get(base + "&limit=3&dir=prev").get_data(as_text=True)) == inside[1:]  # the oldest
    assert _titles(client.get(base.replace("start=2001-01-02&", "")).get_data(as_text=True)) == [
        "Dated 6", "Dated 4", "Dated 3", "Dated 2", "Dated 1"
    ]  # fmt: skip
    assert _titles(client.get(base.replace("&end=2001-01-04", "")).get_data(as_text=True)) == [
        "Dated 6", "Dated 5", "Dated 4", "Dated 3", "Dated 2"
    ]  # fmt: skip
    feed = client.get(base + "&feed=atom").get_data(as_text=True)
    assert re.findall(r"<title>(Dated \d)</title>", feed) == inside
    # list=usercontribs: start and end swap with the direction, as in MediaWiki
    newest_first = {"ucstart": "2001-01-04T23:59:59Z", "ucend": "2001-01-02T00:00:00Z"}
    oldest_first = {"ucstart": "2001-01-02T00:00:00Z", "ucend": "2001-01-04T23:59:59Z", "ucdir": "newer"}
    for bounds, expected in ((newest_first, inside), (oldest_first, inside[::-1])):
        seen, cont = [], {}
        for _ in range(5):
            params = {"ucuser": "Dater", "uclimit": "3", **bounds, **cont}
            reply = api.get(action="query", list="usercontribs", **params)
            seen += [row["title"] for row in reply["query"]["usercontribs"]]
            if "continue" not in reply:
                break
            cont = {"uccontinue": reply["continue"]["uccontinue"]}
        assert seen == expected
