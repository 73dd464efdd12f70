"""Watchlists through the Action API: action=watch, list=watchlist, list=watchlistraw, prop=info,
and watchlist= on edit, move, protect and delete — shaped as MediaWiki 1.39 answers them."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient, make_user
from tests.conftest import close_app, fresh_database_url, make_app

PASSWORD = "watch password 1"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("watch_api")
    app = make_app(fresh_database_url(database_template, folder), folder / "instance")
    for name, groups in (("Alice", ""), ("Bob", ""), ("Sysop", "sysop")):
        make_user(app, name, PASSWORD, groups=groups)
    yield app
    close_app(app)


def login(app, name: str, version: int = 2) -> ApiClient:
    api = ApiClient(app.test_client(), formatversion=version)
    assert api.login(name, PASSWORD)["result"] == "Success"
    # MediaWiki's defaults watch every page one creates or edits; these tests watch explicitly.
    done = api.post(action="options", change="watchdefault=0|watchcreations=0", token=api.token())
    assert done["options"] == "success", done
    return api


@pytest.fixture(scope="module")
def alice(app) -> ApiClient:
    return login(app, "Alice")


@pytest.fixture(scope="module")
def bob(app) -> ApiClient:
    return login(app, "Bob")


def watch(api: ApiClient, **params) -> dict:
    return api.post(action="watch", token=api.token("watch"), **params)


def raw_titles(api: ApiClient, **params) -> list[str]:
    got = api.get(action="query", list="watchlistraw", wrlimit="max", **params)
    return [item["title"] for item in got["watchlistraw"]]


def test_watch_answers_each_title_and_watches_its_talk_page(alice):
    alice.edit("Apple", "fruit")
    got = watch(alice, titles="Apple|Talk:Pear|Special:Foo|<bad>")
    assert got["batchcomplete"] is True
    by_title = {item["title"]: item for item in got["watch"]}
    assert by_title["Apple"] == {"title": "Apple", "ns": 0, "watched": True}
    assert by_title["Talk:Pear"] == {"title": "Talk:Pear", "ns": 1, "watched": True, "missing": True}
    assert by_title["Special:Foo"]["special"] is True and "watched" not in by_title["Special:Foo"]
    assert by_title["<bad>"]["invalid"] is True
    assert raw_titles(alice) == ["Apple", "Pear", "Talk:Apple", "Talk:Pear"]
    got = watch(alice, titles="Talk:Apple", unwatch="1")
    assert got["watch"] == [{"title": "Talk:Apple", "ns": 1, "unwatched": True, "missing": True}]
    assert raw_titles(alice) == ["Pear", "Talk:Pear"]


def test_watch_needs_a_token_a_post_and_an_account(app, alice):
    assert alice.post(action="watch", titles="X", token="+\\")["error"]["code"] == "badtoken"
    assert alice.post(action="watch", token=alice.token())["error"]["code"] == "missingparam"
    anon = ApiClient(app.test_client(), formatversion=2)
    assert anon.post(action="watch", titles="X", token=anon.token())["error"]["code"] == "notloggedin"
    got = alice.get(action="watch", titles="X", token=alice.token())
    assert got["error"]["code"] == "mustpostparams"  # the token in the URL, as MediaWiki answers


def test_expiry_is_read_capped_and_refused_when_bad(alice):
    got = watch(alice, titles="Brief", expiry="1 week")
    assert got["watch"][0]["watchlistexpiry"].endswith("Z")
    assert watch(alice, titles="Brief", expiry="soonish")["error"]["code"] == "badexpiry"
    assert watch(alice, titles="Brief", expiry="2001-01-01T00:00:00Z")["error"]["code"] == "badexpiry-past"
    far = watch(alice, titles="Brief", expiry="2200-01-01T00:00:00Z")["watch"][0]["watchlistexpiry"]
    assert far < "2200"  # at most a year
    info = alice.get(action="query", prop="info", inprop="watched", titles="Brief")
    assert info["query"]["pages"][0]["watched"] is True and "watchlistexpiry" in info["query"]["pages"][0]
    watch(alice, titles="Brief", unwatch="1")


def test_an_edit_by_someone_else_sets_the_notification_time_until_seen(alice, bob):
    alice.edit("Cherry", "one")
    watch(alice, titles="Cherry")
    bob.edit("Cherry", "two", summary="by bob", minor="1")
    pages = alice.get(action="query", prop="info", inprop="watched|notificationtimestamp", titles="Cherry")
    page = pages["query"]["pages"][0]
    assert page["watched"] is True and page["notificationtimestamp"].endswith("Z")
    changed = alice.get(action="query", list="watchlistraw", wrprop="changed", wrshow="changed")
    assert [(i["title"], "changed" in i) for i in changed["watchlistraw"]] == [("Cherry", True)]
    got = alice.get(
        action="query",
        list="watchlist",
        wlprop="ids|title|flags|user|userid|comment|timestamp|sizes|notificationtimestamp|expiry",
        wlshow="unread",
    )
    item = got["query"]["watchlist"][0]
    assert list(item) == [
        "type", "ns", "title", "pageid", "revid", "old_revid", "userid", "user", "bot", "new", "minor",
        "oldlen", "newlen", "timestamp", "notificationtimestamp", "comment", "expiry",
    ]  # fmt: skip
    assert (item["type"], item["user"], item["minor"], item["oldlen"], item["newlen"]) == (
        "edit",
        "Bob",
        True,
        3,
        3,
    )
    assert item["expiry"] is False
    # Own edits never notify the editor.
    alice.edit("Cherry", "three")
    assert bob.get(action="query", list="watchlist")["query"]["watchlist"] == []


def test_watchlist_lists_the_tags_of_each_change(alice, bob):
    bob.edit("Blanked plum", "some words")
    watch(alice, titles="Blanked plum")
    bob.edit("Blanked plum", "")  # tagged mw-blank
    for allrev in ("0", "1"):
        got = alice.get(action="query", list="watchlist", wlprop="title|tags", wlallrev=allrev, wllimit=50)
        tags = [i["tags"] for i in got["query"]["watchlist"] if i["title"] == "Blanked plum"]
        assert tags[0] == ["mw-blank"] and all(t == [] for t in tags[1:]), (allrev, tags)


def test_watchlist_filters_and_continues(alice, bob):
    for n in range(5):
        bob.edit(f"Fig {n}", "first")
    for n in range(5):
        bob.edit(f"Fig {n}", f"text {n}", **({"minor": "1"} if n % 2 else {}))
    watch(alice, titles="|".join(f"Fig {n}" for n in range(5)))
    seen, cont = [], {}
    while True:
        got = alice.get(action="query", list="watchlist", wllimit=2, wlnamespace=0, wluser="Bob", **cont)
        seen += [i["title"] for i in got["query"]["watchlist"] if i["title"].startswith("Fig")]
        if "continue" not in got:
            break
        cont = {"wlcontinue": got["continue"]["wlcontinue"], "continue": got["continue"]["continue"]}
    assert seen == [f"Fig {n}" for n in range(4, -1, -1)]
    minor = alice.get(action="query", list="watchlist", wlshow="minor", wllimit=50)["query"]["watchlist"]
    assert {i["title"] for i in minor} == {"Fig 1", "Fig 3"}  # latest change per page only
    assert alice.get(action="query", list="watchlist", wlshow="minor|!minor")["error"]["code"] == "show"
    assert alice.get(action="query", list="watchlist", wlprop="patrol")["error"]["code"] == "patrol"
    assert alice.get(action="query", list="watchlist", wlcontinue="x|y")["error"]["code"] == "badcontinue"
    mixed = alice.get(action="query", list="watchlist", wluser="Bob", wlexcludeuser="Bob")
    assert mixed["error"]["code"] == "invalidparammix"
    excluded = alice.get(action="query", list="watchlist", wlexcludeuser="Bob", wllimit=50)
    assert all(i["title"] != "Fig 1" for i in excluded["query"]["watchlist"])
    # As a generator: the watched pages' info.
    gen = alice.get(action="query", generator="watchlistraw", gwrnamespace=0, gwrlimit=50, prop="info")
    assert "Fig 3" in {p["title"] for p in gen["query"]["pages"]}


def test_watchlistraw_pages_by_key_and_bounds(alice):
    watch(alice, titles="Kiwi|Lemon|Mango")
    first = alice.get(action="query", list="watchlistraw", wrlimit=1, wrnamespace=0, wrfromtitle="Kiwi")
    assert [i["title"] for i in first["watchlistraw"]] == ["Kiwi"]
    cont = first["continue"]["wrcontinue"]
    assert cont == "0|Lemon"
    nxt = alice.get(action="query", list="watchlistraw", wrlimit=1, wrnamespace=0, wrcontinue=cont)
    assert [i["title"] for i in nxt["watchlistraw"]] == ["Lemon"]
    bounded = raw_titles(alice, wrnamespace=0, wrfromtitle="Kiwi", wrtotitle="Lemon")
    assert bounded == ["Kiwi", "Lemon"]
    backwards = raw_titles(alice, wrnamespace=0, wrdir="descending", wrtotitle="Lemon", wrfromtitle="Mango")
    assert backwards == ["Mango", "Lemon"]
    assert alice.get(action="query", list="watchlistraw", wrcontinue="zz")["error"]["code"] == "badcontinue"


def test_another_users_watchlist_needs_their_token(app, alice, bob):
    watch(alice, titles="Secret plans")
    for module, prefix in (("watchlist", "wl"), ("watchlistraw", "wr")):
        wrong = bob.get(action="query", list=module, **{f"{prefix}owner": "Alice", f"{prefix}token": "guess"})
        assert wrong["error"]["code"] == "bad_wltoken"
        empty = bob.get(action="query", list=module, **{f"{prefix}owner": "Alice", f"{prefix}token": ""})
        assert empty["error"]["code"] == "bad_wltoken"
        # Without a token the owner is ignored, as in MediaWiki: Bob reads his own list.
        none = bob.get(action="query", list=module, **{f"{prefix}owner": "Alice", f"{prefix}limit": 500})
        assert "Secret plans" not in str(none)
        ghost = bob.get(
            action="query", list=module, **{f"{prefix}owner": "Nobody here", f"{prefix}token": "x"}
        )
        assert ghost["error"]["code"] == "bad_wlowner"
    anon = ApiClient(app.test_client(), formatversion=2)
    assert anon.get(action="query", list="watchlist")["error"]["code"] == "notloggedin"
    assert anon.get(action="query", list="watchlistraw")["error"]["code"] == "notloggedin"
    info = anon.get(action="query", prop="info", inprop="watched|watchers", titles="Secret plans")
    assert "watched" not in info["query"]["pages"][0] and "watchers" not in info["query"]["pages"][0]
    mine = bob.get(action="query", prop="info", inprop="watched|watchers", titles="Secret plans")
    assert mine["query"]["pages"][0]["watched"] is False and "watchers" not in mine["query"]["pages"][0]
    with app.app_context():
        from wiki.access import users
        from wiki.pages import watchlist

        token = watchlist.feed_token(users.find_user("Alice").id)
    right = anon.get(action="query", list="watchlistraw", wrowner="Alice", wrtoken=token, wrlimit=500)
    assert "Secret plans" in [i["title"] for i in right["watchlistraw"]]


def test_watchers_are_counted_for_sysops(app, alice, bob):
    watch(alice, titles="Popular")
    watch(bob, titles="Popular")
    sysop = login(app, "Sysop")
    got = sysop.get(action="query", prop="info", inprop="watchers", titles="Popular|Lonely")
    counts = {p["title"]: p["watchers"] for p in got["query"]["pages"]}
    assert counts == {"Popular": 2, "Lonely": 0}


def test_watchlist_parameter_of_edit_move_protect_delete(app, alice):
    got = alice.edit("Grape", "x", watchlist="watch", watchlistexpiry="1 month")
    assert got["edit"]["watched"] is True and got["edit"]["watchlistexpiry"].endswith("Z")
    assert "Grape" in raw_titles(alice)
    got = alice.edit("Grape", "y", watchlist="unwatch")
    assert "watched" not in got["edit"] and "Grape" not in raw_titles(alice)
    assert alice.edit("Grape", "z", watchlist="maybe")["error"]["code"] == "badvalue"
    refused = alice.edit("Grape", "never saved", watchlist="watch", watchlistexpiry="bogus")
    assert refused["error"]["code"] == "badexpiry"
    text = alice.get(action="query", prop="revisions", rvprop="content", rvslots="main", titles="Grape")
    assert text["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"] == "y"
    # Preferences (turned off for these users): nothing changes; an already watched page stays watched.
    assert "watched" not in alice.edit("Grape", "w")["edit"]
    watch(alice, titles="Grape")
    assert alice.edit("Grape", "v")["edit"]["watched"] is True
    # A move carries every watcher to the new title (and talk page); watchlist= watches both.
    bob = login(app, "Bob")
    watch(bob, titles="Grape")
    moved = alice.post(
        action="move", **{"from": "Grape"}, to="Raisin", token=alice.token(), watchlist="nochange"
    )
    assert "move" in moved, moved
    assert {"Grape", "Raisin", "Talk:Raisin"} <= set(raw_titles(bob))
    sysop = login(app, "Sysop")
    sysop.edit("Plum", "x")
    got = sysop.post(
        action="protect", title="Plum", protections="edit=sysop", token=sysop.token(), watchlist="watch"
    )
    assert "protect" in got and raw_titles(sysop) == ["Plum", "Talk:Plum"]
    got = sysop.post(action="delete", title="Plum", token=sysop.token(), watchlist="nochange")
    assert "delete" in got and raw_titles(sysop) == ["Plum", "Talk:Plum"]  # deletions keep watchers


def test_tokens_and_paraminfo_know_watch(alice):
    tokens = alice.get(action="query", meta="tokens", type="watch")["query"]["tokens"]
    assert tokens["watchtoken"].endswith("+\\")
    info = alice.get(action="paraminfo", modules="watch|query+watchlist|query+watchlistraw")
    names = {m["name"] for m in info["paraminfo"]["modules"]}
    assert names == {"watch", "watchlist", "watchlistraw"}


def test_an_expired_watch_is_gone_and_anonymous_edits_notify(app, alice):
    alice.edit("Short lived", "x")
    watch(alice, titles="Short lived", expiry="1 day")
    with app.app_context():
        from sqlalchemy import update

        from wiki.extensions import db
        from wiki.models import WatchedItem, utcnow

        db.session.execute(
            update(WatchedItem).where(WatchedItem.title == "Short_lived").values(expiry=utcnow())
        )
        db.session.commit()
    assert "Short lived" not in raw_titles(alice)
    info = alice.get(action="query", prop="info", inprop="watched", titles="Short lived")
    assert info["query"]["pages"][0]["watched"] is False
    watch(alice, titles="Anon target")
    anon = ApiClient(app.test_client(), formatversion=2)
    first = anon.edit("Anon target", "by an address")
    assert first["edit"]["result"] == "Success"
    anon.edit("Anon target", "again")
    got = alice.get(
        action="query", list="watchlist", wlprop="title|user|notificationtimestamp", wlshow="anon|unread"
    )
    rows = [r for r in got["query"]["watchlist"] if r["title"] == "Anon target"]
    assert rows and rows[0]["anon"] is True and rows[0]["user"] == "127.0.0.1"
    raw = alice.get(action="query", list="watchlistraw", wrprop="changed", wrnamespace=0)
    changed = {i["title"]: i.get("changed") for i in raw["watchlistraw"]}
    assert changed["Anon target"] == first["edit"]["newtimestamp"]  # the first unseen change


def test_watchlist_lists_older_to_newer_with_bounds_and_all_revisions(alice, bob):
    for n in range(3):
        bob.edit("Quince", f"version {n}")
    watch(alice, titles="Quince")
    params = {"action": "query", "list": "watchlist", "wlprop": "ids|title|timestamp", "wlallrev": "1"}
    every = alice.get(**params, wllimit=500)["query"]["watchlist"]
    quince = [i["revid"] for i in every if i["title"] == "Quince"]
    assert len(quince) == 3 and quince == sorted(quince, reverse=True)
    latest = alice.get(action="query", list="watchlist", wlprop="ids|title", wllimit=500)["query"][
        "watchlist"
    ]
    assert [i["revid"] for i in latest if i["title"] == "Quince"] == [quince[0]]
    seen, cont = [], {}
    while True:
        got = alice.get(**params, wldir="newer", wllimit=1, **cont)
        seen += [i["revid"] for i in got["query"]["watchlist"] if i["title"] == "Quince"]
        if "continue" not in got:
            break
        cont = {"wlcontinue": got["continue"]["wlcontinue"]}
    assert seen == sorted(quince)
    newest = next(i["timestamp"] for i in every if i["revid"] == quince[0])
    after = alice.get(**params, wldir="newer", wlstart=newest, wllimit=500)["query"]["watchlist"]
    assert quince[0] in [i["revid"] for i in after]
    before = alice.get(**params, wlend=newest, wlstart="2000-01-01T00:00:00Z", wldir="newer", wllimit=500)
    stamps = [i["timestamp"] for i in before["query"]["watchlist"]]
    assert stamps and stamps == sorted(stamps) and max(stamps) <= newest


def test_a_timestamp_bound_takes_in_its_whole_second(app, alice, bob):
    """Stored times have microseconds, the API's whole seconds: three edits made within one second
    are all inside wlend (newer) or wlstart (older) set to that second, as in MediaWiki. (This
    once depended on whether the edits happened to straddle a second.)"""
    from datetime import datetime

    revs = [bob.edit("Same second", f"v{n}")["edit"]["newrevid"] for n in range(3)]
    watch(alice, titles="Same second")
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import RecentChange

        for n, rev in enumerate(revs):
            when = datetime(2026, 5, 4, 12, 0, 0, 100_000 * (n + 1))
            db.session.execute(
                db.update(RecentChange).where(RecentChange.rev_id == rev).values(timestamp=when)
            )
        db.session.commit()
    params = {"action": "query", "list": "watchlist", "wlprop": "ids|title", "wlallrev": "1", "wllimit": 500}
    second, before = "2026-05-04T12:00:00Z", "2026-05-04T11:59:59Z"

    def listed(**bounds) -> list[int]:
        rows = alice.get(**params, **bounds)["query"]["watchlist"]
        return [i["revid"] for i in rows if i["title"] == "Same second"]

    assert listed(wldir="newer", wlstart="2000-01-01T00:00:00Z", wlend=second) == revs
    assert listed(wldir="older", wlstart=second, wlend="2000-01-01T00:00:00Z") == revs[::-1]
    assert listed(wldir="newer", wlstart=second, wlend=second) == revs
    assert listed(wldir="newer", wlend=before) == []
    assert listed(wldir="older", wlstart=before) == []


def test_the_deprecated_title_parameter_watches_one_page(app, alice):
    """MediaWiki 1.39 still takes `title=` (one page, answered as one object, with a warning)."""
    v1 = login(app, "Alice", version=1)
    got = v1.post(action="watch", title="Deprecated one", token=v1.token("watch"))
    assert got["watch"] == {"title": "Deprecated one", "ns": 0, "watched": ""}
    assert "deprecated" in str(got["warnings"]["watch"])
    assert "Deprecated one" in raw_titles(alice)
    got = watch(alice, title="Deprecated one", unwatch="1")
    assert got["watch"] == {"title": "Deprecated one", "ns": 0, "unwatched": True}
    assert "Deprecated one" not in raw_titles(alice)
    assert watch(alice, title="A", titles="B")["error"]["code"] == "invalidparammix"
    assert watch(alice, title="Special:Foo")["error"]["code"] == "invalidtitle"
    assert watch(alice, title="<bad>")["error"]["code"] == "invalidtitle"


def test_watchlist_filters_by_patrol_state_for_patrollers(app, bob):
    """wlshow=patrolled|!patrolled|autopatrolled|!autopatrolled, for those with the patrol right."""
    sysop = login(app, "Sysop")
    bob.edit("Sloe", "by a user")  # a new account's edit: unpatrolled
    sysop.edit("Damson", "by a sysop")  # autopatrolled
    watch(sysop, titles="Sloe|Damson")

    def shown(show: str) -> set[str]:
        got = sysop.get(action="query", list="watchlist", wlshow=show, wlprop="title|patrol", wllimit=50)
        return {i["title"] for i in got["query"]["watchlist"]} & {"Sloe", "Damson"}

    assert shown("!patrolled") == {"Sloe"} and shown("patrolled") == {"Damson"}
    assert shown("autopatrolled") == {"Damson"} and shown("!autopatrolled") == {"Sloe"}
    assert shown("patrolled|!autopatrolled") == set()  # patrolled by someone: none yet
    contradictory = sysop.get(action="query", list="watchlist", wlshow="!patrolled|autopatrolled")
    assert contradictory["error"]["code"] == "show"  # MediaWiki refuses this pair as contradictory
    unpatroller = bob.get(action="query", list="watchlist", wlshow="!patrolled")
    assert unpatroller["error"]["code"] == "permissiondenied"  # MediaWiki's code for the patrol filters
    rcid = sysop.get(action="query", list="recentchanges", rctitle="Sloe", rcprop="ids")["query"]
    patrolled = sysop.post(
        action="patrol", rcid=rcid["recentchanges"][0]["rcid"], token=sysop.token("patrol")
    )
    assert "patrol" in patrolled, patrolled
    assert shown("patrolled|!autopatrolled") == {"Sloe"} and shown("!patrolled") == set()
