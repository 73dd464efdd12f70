"""The rights service: groups give MediaWiki's rights; settings, protections and blocks take them away."""

from __future__ import annotations

import pytest

from wiki import pages, site
from wiki.access import blocks, protection, rights
from wiki.extensions import db
from wiki.models import User


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def _user(name: str, groups: str = "") -> User:
    user = User(name=name, password_hash="x", groups=groups)
    db.session.add(user)
    db.session.commit()
    return user


def test_groups_are_mediawikis(ctx):
    assert rights.groups_for(None) == ["*"]
    assert rights.groups_for(_user("Ann")) == ["*", "user", "autoconfirmed"]
    assert rights.groups_for(_user("Boss", "sysop")) == ["sysop", "*", "user", "autoconfirmed"]
    # With thresholds (MediaWiki's $wgAutoConfirmAge, $wgAutoConfirmCount) a new account is not in it.
    ctx.config.update(WIKI_AUTOCONFIRM_DAYS=4, WIKI_AUTOCONFIRM_EDITS=10)
    assert rights.groups_for(_user("Cid", "bot")) == ["bot", "*", "user"]
    assert "editsemiprotected" in rights.rights_for(_user("Dee", "bot"))


def test_anonymous_may_read_edit_and_create_accounts_by_default(ctx):
    have = rights.rights_for(None)
    assert {"read", "edit", "createpage", "createaccount"} <= set(have)
    assert not {"delete", "protect", "block", "move"} & set(have)


def test_only_sysops_delete_protect_block_undelete(ctx):
    user, admin = _user("Ann"), _user("Boss", "sysop")
    for right in ("delete", "undelete", "protect", "block"):
        reason = rights.can(user, right)
        assert reason is not None and reason.code == "permissiondenied"
        assert "Administrators" in reason
        assert rights.can(admin, right) is None


def test_anonymous_editing_can_be_switched_off(ctx):
    ctx.config["WIKI_ANON_EDIT"] = False
    title = site.parse_title("Anything")
    reason = rights.can(None, "edit", title)
    assert reason is not None and "log in" in reason
    assert "edit" not in rights.rights_for(None)
    assert rights.can(_user("Ann"), "edit", title) is None


def test_account_creation_can_be_switched_off(ctx):
    ctx.config["WIKI_ACCOUNT_CREATION"] = False
    assert rights.can(None, "createaccount") is not None
    assert rights.can(_user("Boss", "sysop"), "createaccount") is None


def test_protection_levels_decide_who_edits(ctx):
    title = site.parse_title("Guarded")
    pages.save(title, "text", actor=pages.Actor("127.0.0.1"))
    admin, user = _user("Boss", "sysop"), _user("Ann")
    protection.protect(title, {"edit": "autoconfirmed"}, actor=pages.Actor("Boss", admin.id))
    assert rights.can(None, "edit", title).code == "protectedpage"
    assert rights.can(user, "edit", title) is None
    protection.protect(title, {"edit": "sysop", "move": "sysop"}, actor=pages.Actor("Boss", admin.id))
    assert "administrators" in rights.can(user, "edit", title)
    assert rights.can(user, "move", title).code == "protectedpage"
    assert rights.can(admin, "edit", title) is None


def test_expired_protection_no_longer_applies(ctx):
    from datetime import timedelta

    from wiki.models import Protection, utcnow

    title = site.parse_title("Once guarded")
    page = pages.save(title, "text", actor=pages.Actor("127.0.0.1")).page
    db.session.add(
        Protection(page_id=page.id, type="edit", level="sysop", expiry=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert rights.can(None, "edit", title) is None


def test_blocks_apply_to_the_account_the_address_and_ranges(ctx):
    admin, user = _user("Boss", "sysop"), _user("Ann")
    actor = pages.Actor("Boss", admin.id)
    title = site.parse_title("Anything")
    blocks.block("Ann", actor=actor, reason="vandalism", expires="1 day")
    reason = rights.can(user, "edit", title, ip="10.0.0.1")
    assert reason.code == "blocked" and "vandalism" in reason
    assert rights.can(user, "read", title) is None
    blocks.block("192.0.2.0/24", actor=actor)
    assert rights.can(None, "edit", title, ip="192.0.2.77").code == "blocked"
    assert rights.can(None, "edit", title, ip="192.0.3.1") is None
    blocks.block("2001:db8::1", actor=actor)
    assert rights.can(None, "edit", title, ip="2001:db8:0:0::1").code == "blocked"
    blocks.unblock("Ann", actor=actor)
    assert rights.can(user, "edit", title, ip="10.0.0.1") is None


def test_special_pages_cannot_be_changed(ctx):
    assert rights.can(_user("Boss", "sysop"), "edit", site.parse_title("Special:RecentChanges")) is not None
