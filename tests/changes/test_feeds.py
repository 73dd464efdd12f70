"""Atom and RSS feeds through HTTP: RecentChanges, history, contributions, new pages, the watchlist."""

from __future__ import annotations

from xml.etree import ElementTree

from tests.api.helpers import ApiClient, logged_in, make_user

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom_titles(resp) -> list[str]:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.content_type.startswith("application/atom+xml")
    root = ElementTree.fromstring(resp.get_data())
    return [e.findtext(ATOM + "title") for e in root.findall(ATOM + "entry")]


def _rss_titles(resp) -> list[str]:
    assert resp.status_code == 200
    assert resp.content_type.startswith("application/rss+xml")
    root = ElementTree.fromstring(resp.get_data())
    return [i.findtext("title") for i in root.iter("item")]


def test_feeds_of_changes_history_and_contributions(app, client):
    api = logged_in(app, client, "Feeder")
    api.edit("Feed page", "one")
    api.edit("Feed page", "one two", summary="[[Feed other]] <script>")
    api.edit("Feed other", "x")
    get = client.get
    assert _atom_titles(get("/w/index.php?title=Special:RecentChanges&feed=atom"))[:3] == [
        "Feed other",
        "Feed page",
        "Feed page",
    ]
    assert _rss_titles(get("/w/index.php?title=Special:RecentChanges&feed=rss"))[:3] == [
        "Feed other",
        "Feed page",
        "Feed page",
    ]
    assert _atom_titles(
        get("/w/index.php?title=Special:RecentChanges&feed=atom&hidenewpages=1&hidelog=1")
    ) == ["Feed page"]
    body = get("/w/index.php?title=Special:RecentChanges&feed=atom").get_data(as_text=True)
    assert "&amp;lt;script&amp;gt;" in body and "<script>" not in body  # escaped twice: HTML inside XML
    assert _atom_titles(get("/w/index.php?title=Feed_page&action=history&feed=atom")) == [
        "Feed page",
        "Feed page",
    ]
    assert _rss_titles(get("/w/index.php?title=Special:Contributions/Feeder&feed=rss")) == [
        "Feed other",
        "Feed page",
        "Feed page",
    ]
    api_feed = get("/w/api.php?action=feedrecentchanges&feedformat=atom&namespace=0&limit=2")
    assert _atom_titles(api_feed) == ["Feed other", "Feed page"]
    assert _rss_titles(get("/w/api.php?action=feedcontributions&user=Feeder")) == [
        "Feed other",
        "Feed page",
        "Feed page",
    ]
    assert _atom_titles(get("/w/api.php?action=feedcontributions&user=Feeder&feedformat=atom&newonly=1")) == [
        "Feed other",
        "Feed page",
    ]
    # the pages name their feeds in <head>
    assert 'type="application/atom+xml"' in get("/wiki/Feed_page").get_data(as_text=True)
    history = get("/w/index.php?title=Feed_page&action=history").get_data(as_text=True)
    assert "action=history&amp;feed=atom" in history


def test_bad_feed_requests(client):
    ApiClient(client).edit("Feed bad", "x")
    assert client.get("/w/index.php?title=Special:RecentChanges&feed=xml").status_code == 400
    assert client.get("/w/index.php?title=Feed_bad&action=history&feed=nope").status_code == 400
    assert client.get("/w/api.php?action=feedrecentchanges&feedformat=xml&format=json").get_json()["error"][
        "code"
    ] == ("badvalue")
    assert (
        client.get("/w/api.php?action=feedcontributions&format=json").get_json()["error"]["code"]
        == "missingparam"
    )
    limited = client.get("/w/api.php?action=feedrecentchanges&feedformat=atom&limit=51&format=json")
    assert limited.get_json()["error"]["code"] == "integeroutofrange"  # at most 50 entries


def test_watchlist_feed_refuses_without_a_valid_token(client):
    for query in ("wlowner=Someone&wltoken=bad", "wlowner=Someone", ""):
        resp = client.get(f"/w/api.php?action=feedwatchlist&feedformat=atom&{query}")
        titles = _atom_titles(resp)
        assert titles and titles[0].startswith("Error ("), (query, titles)


