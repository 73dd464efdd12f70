"""The operator's `flask --app wiki` commands, run through the CLI runner against the real database,
with their effects checked through HTTP."""

from __future__ import annotations

import json

from tests.api.helpers import ApiClient
from tests.helpers import author_query

from .conftest import PASSWORD, anonymous, logged_in, make_account

NEW_PASSWORD = "the operator's new secret"


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def logged_out(wc) -> bool:
    resp = wc.client.get("/wiki/Special:Preferences")
    return resp.status_code == 303 and "Special:UserLogin" in resp.headers["Location"]


def can_log_in(app, name: str, password: str = PASSWORD) -> bool:
    return anonymous(app, "198.51.100.7").login(name, password, create=False).status_code == 303


def userinfo_groups(wc) -> list[str]:
    info = ApiClient(wc.client).get(action="query", meta="userinfo", uiprop="groups")
    return info["query"]["userinfo"]["groups"]


def log_rows(app, type_: str) -> list:
    from wiki.extensions import db
    from wiki.models import LogEntry

    with app.app_context():
        rows = list(
            db.session.scalars(db.select(LogEntry).where(LogEntry.type == type_).order_by(LogEntry.id))
        )
        db.session.expunge_all()
        return rows


def test_reset_password_sets_the_password_and_ends_sessions(app, member):
    result = run(app, "reset-password", "Member", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert logged_out(member)
    assert can_log_in(app, "Member", NEW_PASSWORD) and not can_log_in(app, "Member", PASSWORD)
    weak = run(app, "reset-password", "Member", "--password", "short")
    assert weak.exit_code != 0 and can_log_in(app, "Member", NEW_PASSWORD)
    assert "no account" in run(app, "reset-password", "Nobody", "--password", NEW_PASSWORD).output


def test_set_groups_adds_and_removes_and_logs(app):
    make_account(app, "Robot", "bot")
    robot = logged_in(app, "Robot")
    result = run(app, "set-groups", "Robot", "+sysop", "-bot")
    assert result.exit_code == 0, result.output
    assert "sysop" in userinfo_groups(robot)
    assert run(app, "set-groups", "Robot", "-sysop").exit_code == 0
    assert "sysop" not in userinfo_groups(robot)
    refused = run(app, "set-groups", "Robot", "+emperor")
    assert refused.exit_code != 0 and '"emperor" is not a group' in refused.output
    entries = log_rows(app, "rights")
    assert [e.title for e in entries] == ["Robot", "Robot"]
    assert json.loads(entries[0].params) == {
        "oldgroups": ["bot"],
        "newgroups": ["sysop"],
        "oldmetadata": [{"group": "bot", "expiry": "infinity"}],
        "newmetadata": [{"group": "sysop", "expiry": "infinity"}],
    }
    with app.app_context():
        from wiki.access import accounts

        assert accounts.find_user("Robot").groups == ""
    shown = robot.client.get("/wiki/Special:Log/rights")
    assert shown.status_code == 200 and "User:Robot" in shown.get_data(as_text=True)


def test_disable_user_ends_sessions_and_refuses_logins_until_enabled(app, member):
    result = run(app, "disable-user", "Member")
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert logged_out(member)
    assert not can_log_in(app, "Member")
    api = ApiClient(anonymous(app, "198.51.100.8").client)
    assert api.login("Member", PASSWORD)["result"] != "Success"
    assert run(app, "disable-user", "Member", "--enable").exit_code == 0
    assert can_log_in(app, "Member")


def test_rename_user_takes_history_logs_and_blocks_along(app, sysop):
    walker = anonymous(app, "127.0.0.2")
    assert walker.login("Member", PASSWORD).status_code == 303  # signs up: a newusers log entry
    member = walker
    from wiki.access import blocks
    from wiki.extensions import db
    from wiki.models import Archive, Block

    assert member.edit("Renamed history", "Member wrote this.").status_code == 303
    assert member.edit("Gone page", "Member wrote this too.").status_code == 303
    with app.app_context():
        blocks.block("Member", actor=blocks_actor(), reason="test", expires="1 week")
    assert run(app, "delete-batch", write(app, "gone.txt", "Gone page\n")).exit_code == 0

    result = run(app, "rename-user", "Member", "Renamed member")
    assert result.exit_code == 0, result.output
    revs = ApiClient(sysop.client).get(**author_query("Renamed history"))
    assert revs["query"]["pages"][0]["revisions"][0]["user"] == "Renamed member"
    with app.app_context():
        assert (
            db.session.scalar(db.select(Archive.user_text).where(Archive.title == "Gone_page"))
            == "Renamed member"
        )
        assert db.session.scalar(db.select(Block.target).where(Block.parent_id.is_(None))) == "Renamed member"
    assert [(e.user_text, e.title) for e in log_rows(app, "newusers")] == [
        ("Renamed member", "Renamed_member")
    ]
    assert [e.title for e in log_rows(app, "block")] == ["Renamed_member"]
    [renamed] = log_rows(app, "renameuser")
    assert renamed.title == "Member" and "Renamed member" in renamed.params
    assert can_log_in(app, "Renamed member") and not can_log_in(app, "Member")
    taken = run(app, "rename-user", "Renamed member", "Admin")
    assert taken.exit_code != 0 and "already in use" in taken.output
    assert run(app, "rename-user", "Nobody", "Somebody").exit_code != 0


def blocks_actor():
    from wiki.access import accounts

    admin = accounts.find_user("Admin")
    return accounts.Performer(admin.name, admin.id)


def write(app, name: str, text: str) -> str:
    from pathlib import Path

    path = Path(app.instance_path) / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_delete_batch_deletes_each_listed_page_and_reports_the_rest(app, sysop):
    for title in ("Batch one", "Batch two", "Kept page"):
        assert sysop.edit(title, f"Text of {title}.").status_code == 303
    result = run(
        app, "delete-batch", write(app, "delete.txt", "Batch one\n\nBatch two\nNot a page\n"), "-r", "cleanup"
    )
    assert result.exit_code != 0 and "Not a page" in result.output and "1 line(s)" in result.output
    assert sysop.view("Batch_one").status_code == 404 and sysop.view("Batch_two").status_code == 404
    assert sysop.view("Kept_page").status_code == 200
    deleted = log_rows(app, "delete")
    assert [e.title for e in deleted] == ["Batch_one", "Batch_two"]
    assert {e.user_text for e in deleted} == {"Maintenance script"} and deleted[0].comment == "cleanup"
    assert not can_log_in(app, "Maintenance script", "anything at all")


def test_move_batch_moves_each_listed_page(app, sysop):
    assert sysop.edit("Old place", "Moving text.").status_code == 303
    result = run(
        app, "move-batch", write(app, "move.txt", "Old place|New place\nNo bar here\nMissing|Elsewhere\n")
    )
    assert (
        result.exit_code != 0
        and "2 line(s)" in result.output
        and "Moved Old place to New place" in result.output
    )
    assert "Moving text." in sysop.view("New_place").get_data(as_text=True)
    assert sysop.client.get("/w/index.php?title=Old_place&redirect=no").status_code == 200
    assert [e.title for e in log_rows(app, "move")] == ["Old_place"]


def test_purge_drops_the_parser_cache_and_touches_the_page(app, sysop):
    from wiki.extensions import db
    from wiki.models import Page, ParserCache

    assert sysop.edit("Purged page", "Some '''text'''.").status_code == 303
    assert sysop.view("Purged_page").status_code == 200
    with app.app_context():
        page = db.session.scalar(db.select(Page).where(Page.title == "Purged_page"))
        before, page_id = page.touched, page.id
        assert db.session.scalar(db.select(ParserCache).where(ParserCache.page_id == page_id)) is not None
    result = run(app, "purge", "Purged page", "No such page")
    assert result.exit_code != 0 and "Purged Purged page" in result.output and "No such page" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(ParserCache).where(ParserCache.page_id == page_id)) is None
        assert db.session.get(Page, page_id).touched > before


def test_rebuild_recentchanges_refills_the_table(app, sysop):
    assert sysop.edit("Recent one", "Text.").status_code == 303
    result = run(app, "rebuild-recentchanges")
    assert result.exit_code == 0 and "Recent changes rebuilt" in result.output
    assert "Recent one" in sysop.client.get("/wiki/Special:RecentChanges").get_data(as_text=True)


def test_rename_keeps_the_password_and_sessions_of_the_account(app):
    make_account(app, "Keeper")
    wc = logged_in(app, "Keeper")
    assert run(app, "rename-user", "Keeper", "Kept").exit_code == 0
    assert not logged_out(wc)
    assert ApiClient(wc.client).get(action="query", meta="userinfo")["query"]["userinfo"]["name"] == "Kept"
