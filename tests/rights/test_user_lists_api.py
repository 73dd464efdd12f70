"""list=allusers, list=users and meta=userinfo: every group's members, rights and counts as MediaWiki
answers them."""

from __future__ import annotations

import pytest

from tests.rights.conftest import api, make


@pytest.fixture(scope="module")
def people(app):
    for name, groups in (
        ("Alice", "sysop bureaucrat"),
        ("Botty", "bot"),
        ("Carol", ""),
        ("Dave", "rollbacker"),
        ("Eve", ""),
    ):
        make(app, name, groups)
    carol = api(app, "Carol")
    for i in range(3):
        assert carol.edit(f"Carol page {i}", "text")["edit"]["result"] == "Success"
    return carol


def _all(client, **params) -> list[dict]:
    return client.get(action="query", list="allusers", **params)["query"]["allusers"]


def test_allusers_lists_in_name_order_and_pages(app, people):
    names = [u["name"] for u in _all(people, aulimit=50)]
    assert names == sorted(names) and {"Alice", "Botty", "Carol", "Dave", "Eve"} <= set(names)
    first = people.get(action="query", list="allusers", aulimit=2)
    assert len(first["query"]["allusers"]) == 2
    nxt = first["continue"]["aufrom"]
    second = _all(people, aulimit=2, aufrom=nxt)
    assert second[0]["name"] == nxt and second[0]["name"] not in [
        u["name"] for u in first["query"]["allusers"]
    ]
    assert [u["name"] for u in _all(people, auprefix="Ca")] == ["Carol"]
    assert [u["name"] for u in _all(people, aufrom="D", auto="E", aulimit=50)][0] == "Dave"
    assert _all(people, aufrom="Dave", audir="descending", aulimit=1)[0]["name"] == "Dave"


def test_allusers_filters_by_group_rights_and_edits(app, people):
    assert [u["name"] for u in _all(people, augroup="bot")] == ["Botty"]
    assert [u["name"] for u in _all(people, augroup="sysop|rollbacker")] == ["Alice", "Dave"]
    assert "Alice" not in [u["name"] for u in _all(people, auexcludegroup="sysop", aulimit=50)]
    assert [u["name"] for u in _all(people, aurights="rollback")] == ["Alice", "Dave"]
    assert [u["name"] for u in _all(people, aurights="userrights")] == ["Alice"]
    assert len(_all(people, aurights="read", aulimit=50)) >= 5
    assert [u["name"] for u in _all(people, auwitheditsonly=1)] == ["Carol"]
    active = _all(people, auactiveusers=1, aulimit=50)
    assert {u["name"]: u["recentactions"] for u in active}["Carol"] == 3
    bad = people.get(action="query", list="allusers", augroup="bot", auexcludegroup="sysop")
    assert bad["error"]["code"] == "invalidparammix"


def test_allusers_props(app, people):
    (alice,) = _all(people, auprefix="Alice", auprop="groups|implicitgroups|rights|editcount|registration")
    assert alice["groups"] == ["bureaucrat", "sysop", "*", "user", "autoconfirmed"]
    assert alice["implicitgroups"] == ["*", "user", "autoconfirmed"]
    assert "userrights" in alice["rights"] and "delete" in alice["rights"]
    assert alice["editcount"] == 0 and alice["registration"].endswith("Z")
    (carol,) = _all(people, auprefix="Carol", auprop="editcount")
    assert carol["editcount"] == 3


def test_users_answers_each_name(app, people):
    out = people.get(
        action="query",
        list="users",
        ususers="Bad<name|botty|Nobody at all",
        usprop="groups|editcount|registration|rights|groupmemberships|cancreate",
    )["query"]["users"]
    assert out[0] == {"name": "Bad<name", "invalid": True}
    assert out[1]["name"] == "Botty" and out[1]["groups"][0] == "bot" and "bot" in out[1]["rights"]
    assert out[1]["groupmemberships"] == [{"group": "bot", "expiry": "infinity"}]
    assert out[2] == {"name": "Nobody at all", "missing": True, "cancreate": True}


def test_userinfo_reports_groups_and_rights_of_each_group(app, people):
    for name, group, right in (
        ("Botty", "bot", "bot"),
        ("Alice", "bureaucrat", "userrights"),
        ("Dave", "rollbacker", "rollback"),
    ):
        client = api(app, name)
        info = client.get(
            action="query", meta="userinfo", uiprop="groups|implicitgroups|rights|editcount|registrationdate"
        )["query"]["userinfo"]
        assert group in info["groups"] and right in info["rights"]
        assert info["implicitgroups"] == ["*", "user", "autoconfirmed"]
        assert info["editcount"] == 0 and info["registrationdate"].endswith("Z")
    anon = api(app).get(action="query", meta="userinfo", uiprop="groups|rights")["query"]["userinfo"]
    assert anon["groups"] == ["*"] and "bot" not in anon["rights"]
