"""The recentchanges table: one row per edit, creation and logged action, in the change's transaction."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.helpers import ApiClient, make_user


def _rows(app):
    from wiki.extensions import db
    from wiki.models import RecentChange

    with app.app_context():
        return [
            (r.type, r.title, r.old_len, r.new_len, r.log_type, r.log_action, r.patrolled, r.bot)
            for r in db.session.scalars(select(RecentChange).order_by(RecentChange.id))
        ]


def test_edits_and_logged_actions_each_get_a_row(app, client):
    make_user(app, "Mover", "quiet-harbour-71", groups="sysop")
    api = ApiClient(client)
    api.login("Mover", "quiet-harbour-71")
    api.edit("Row page", "first")
    api.edit("Row page", "first, then more")
    moved = api.post(action="move", **{"from": "Row page"}, to="Row page 2", reason="r", token=api.token())
    assert "move" in moved, moved
    rows = [r for r in _rows(app) if r[4] != "newusers"]  # the account's creation is listed too
    # A sysop's edits are autopatrolled (the autopatrol right), not bot edits (never asked for).
    assert rows[0] == ("new", "Row_page", 0, 5, None, None, 2, False)
    assert rows[1] == ("edit", "Row_page", 5, 16, None, None, 2, False)
    # The move's null revision is not listed, its log entry is (not patrollable: autopatrolled).
    assert rows[2][:1] + rows[2][4:7] == ("log", "move", "move", 2)
    assert len(rows) == 3


def test_rebuild_refills_the_table_from_revisions_and_log(app, client):
    from wiki.extensions import db
    from wiki.models import RecentChange

    api = ApiClient(client)
    api.edit("Rebuilt page", "one")
    api.edit("Rebuilt page", "one two")
    before = [r[:6] for r in _rows(app)]
    with app.app_context():
        db.session.execute(RecentChange.__table__.delete())
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["rebuild-recentchanges"])
    assert result.exit_code == 0, result.output
    assert [r[:6] for r in _rows(app)] == before
