"""action=rollback and action=patrol through the API, as MediaWiki 1.39 answers them."""

from __future__ import annotations

from sqlalchemy import select

from tests.review.helpers import api_client


def _rc(app, rev_id: int):
    from wiki.extensions import db
    from wiki.models import RecentChange

    with app.app_context():
        row = db.session.scalars(select(RecentChange).where(RecentChange.rev_id == rev_id)).one()
        return row.id, row.patrolled, row.bot


def _tags(app, rev_id: int) -> list[str]:
    from wiki.extensions import db
    from wiki.models import ChangeTag

    with app.app_context():
        return sorted(db.session.scalars(select(ChangeTag.tag).where(ChangeTag.rev_id == rev_id)))


def test_rollback_reverts_every_consecutive_edit_of_the_last_editor(app):
    good, vandal, admin = (
        api_client(app, "Goodwriter"),
        api_client(app, "Vandalwriter"),
        api_client(app, "Rollbacker", "sysop"),
    )
    first = good.edit("Rolled page", "Good text.")["edit"]["newrevid"]
    vandal.edit("Rolled page", "Bad one.")
    last = vandal.edit("Rolled page", "Bad two.")["edit"]["newrevid"]
    done = admin.post(
        action="rollback", title="Rolled page", user="Vandalwriter", markbot=1, token=admin.token("rollback")
    )
    assert done["rollback"]["old_revid"] == last and done["rollback"]["last_revid"] == first
    assert done["rollback"]["summary"].startswith("Reverted edits by [[Special:Contributions/Vandalwriter|")
    text = good.get(action="query", prop="revisions", titles="Rolled page", rvprop="content", rvslots="main")
    page = next(iter(text["query"]["pages"].values()))
    assert page["revisions"][0]["slots"]["main"]["*"] == "Good text."
    assert _tags(app, done["rollback"]["revid"]) == ["mw-rollback"]
    # markbot (sysops have markbotedits) hid the reverted edits and the rollback itself.
    assert _rc(app, last)[2] is True and _rc(app, done["rollback"]["revid"])[2] is True
    assert _rc(app, first)[2] is False
    again = admin.post(
        action="rollback", title="Rolled page", user="Vandalwriter", token=admin.token("rollback")
    )
    assert again["error"]["code"] == "alreadyrolled"


def test_rollback_refusals(app):
    solo, admin, plain = (
        api_client(app, "Soloauthor"),
        api_client(app, "Rollbacker2", "sysop"),
        api_client(app, "Plainuser"),
    )
    solo.edit("Solo page", "one")
    solo.edit("Solo page", "two")
    only = admin.post(action="rollback", title="Solo page", user="Soloauthor", token=admin.token("rollback"))
    assert only["error"]["code"] == "onlyauthor"
    denied = plain.post(
        action="rollback", title="Solo page", user="Soloauthor", token=plain.token("rollback")
    )
    assert denied["error"]["code"] == "permissiondenied"
    missing = admin.post(action="rollback", title="Solo page", token=admin.token("rollback"))
    assert missing["error"]["code"] == "missingparam"
    bad = admin.post(action="rollback", title="Solo page", user="Soloauthor", token="x")
    assert bad["error"]["code"] == "badtoken"
    nopage = admin.post(action="rollback", title="No such page here", user="X", token=admin.token("rollback"))
    assert nopage["error"]["code"] == "missingtitle"


def test_patrol_marks_once_and_logs(app):
    editor, patroller = api_client(app, "Newbieeditor"), api_client(app, "Patroller", "sysop")
    rev = editor.edit("Patrolled page", "Some text.")["edit"]["newrevid"]
    rcid, patrolled, _ = _rc(app, rev)
    assert patrolled == 0
    done = patroller.post(action="patrol", revid=rev, token=patroller.token("patrol"))
    assert done["patrol"] == {"rcid": rcid, "ns": 0, "title": "Patrolled page"}
    assert _rc(app, rev)[1] == 1
    log = patroller.get(action="query", list="logevents", letype="patrol")["query"]["logevents"]
    assert [e["title"] for e in log] == ["Patrolled page"]
    # Patrolling again changes nothing and logs nothing.
    patroller.post(action="patrol", rcid=rcid, token=patroller.token("patrol"))
    assert len(patroller.get(action="query", list="logevents", letype="patrol")["query"]["logevents"]) == 1
    assert (
        editor.post(action="patrol", rcid=rcid, token=editor.token("patrol"))["error"]["code"]
        == "permissiondenied"
    )
    assert (
        patroller.post(action="patrol", rcid=10**8, token=patroller.token("patrol"))["error"]["code"]
        == "nosuchrcid"
    )
    both = patroller.post(action="patrol", rcid=rcid, revid=rev, token=patroller.token("patrol"))
    assert both["error"]["code"] == "invalidparammix"


def test_sysop_edits_are_autopatrolled_and_auto_tags_are_set(app):
    admin = api_client(app, "Autopatroller", "sysop")
    rev = admin.edit("Tagged page", "#REDIRECT [[Elsewhere]]")["edit"]["newrevid"]
    assert _tags(app, rev) == ["mw-new-redirect"]
    rev = admin.edit("Tagged page", "#REDIRECT [[Other place]]")["edit"]["newrevid"]
    assert _tags(app, rev) == ["mw-changed-redirect-target"]
    rev = admin.edit("Tagged page", "x" * 2000)["edit"]["newrevid"]
    assert _tags(app, rev) == ["mw-removed-redirect"]
    rev = admin.edit("Tagged page", "short")["edit"]["newrevid"]
    assert _tags(app, rev) == ["mw-replace"]
    rev = admin.edit("Tagged page", "")["edit"]["newrevid"]
    assert _tags(app, rev) == ["mw-blank"]
