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


def _age_rows(app, titles_days: dict[str, int]) -> None:
    """Move the rows (and revisions) of these titles back by so many days."""
    from datetime import timedelta

    from wiki.extensions import db
    from wiki.models import RecentChange, Revision, utcnow

    with app.app_context():
        for title, days in titles_days.items():
            when = utcnow() - timedelta(days=days)
            rc = db.session.scalars(select(RecentChange).where(RecentChange.title == title)).all()
            db.session.execute(
                db.update(RecentChange).where(RecentChange.id.in_([r.id for r in rc])).values(timestamp=when)
            )
            db.session.execute(
                db.update(Revision)
                .where(Revision.id.in_([r.rev_id for r in rc if r.rev_id]))
                .values(timestamp=when)
            )
        db.session.commit()


def _titles(app) -> set[str]:
    return {r[1] for r in _rows(app)}


def test_a_save_purges_rows_past_the_max_age_a_bounded_batch_at_a_time(app, client):
    from wiki import recent
    from wiki.extensions import db
    from wiki.models import ChangeTag, RecentChange

    api = ApiClient(client)
    api.edit("Tagged old", "text")
    api.edit("Tagged old", "", summary="blanked")  # tagged mw-blank: the tag stays on the revision
    api.edit("Fresh page", "new")
    _age_rows(app, {"Tagged_old": 100, "Fresh_page": 89})
    extra = recent.PURGE_BATCH + 20  # more old rows than one save may purge
    with app.app_context():
        from datetime import timedelta

        from wiki.models import utcnow

        when = utcnow() - timedelta(days=95)
        db.session.execute(
            db.insert(RecentChange),
            [
                {"timestamp": when, "type": "log", "namespace": 0, "title": f"Old_{n}", "user_text": "X"}
                for n in range(extra)
            ],
        )
        db.session.commit()
        tagged_rev = db.session.scalars(select(ChangeTag.rev_id).where(ChangeTag.tag == "mw-blank")).one()
    app.config.update(WIKI_RC_MAX_AGE_DAYS=90)
    api.edit("Trigger", "one")  # the oldest first: Tagged old's two rows, then 98 of the others
    assert "Tagged_old" not in _titles(app)
    assert len([t for t in _titles(app) if t.startswith("Old_")]) == extra - (recent.PURGE_BATCH - 2)
    api.edit("Trigger", "two")
    assert not [t for t in _titles(app) if t.startswith("Old_")]
    assert {"Fresh_page", "Trigger"} <= _titles(app)
    with app.app_context():
        tag = db.session.scalars(select(ChangeTag).where(ChangeTag.tag == "mw-blank")).one()
        assert (tag.rev_id, tag.rc_id) == (tagged_rev, None)
    listed = api.get(action="query", list="recentchanges", rctype="edit|new", rclimit="max")
    assert {rc["title"] for rc in listed["query"]["recentchanges"]} == {"Fresh page", "Trigger"}


def test_the_purge_command_and_the_rebuild_respect_the_max_age(app, client):
    api = ApiClient(client)
    api.edit("Ancient page", "old")
    api.edit("Recent page", "new")
    _age_rows(app, {"Ancient_page": 120, "Recent_page": 10})
    app.config.update(WIKI_RC_MAX_AGE_DAYS=0)  # kept forever: nothing to purge
    result = app.test_cli_runner().invoke(args=["purge-recentchanges"])
    assert result.exit_code == 0 and "purged: 0 rows" in result.output, result.output
    app.config.update(WIKI_RC_MAX_AGE_DAYS=90)
    result = app.test_cli_runner().invoke(args=["purge-recentchanges", "--batch", "1"])
    assert result.exit_code == 0 and "purged: 1 rows" in result.output, result.output
    assert "Ancient_page" not in _titles(app) and "Recent_page" in _titles(app)
    result = app.test_cli_runner().invoke(args=["rebuild-recentchanges"])
    assert result.exit_code == 0, result.output
    assert "Ancient_page" not in _titles(app) and "Recent_page" in _titles(app)
    app.config.update(WIKI_RC_MAX_AGE_DAYS=200)
    assert app.test_cli_runner().invoke(args=["rebuild-recentchanges"]).exit_code == 0
    assert "Ancient_page" in _titles(app)
