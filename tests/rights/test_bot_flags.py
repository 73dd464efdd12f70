"""Bot edits carry the bot flag (MediaWiki's rules): API edits with bot=1 by users with the bot right,
browser edits of such users; autopatrol for those with the right; the seed is a bot's."""

from __future__ import annotations

from tests.rights.conftest import api, browser


def _row(app, title: str):
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import RecentChange

        query = db.select(RecentChange).where(RecentChange.title == title.replace(" ", "_"))
        return db.session.execute(query.order_by(RecentChange.id.desc())).scalars().first()


def test_api_edits_are_bot_edits_only_when_asked_and_allowed(app):
    bot = api(app, "Flagbot", "bot")
    out = bot.edit("Bot page", "one", bot="1")
    assert out["edit"]["result"] == "Success" and "warnings" not in out  # bot is a real parameter
    row = _row(app, "Bot page")
    assert row.bot and row.patrolled == 2
    bot.edit("Bot page", "two")
    assert not _row(app, "Bot page").bot  # not asked for
    plain = api(app, "Plainuser")
    plain.edit("Plain page", "one", bot="1")
    row = _row(app, "Plain page")
    assert not row.bot and row.patrolled == 0  # not allowed; not autopatrolled
    api(app, "Sysop1", "sysop").edit("Sysop page", "one")
    assert _row(app, "Sysop page").patrolled == 2 and not _row(app, "Sysop page").bot


def test_browser_edits_of_a_bot_are_bot_edits(app):
    wc = browser(app, "Formbot", "bot")
    assert wc.edit("Form bot page", "text").status_code == 303
    assert _row(app, "Form bot page").bot
    assert browser(app, "Formuser").edit("Form user page", "text").status_code == 303
    assert not _row(app, "Form user page").bot


def test_the_seed_is_a_bot_account(app, tmp_path):
    (tmp_path / "Seeded_page.wiki").write_text("Seeded.", encoding="utf-8")
    from wiki import seed

    with app.app_context():
        assert [r.outcome for r in seed.seed_dir(tmp_path)] == ["created"]
    row = _row(app, "Seeded page")
    assert row.bot and row.user_text == "Wiki seed"
    info = api(app).get(action="query", list="users", ususers="Wiki seed", usprop="groups")["query"]["users"][
        0
    ]
    assert "bot" in info["groups"]


def test_rebuilding_recent_changes_flags_todays_bots(app):
    bot = api(app, "Rebuildbot", "bot")
    bot.edit("Rebuilt bot page", "x")  # not asked for: not a bot edit when made
    assert not _row(app, "Rebuilt bot page").bot
    result = app.test_cli_runner().invoke(args=["rebuild-recentchanges"])
    assert result.exit_code == 0 and "flagged as bot edits" in result.output, result.output
    assert _row(app, "Rebuilt bot page").bot


def test_set_groups_gives_a_group_until_an_expiry(app):
    from tests.rights.conftest import make

    make(app, "Tempbot")
    result = app.test_cli_runner().invoke(args=["set-groups", "Tempbot", "+bot", "--expiry", "1 week"])
    assert result.exit_code == 0, result.output
    members = api(app).get(action="query", list="users", ususers="Tempbot", usprop="groupmemberships")
    (member,) = members["query"]["users"][0]["groupmemberships"]
    assert member["group"] == "bot" and member["expiry"] != "infinity"
    refused = app.test_cli_runner().invoke(args=["set-groups", "Tempbot", "+bot", "--expiry", "never ever"])
    assert refused.exit_code != 0 and "not valid" in refused.output


def test_assert_bot_passes_only_for_bots(app):
    bot, plain = api(app, "Assertbot", "bot"), api(app, "Assertplain")
    assert bot.edit("Assert page", "x", bot="1", **{"assert": "bot"})["edit"]["result"] == "Success"
    assert plain.edit("Assert page", "y", **{"assert": "bot"})["error"]["code"] == "assertbotfailed"


