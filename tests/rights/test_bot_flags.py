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
