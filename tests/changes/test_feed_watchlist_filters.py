"""action=feedwatchlist's wlshow and wltype through HTTP: each filter changes the feed's entries, as
MediaWiki's feed hands them on to list=watchlist; its errors come back inside the feed."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from tests.api.helpers import ApiClient, logged_in, make_user

ATOM = "{http://www.w3.org/2005/Atom}"
PASSWORD = "amber-lantern-93"
PAGES = ("Fw user", "Fw minor", "Fw bot", "Fw anon", "Fw log")


def _entries(resp) -> list[tuple[str, str]]:
    """(title, kind) of each entry: kind "log", "edit" (a diff link), "new", or "error" (no link)."""
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.content_type.startswith("application/atom+xml")
    out = []
    for entry in ElementTree.fromstring(resp.get_data()).findall(ATOM + "entry"):
        found = entry.find(ATOM + "link")
        link = found.get("href") if found is not None else ""
        kind = "log" if "Special:Log" in link else "edit" if "diff=" in link else "new" if link else "error"
        out.append((entry.findtext(ATOM + "title"), kind))
    return out


@pytest.fixture
def wiki(app, client):
    """A sysop watching five pages, each last changed by a different kind of change."""
    make_user(app, "Fwatcher", PASSWORD, groups="sysop")
    watcher = ApiClient(client)
    assert watcher.login("Fwatcher", PASSWORD)["result"] == "Success"
    assert "watch" in watcher.post(action="watch", titles="|".join(PAGES), token=watcher.token("watch"))
    editor = logged_in(app, app.test_client(), "Fweditor")
    bot = logged_in(app, app.test_client(), "Fwbot", groups="bot")
    anon = ApiClient(app.test_client())
    editor.edit("Fw user", "by a registered user")
    watcher.edit("Fw minor", "one")
    editor.edit("Fw minor", "one two", minor="1")
    bot.edit("Fw bot", "by a bot", bot="1")
    anon.edit("Fw anon", "by an address")
    watcher.edit("Fw log", "to protect")
    done = watcher.post(action="protect", title="Fw log", protections="edit=sysop", token=watcher.token())
    assert "protect" in done, done
    with app.app_context():
        from wiki.access import users
        from wiki.pages import watchlist

        token = watchlist.feed_token(users.find_user("Fwatcher").id)
    return {"watcher": watcher, "editor": editor, "token": token}


def _feed(client, **query) -> list[tuple[str, str]]:
    params = {"action": "feedwatchlist", "feedformat": "atom", **query}
    return [e for e in _entries(client.get("/w/api.php", query_string=params)) if e[0] in PAGES]


def _titles(client, **query) -> set[str]:
    return {title for title, _kind in _feed(client, **query)}


def test_wlshow_filters_minor_bot_and_anonymous_changes(wiki, client):
    every = _titles(client)
    assert every == set(PAGES)
    assert _titles(client, wlshow="minor") == {"Fw minor"}
    assert _titles(client, wlshow="!minor") == every - {"Fw minor"}
    assert _titles(client, wlshow="bot") == {"Fw bot"}
    assert _titles(client, wlshow="!bot") == every - {"Fw bot"}
    assert _titles(client, wlshow="anon") == {"Fw anon"}
    assert _titles(client, wlshow="!anon") == every - {"Fw anon"}
    # Several values at once: every one must hold.
    assert _titles(client, wlshow="!minor|!bot|!anon") == {"Fw user", "Fw log"}
    assert _titles(client, wlshow="minor|anon") == set()


def test_wltype_picks_the_kinds_of_change(wiki, client):
    default = _feed(client)
    assert {kind for _t, kind in default} == {"new", "edit", "log"}
    assert _feed(client, wltype="edit") == [("Fw minor", "edit")]
    assert _feed(client, wltype="log") == [("Fw log", "log")]
    new = _feed(client, wltype="new")
    assert {t for t, _k in new} == set(PAGES) - {"Fw minor"} and {k for _t, k in new} == {"new"}
    assert sorted(_feed(client, wltype="edit|log")) == [("Fw log", "log"), ("Fw minor", "edit")]
    # Nothing here is an external or categorization change; an unknown value is dropped with a warning.
    assert _feed(client, wltype="external|categorize") == []
    assert _feed(client, wltype="external|edit|nonsense") == [("Fw minor", "edit")]


def test_wlshow_patrol_filters_for_a_patroller(wiki, client):
    unpatrolled = _titles(client, wlshow="!patrolled")
    assert {"Fw user", "Fw minor", "Fw anon"} <= unpatrolled
    patrolled = _titles(client, wlshow="patrolled")
    assert "Fw log" in patrolled and not patrolled & unpatrolled
    assert patrolled | unpatrolled == set(PAGES)
    assert _titles(client, wlshow="autopatrolled") == patrolled  # nobody has patrolled anything by hand
    assert _titles(client, wlshow="!autopatrolled") == unpatrolled


def test_wlshow_unread_follows_what_the_owner_has_seen(wiki, client):
    assert client.get("/wiki/Fw_user").status_code == 200  # the watcher sees the page
    unread, read = _titles(client, wlshow="unread"), _titles(client, wlshow="!unread")
    assert "Fw user" in read and "Fw user" not in unread
    assert "Fw anon" in unread and "Fw anon" not in read
    assert unread | read == set(PAGES) and not unread & read


def test_the_owners_token_reads_the_same_filters(wiki, app):
    anonymous = app.test_client()
    owner = {"wlowner": "Fwatcher", "wltoken": wiki["token"]}
    assert _titles(anonymous, **owner) == set(PAGES)
    assert _titles(anonymous, wlshow="anon", **owner) == {"Fw anon"}
    assert _feed(anonymous, wltype="log", **owner) == [("Fw log", "log")]


def _error(client, **query) -> str:
    params = {"action": "feedwatchlist", "feedformat": "atom", **query}
    titles = [t for t, _k in _entries(client.get("/w/api.php", query_string=params))]
    assert len(titles) == 1, titles
    return titles[0]


def test_contradictions_and_patrol_filters_without_the_right_answer_an_error_feed(wiki, app, client):
    for show in ("minor|!minor", "bot|!bot", "anon|!anon", "unread|!unread", "patrolled|!patrolled"):
        assert _error(client, wlshow=show) == "Error (show)", show
    assert _error(client, wlshow="autopatrolled|!autopatrolled") == "Error (show)"
    assert _error(client, wlshow="autopatrolled|!patrolled") == "Error (show)"  # MediaWiki's pair too
    # The patrol filters need the caller's patrol right, as list=watchlist: an anonymous reader with
    # a sysop's token has none, and neither has a plain user reading their own feed.
    owner = {"wlowner": "Fwatcher", "wltoken": wiki["token"]}
    anonymous = app.test_client()
    for show in ("patrolled", "!patrolled", "autopatrolled", "!autopatrolled|minor"):
        assert _error(anonymous, wlshow=show, **owner) == "Error (permissiondenied)", show
    editor_client = wiki["editor"].client
    assert _error(editor_client, wlshow="!patrolled") == "Error (permissiondenied)"
    # The other filters are theirs to use (their own edits watched them the pages they edited).
    assert _titles(editor_client, wlshow="minor") == {"Fw minor"}
