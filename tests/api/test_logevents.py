"""list=logevents: the log through the Action API, in MediaWiki's shape, filtered and continued."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import ApiClient, make_user


@pytest.fixture
def sysop(client, app) -> ApiClient:
    make_user(app, "Admin", "secret password 1", groups="sysop")
    api = ApiClient(client)
    assert api.login("Admin", "secret password 1")["result"] == "Success"
    return api


@pytest.fixture
def logged(sysop) -> ApiClient:
    """A move, a deletion and a protection by Admin, in this order."""
    sysop.edit("Start", "x")
    sysop.edit("Gone", "x")
    sysop.edit("Locked", "x")
    token = sysop.token()
    assert "move" in sysop.post(action="move", **{"from": "Start"}, to="Finish", reason="why", token=token)
    assert "delete" in sysop.post(action="delete", title="Gone", reason="spam", token=token)
    # Both kinds in one request: one log entry, as MediaWiki writes it.
    got = sysop.post(action="protect", title="Locked", protections="edit=sysop|move=sysop", token=token)
    assert "protect" in got, got
    return sysop


def test_entries_come_newest_first_in_mediawikis_shape(logged):
    got = logged.get(action="query", list="logevents")
    events = got["query"]["logevents"]
    assert [(e["type"], e["action"], e["title"]) for e in events] == [
        ("protect", "protect", "Locked"),
        ("delete", "delete", "Gone"),
        ("move", "move", "Start"),
        ("create", "create", "Locked"),  # each page created by an edit (the creation log)
        ("create", "create", "Gone"),
        ("create", "create", "Start"),
        ("newusers", "create", "User:Admin"),  # make_user creates the account as a sign-up does
    ]
    moved = events[2]
    assert list(moved) == (
        ["logid", "ns", "title", "pageid", "logpage", "params", "type", "action", "user", "timestamp"]
        + ["comment"]
    )
    assert moved["params"] == {"target_ns": 0, "target_title": "Finish"}
    assert moved["user"] == "Admin" and moved["comment"] == "why" and moved["ns"] == 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", moved["timestamp"])
    assert moved["pageid"] > 0 and moved["logpage"] > 0  # Start is now a redirect to Finish
    assert events[1]["params"] == {} and events[1]["pageid"] == 0
    protected = events[0]["params"]
    assert protected["description"] == "[edit=sysop] (indefinite) [move=sysop] (indefinite)"
    assert protected["details"] == [
        {"type": "edit", "level": "sysop", "expiry": "infinity"},
        {"type": "move", "level": "sysop", "expiry": "infinity"},
    ]
    assert got["batchcomplete"] == ""


def test_formatversion_2_shows_false_flags(logged, client):
    events = ApiClient(client, formatversion=2).get(action="query", list="logevents")["query"]["logevents"]
    assert events[0]["params"]["cascade"] is False
    assert events[2]["params"]["suppressredirect"] is False


def test_filters_by_type_action_user_and_title(logged):
    def titles(**params):
        got = logged.get(action="query", list="logevents", **params)
        return [e["title"] for e in got["query"]["logevents"]]

    assert titles(letype="delete") == ["Gone"]
    assert titles(leaction="move/move") == ["Start"]
    everything = ["Locked", "Gone", "Start", "Locked", "Gone", "Start", "User:Admin"]
    assert titles(leuser="admin") == everything
    assert titles(letype="newusers") == ["User:Admin"]
    assert titles(leuser="Someone else") == []
    assert titles(letitle="Gone") == ["Gone", "Gone"]  # deleted, created
    assert titles(letitle="Finish") == []
    assert titles(ledir="newer") == everything[::-1]


def test_continuation_walks_every_entry_once_in_both_directions(logged):
    newest_first = ["Locked", "Gone", "Start", "Locked", "Gone", "Start", "User:Admin"]
    for direction, expected in (("older", newest_first), ("newer", newest_first[::-1])):
        seen, cont = [], {}
        while True:
            got = logged.get(action="query", list="logevents", lelimit=1, ledir=direction, **cont)
            seen += [e["title"] for e in got["query"]["logevents"]]
            if "continue" not in got:
                break
            cont = got["continue"]
        assert seen == expected


@pytest.mark.parametrize(
    "params, code",
    [
        ({"letype": "bogus"}, "badvalue"),
        ({"leaction": "bogus"}, "badvalue"),
        ({"letitle": "[[bad]]"}, "invalidtitle"),
        ({"leuser": "A#b"}, "baduser_leuser"),
        ({"lelimit": "many"}, "badinteger"),
        ({"lecontinue": "garbage"}, "badcontinue"),
        ({"lecontinue": "99999999999999|1"}, "badcontinue"),
        ({"lestart": "yesterday"}, "badtimestamp"),
        ({"generator": "logevents"}, "badvalue"),
    ],
)
def test_bad_parameters_are_api_errors(client, params, code):
    got = ApiClient(client).get(action="query", list="logevents", **params)
    assert got["error"]["code"] == code, got