def _log_rows(client) -> dict[tuple[str, str], bool]:
    """(log type/action, page) -> bot flag of the logged actions in recent changes, through the API."""
    changes = client.get(
        action="query", list="recentchanges", rctype="log", rcprop="title|loginfo|flags", rclimit="500"
    )["query"]["recentchanges"]
    return {(f"{rc['logtype']}/{rc['logaction']}", rc["title"]): rc["bot"] for rc in changes}


def test_logged_actions_of_a_bot_are_bot_actions(app):
    """As MediaWiki's RecentChange::newLogEntry: the performer has the bot right and the request did
    not say bot=0; every logged action that reaches recent changes carries it, hidden by hidebots."""
    from tests.files import images
    from tests.rights.conftest import make

    bot, sysop = api(app, "Logbot", "bot sysop bureaucrat"), api(app, "Logsysop", "sysop")
    make(app, "Blockedbybot")
    token = bot.token()
    for title in ("Botlog moved", "Botlog gone", "Botlog kept"):
        bot.edit(title, "text", bot="1")
    assert "move" in bot.post(action="move", **{"from": "Botlog moved"}, to="Botlog moved 2", token=token)
    assert "delete" in bot.post(action="delete", title="Botlog gone", token=token)
    assert "undelete" in bot.post(action="undelete", title="Botlog gone", token=token)
    assert "protect" in bot.post(action="protect", title="Botlog kept", protections="edit=sysop", token=token)
    assert "block" in bot.post(action="block", user="Blockedbybot", expiry="1 day", token=token)
    assert "unblock" in bot.post(action="unblock", user="Blockedbybot", token=token)
    rights_token = bot.token("userrights")
    assert "userrights" in bot.post(
        action="userrights", user="Logsysop", add="rollbacker", token=rights_token
    )
    upload = bot.upload("Botlog.png", images.png(12, 8))
    assert upload["upload"]["result"] == "Success", upload
    assert "managetags" in bot.post(action="managetags", operation="create", tag="botlog-tag", token=token)
    # The same actions by a sysop that is not a bot, and by the bot asking not to be one (bot=0).
    sysop_token = sysop.token()
    sysop.edit("Sysoplog", "text")
    assert "protect" in sysop.post(
        action="protect", title="Sysoplog", protections="edit=sysop", token=sysop_token
    )
    assert "move" in bot.post(
        action="move", **{"from": "Botlog kept"}, to="Botlog unflagged", bot="0", token=token
    )
    rows = _log_rows(bot)
    flagged = {
        ("move/move", "Botlog moved"),
        ("delete/delete", "Botlog gone"),
        ("delete/restore", "Botlog gone"),
        ("protect/protect", "Botlog kept"),
        ("block/block", "User:Blockedbybot"),
        ("block/unblock", "User:Blockedbybot"),
        ("rights/rights", "User:Logsysop"),
        ("upload/upload", "File:Botlog.png"),
        ("managetags/create", "Special:Tags"),
    }
    assert {key: rows.get(key) for key in flagged} == dict.fromkeys(flagged, True)
    assert rows[("protect/protect", "Sysoplog")] is False
    assert rows[("move/move", "Botlog kept")] is False
    shown = bot.get(
        action="query", list="recentchanges", rctype="log", rcshow="!bot", rcprop="title", rclimit="500"
    )
    titles = {rc["title"] for rc in shown["query"]["recentchanges"]}
    assert "Sysoplog" in titles and "Botlog kept" in titles
    assert not titles & {"Botlog moved", "Botlog gone", "File:Botlog.png", "User:Blockedbybot"}


def test_a_bots_logged_actions_in_the_browser_are_bot_actions(app):
    wc = browser(app, "Formlogbot", "bot sysop")
    assert wc.edit("Form bot delete", "text").status_code == 303
    page = wc.client.get("/w/index.php?title=Form_bot_delete&action=delete").get_data(as_text=True)
    from tests.helpers import form_fields

    done = wc.client.post(
        "/w/index.php?title=Form_bot_delete&action=delete", data={**form_fields(page), "wpReason": "bye"}
    )
    assert done.status_code in (200, 303), done.status_code
    assert _log_rows(api(app))[("delete/delete", "Form bot delete")] is True
