"""action=move with movetalk and movesubpages."""

from __future__ import annotations

from tests.api.helpers import ApiClient, make_user


def test_move_takes_the_talk_page_and_subpages_along(app):
    make_user(app, "Mover3", "amber-lantern-93")
    api = ApiClient(app.test_client())
    api.login("Mover3", "amber-lantern-93")
    for title in ("Mv 1", "Talk:Mv 1", "Mv 1/Sub", "Mv 1/Sub/Deeper", "Talk:Mv 1/Sub"):
        api.edit(title, "x")
    out = api.post(
        action="move", **{"from": "Mv 1"}, to="Mv 2", movetalk=1, movesubpages=1, token=api.token()
    )["move"]
    assert (out["talkfrom"], out["talkto"]) == ("Talk:Mv 1", "Talk:Mv 2")
    assert [(s["from"], s["to"]) for s in out["subpages"]] == [
        ("Mv 1/Sub", "Mv 2/Sub"),
        ("Mv 1/Sub/Deeper", "Mv 2/Sub/Deeper"),
    ]
    assert [(s["from"], s["to"]) for s in out["subpages-talk"]] == [("Talk:Mv 1/Sub", "Talk:Mv 2/Sub")]
    info = api.get(action="query", titles="Mv 2/Sub/Deeper|Talk:Mv 2", prop="info")["query"]["pages"]
    assert all("missing" not in p for p in info.values())
    plain = api.post(action="move", **{"from": "Mv 2"}, to="Mv 3", token=api.token())["move"]
    assert "talkfrom" not in plain and "subpages" not in plain