def test_watchlist_feed_lists_the_owners_watched_changes_with_their_token(app, client):
    make_user(app, "Feedwatcher", "amber-lantern-93")
    make_user(app, "Feededitor", "amber-lantern-93")
    watcher, editor = ApiClient(app.test_client()), ApiClient(app.test_client())
    watcher.login("Feedwatcher", "amber-lantern-93")
    editor.login("Feededitor", "amber-lantern-93")
    editor.edit("Watched in feed", "one")
    editor.edit("Not watched in feed", "one")
    assert "watch" in watcher.post(action="watch", titles="Watched in feed", token=watcher.token("watch"))
    editor.edit("Watched in feed", "one two")
    editor.edit("Not watched in feed", "one two")
    with app.app_context():
        from wiki.access import users
        from wiki.pages import watchlist

        token = watchlist.feed_token(users.find_user("Feedwatcher").id)
    titles = _atom_titles(
        client.get(f"/w/api.php?action=feedwatchlist&feedformat=atom&wlowner=Feedwatcher&wltoken={token}")
    )
    assert any("Watched in feed" in t for t in titles) and not any("Not watched" in t for t in titles)
    refused = _atom_titles(
        client.get("/w/api.php?action=feedwatchlist&feedformat=atom&wlowner=Feedwatcher&wltoken=x")
    )
    assert refused[0].startswith("Error (")


def _atom_entries(resp) -> list[tuple[str, str]]:
    """(title, link) of each entry."""
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    root = ElementTree.fromstring(resp.get_data())
    return [
        (e.findtext(ATOM + "title"), e.find(ATOM + "link").get("href")) for e in root.findall(ATOM + "entry")
    ]


def test_watchlist_feed_honours_hours_allrev_and_linktosections(app, client):
    from datetime import timedelta

    make_user(app, "Hourwatcher", "amber-lantern-93")
    watcher = ApiClient(client)
    watcher.login("Hourwatcher", "amber-lantern-93")
    editor = logged_in(app, app.test_client(), "Houreditor")
    assert "watch" in watcher.post(action="watch", titles="Hour page|Old page", token=watcher.token("watch"))
    old = editor.edit("Old page", "long ago")["edit"]["newrevid"]
    revs = [
        editor.edit("Hour page", f"v{n}", summary=f"/* Part {n} */ step")["edit"]["newrevid"]
        for n in range(3)
    ]
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import RecentChange, Revision, utcnow

        ages = {old: timedelta(hours=30), revs[0]: timedelta(hours=80), revs[1]: timedelta(hours=2)}
        for rev_id, age in ages.items():
            for model, column in ((RecentChange, RecentChange.rev_id), (Revision, Revision.id)):
                db.session.execute(db.update(model).where(column == rev_id).values(timestamp=utcnow() - age))
        db.session.commit()

    def feed(**query) -> list[tuple[str, str]]:
        resp = client.get(
            "/w/api.php", query_string={"action": "feedwatchlist", "feedformat": "atom", **query}
        )
        return _atom_entries(resp)

    def rev_of(link: str) -> int:
        return int(link.split("diff=")[1].split("&")[0].split("#")[0]) if "diff=" in link else -1

    # Default: the last 24 hours, the latest change of each page only.
    assert [(t, rev_of(link)) for t, link in feed()] == [("Hour page", revs[2])]
    # allrev: every revision of the last 24 hours, newest first.
    assert [rev_of(link) for _t, link in feed(allrev="1")] == [revs[2], revs[1]]
    # hours=48 reaches the Old page edit; 72 at most: 100 is read as 72 (not 80 hours back).
    assert [t for t, _l in feed(hours="48")] == ["Hour page", "Old page"]
    assert [rev_of(link) for _t, link in feed(hours="100", allrev="1") if _t == "Hour page"] == revs[:0:-1]
    assert len(feed(hours="0")) == 1  # at least one hour
    # linktosections: the link goes to the section the summary names.
    links = [link for _t, link in feed(allrev="1", linktosections="1")]
    assert [link.rsplit("#", 1)[1] for link in links] == ["Part_2", "Part_1"]
    assert all("#" not in link for _t, link in feed(allrev="1"))
    bad = client.get(
        "/w/api.php", query_string={"action": "feedwatchlist", "hours": "soon", "format": "json"}
    )
    assert bad.get_json()["error"]["code"] == "badinteger"


def test_watchlist_feed_names_no_section_of_a_hidden_summary(app, client):
    make_user(app, "Hider", "amber-lantern-93", groups="sysop")
    api = ApiClient(client)
    api.login("Hider", "amber-lantern-93")
    assert "watch" in api.post(action="watch", titles="Hidden section", token=api.token("watch"))
    api.edit("Hidden section", "one")
    rev = api.edit("Hidden section", "two", summary="/* Secret plans */ more")["edit"]["newrevid"]
    query = {"action": "feedwatchlist", "feedformat": "atom", "allrev": "1", "linktosections": "1"}

    def edit_link() -> str:
        entries = _atom_entries(client.get("/w/api.php", query_string=query))
        return next(link for _t, link in entries if f"diff={rev}&" in link)

    assert edit_link().endswith("#Secret_plans")
    hidden = api.post(
        action="revisiondelete", type="revision", ids=str(rev), hide="comment", token=api.token()
    )
    assert hidden["revisiondelete"]["status"] == "Success", hidden
    assert "#" not in edit_link() and "Secret" not in edit_link()
