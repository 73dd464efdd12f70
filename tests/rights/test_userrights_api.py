"""action=userrights as MediaWiki 1.39 answers it: bureaucrats add and remove groups with expiry,
others change nothing; bad input gets MediaWiki's error codes; the change is logged with it."""

from __future__ import annotations

from tests.rights.conftest import api


def _change(client, **params) -> dict:
    return client.post(action="userrights", token=client.token("userrights"), **params)


def _groups(client, name: str) -> list[str]:
    users = client.get(action="query", list="users", ususers=name, usprop="groups")["query"]["users"]
    return users[0]["groups"]


def test_a_bureaucrat_adds_and_removes_groups(app):
    crat = api(app, "Crat", "bureaucrat")
    api(app, "Target")
    out = _change(crat, user="Target", add="bot|sysop", reason="trusted")
    assert out == {
        "userrights": {
            "user": "Target",
            "userid": out["userrights"]["userid"],
            "added": ["bot", "sysop"],
            "removed": [],
        }
    }
    assert _groups(crat, "Target")[:2] == ["bot", "sysop"]
    out = _change(crat, user="Target", remove="bot|sysop")
    assert out["userrights"]["added"] == [] and out["userrights"]["removed"] == ["bot", "sysop"]
    assert "sysop" not in _groups(crat, "Target")
    log = crat.get(action="query", list="logevents", letype="rights", lelimit=2)["query"]["logevents"]
    assert [e["params"]["newgroups"] for e in log] == [[], ["bot", "sysop"]]
    assert log[1]["comment"] == "trusted" and log[1]["title"] == "User:Target" and log[1]["user"] == "Crat"


def test_an_expiring_membership_stops_counting(app):
    crat = api(app, "Crat", "bureaucrat")
    api(app, "Temp")
    out = _change(crat, user="Temp", add="rollbacker|bot", expiry="1 day|infinite")
    assert out["userrights"]["added"] == ["bot", "rollbacker"]
    info = crat.get(action="query", list="users", ususers="Temp", usprop="groupmemberships")
    members = info["query"]["users"][0]["groupmemberships"]
    assert members[0] == {"group": "bot", "expiry": "infinity"}
    assert members[1]["group"] == "rollbacker" and members[1]["expiry"].endswith("Z")
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import UserGroup, utcnow

        row = db.session.execute(db.select(UserGroup).where(UserGroup.group == "rollbacker")).scalar_one()
        row.expiry = utcnow()
        db.session.commit()
    assert "rollbacker" not in _groups(crat, "Temp")


def test_others_change_nothing(app):
    api(app, "Target2")
    for client in (api(app, "Plain"), api(app, "Admin", "sysop"), api(app)):
        out = _change(client, user="Target2", add="sysop")
        assert out["userrights"]["added"] == [] and out["userrights"]["removed"] == []
        assert "sysop" not in _groups(client, "Target2")


def test_bad_input_gets_mediawikis_codes(app):
    crat = api(app, "Crat", "bureaucrat")
    api(app, "Target3")
    cases = [
        ({"user": "Nobody here"}, "nosuchuser"),
        ({"user": "Bad<name"}, "baduser"),
        ({"user": "1.2.3.4"}, "baduser"),
        ({}, "missingparam"),
        ({"userid": "99999"}, "invaliduser"),
        ({"user": "Target3", "add": "bot", "expiry": "1 month|2 months"}, "toofewexpiries"),
        ({"user": "Target3", "add": "bot", "expiry": "garbage"}, "invalidexpiry"),
        ({"user": "Target3", "add": "bot", "expiry": "2001-01-01T00:00:00Z"}, "pastexpiry"),
    ]
    for params, code in cases:
        assert _change(crat, **params)["error"]["code"] == code, params
    refused = crat.post(action="userrights", user="Target3", add="bot", token="bad+\\")
    assert refused["error"]["code"] == "badtoken"
    unknown = _change(crat, user="Target3", add="emperor")
    assert unknown["userrights"]["added"] == []
    assert "emperor" in str(unknown["warnings"])
    assert "bot" not in _groups(crat, "Target3")


def _refuse_rights_log(app, on: bool) -> None:
    """A database trigger that makes writing a rights-log entry fail (or drops it again)."""
    from sqlalchemy import text

    from wiki.extensions import db

    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        if on and postgres:
            db.session.execute(
                text(
                    "CREATE FUNCTION refuse_rights() RETURNS trigger AS $$ BEGIN IF NEW.type = 'rights' "
                    "THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            db.session.execute(
                text(
                    "CREATE TRIGGER refuse_rights BEFORE INSERT ON log_entry FOR EACH ROW "
                    "EXECUTE FUNCTION refuse_rights()"
                )
            )
        elif on:
            db.session.execute(
                text(
                    "CREATE TRIGGER refuse_rights BEFORE INSERT ON log_entry WHEN NEW.type = 'rights' "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        elif postgres:
            db.session.execute(text("DROP TRIGGER refuse_rights ON log_entry"))
            db.session.execute(text("DROP FUNCTION refuse_rights()"))
        else:
            db.session.execute(text("DROP TRIGGER refuse_rights"))
        db.session.commit()


def test_a_change_whose_log_entry_fails_is_not_made(app):
    crat = api(app, "Crat", "bureaucrat")
    api(app, "Whole")
    _refuse_rights_log(app, True)
    try:
        out = _change(crat, user="Whole", add="sysop")
    finally:
        _refuse_rights_log(app, False)
    assert "error" in out and "userrights" not in out
    assert "sysop" not in _groups(crat, "Whole")
    assert _change(crat, user="Whole", add="sysop")["userrights"]["added"] == ["sysop"]
