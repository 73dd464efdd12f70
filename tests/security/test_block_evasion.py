"""Issue 15 item 7: blocks are not evaded (autoblock, prevent account creation, both on by default)
nor abused (a blocked sysop acts only on their own block; ranges at most /16 and /19); the
`unblock` command recovers a wiki whose sysops are all blocked."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from werkzeug.datastructures import MultiDict

from .conftest import anonymous, logged_in, make_account

VANDAL_IP = "203.0.113.5"


def _as_a_browser_sends(html: str, **values: str) -> MultiDict:
    """The block form as a browser submits it untouched: hidden fields and the ticked checkboxes."""
    data = MultiDict()
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="(\w+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or value is None:
            continue
        if 'type="hidden"' in tag or ('type="checkbox"' in tag and " checked" in tag):
            data.add(name.group(1), unescape(value.group(1)))
    for key, value in values.items():
        if key in ("wpAutoBlock", "wpCreateAccount"):
            data.setlist(key, ["0", *(["1"] if value == "1" else [])])
        else:
            data[key] = value
    return data


def _block(wc, target: str, **values: str):
    html = wc.client.get("/wiki/Special:Block").get_data(as_text=True)
    data = _as_a_browser_sends(html, wpTarget=target, wpExpiry="1 week", wpReason="vandalism", **values)
    return wc.client.post("/w/index.php?title=Special:Block", data=data)


def _unblock(wc, target: str):
    html = wc.client.get("/wiki/Special:Unblock").get_data(as_text=True)
    return wc.client.post(
        "/w/index.php?title=Special:Unblock", data=_as_a_browser_sends(html, wpTarget=target)
    )


def _may_edit(wc) -> bool:
    return wc.client.get("/w/index.php?title=Sandbox&action=edit").status_code == 200


def _may_sign_up(wc) -> bool:
    return wc.client.get("/wiki/Special:CreateAccount").status_code == 200


def test_blocked_account_that_logs_out_cannot_edit_from_its_address(app, sysop):
    make_account(app, "Vandal")
    vandal = logged_in(app, "Vandal", ip=VANDAL_IP)
    assert _block(sysop, "Vandal").status_code == 200
    fields = {"wpEditToken": vandal.client.get("/wiki/Special:UserLogout").get_data(as_text=True)}
    vandal.client.post("/w/index.php?title=Special:UserLogout", data=fields)
    logged_out = anonymous(app, VANDAL_IP)
    assert not _may_edit(logged_out)
    page = logged_out.client.get("/w/index.php?title=Sandbox&action=edit").get_data(as_text=True)
    assert "automatically blocked" in page and VANDAL_IP not in page.split("blocked", 1)[1][:200]
    assert _may_edit(anonymous(app, "198.51.100.77"))  # other addresses are not affected


def test_blocked_account_cannot_create_a_sock_account_from_its_address(app, sysop):
    make_account(app, "Vandal")
    logged_in(app, "Vandal", ip=VANDAL_IP)
    _block(sysop, "Vandal")
    sock = anonymous(app, VANDAL_IP)
    assert not _may_sign_up(sock)
    assert sock.login("Sock puppet", "another good password").status_code == 403
    assert _may_sign_up(anonymous(app, "198.51.100.78"))


def test_logging_in_from_a_new_address_while_blocked_autoblocks_it(app, sysop):
    make_account(app, "Vandal")
    _block(sysop, "Vandal")  # never logged in yet: nothing to autoblock
    moved = "192.0.2.200"
    assert _may_edit(anonymous(app, moved))
    logged_in(app, "Vandal", ip=moved)  # blocked users may still log in (MediaWiki)
    assert not _may_edit(anonymous(app, moved))


def test_autoblock_lasts_24_hours(app, sysop):
    from wiki.extensions import db
    from wiki.models import Block, utcnow

    make_account(app, "Vandal")
    logged_in(app, "Vandal", ip=VANDAL_IP)
    _block(sysop, "Vandal")
    with app.app_context():
        auto = db.session.scalar(db.select(Block).where(Block.parent_id.is_not(None)))
        assert auto.target == VANDAL_IP
        assert timedelta(hours=23) < auto.expiry - utcnow() <= timedelta(hours=24)
        auto.expiry = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _may_edit(anonymous(app, VANDAL_IP))


def test_unticked_boxes_block_the_account_only(app, sysop):
    make_account(app, "Vandal")
    logged_in(app, "Vandal", ip=VANDAL_IP)
    assert _block(sysop, "Vandal", wpAutoBlock="0", wpCreateAccount="0").status_code == 200
    assert _may_edit(anonymous(app, VANDAL_IP)) and _may_sign_up(anonymous(app, VANDAL_IP))


def test_ip_block_prevents_account_creation_unless_unticked(app, sysop):
    _block(sysop, "192.0.2.50")
    assert not _may_sign_up(anonymous(app, "192.0.2.50"))
    _block(sysop, "192.0.2.51", wpCreateAccount="0")
    assert _may_sign_up(anonymous(app, "192.0.2.51")) and not _may_edit(anonymous(app, "192.0.2.51"))


def test_unblocking_the_account_lifts_its_autoblocks(app, sysop):
    make_account(app, "Vandal")
    logged_in(app, "Vandal", ip=VANDAL_IP)
    _block(sysop, "Vandal")
    assert _unblock(sysop, "Vandal").status_code == 200
    assert _may_edit(anonymous(app, VANDAL_IP))


def test_blocked_sysop_may_only_unblock_themselves_or_block_their_blocker(app, sysop):
    make_account(app, "Rogue", "sysop")
    make_account(app, "Bystander")
    rogue = logged_in(app, "Rogue", ip="192.0.2.60")
    assert _block(sysop, "Rogue").status_code == 200
    resp = _block(rogue, "Bystander")
    assert resp.status_code == 400 and "while you are yourself blocked" in resp.get_data(as_text=True)
    resp = _unblock(rogue, "192.0.2.50")
    assert resp.status_code == 400 and "while you are yourself blocked" in resp.get_data(as_text=True)
    assert _block(rogue, "Admin").status_code == 200  # the one who blocked them
    assert _unblock(rogue, "Rogue").status_code == 200  # and their own block
    assert _may_edit(rogue)


def test_range_blocks_are_limited_to_16_for_ipv4_and_19_for_ipv6(sysop):
    for wide in ("10.0.0.0/15", "0.0.0.0/0", "2001:db8::/18", "::/0"):
        resp = _block(sysop, wide)
        assert resp.status_code == 400 and "too wide" in resp.get_data(as_text=True), wide
    for allowed in ("10.0.0.0/16", "2001:db8::/19"):
        assert _block(sysop, allowed).status_code == 200, allowed


def test_unblock_command_recovers_a_blocked_sysop(app, sysop):
    from wiki.extensions import db
    from wiki.models import Block

    _block(sysop, "Admin")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["unblock", "Admin"])
    assert result.exit_code == 0 and "Admin has been unblocked" in result.output
    assert _may_edit(sysop)
    with app.app_context():
        assert db.session.scalar(db.select(Block)) is None
    result = runner.invoke(args=["unblock", "Admin"])
    assert result.exit_code != 0 and "not blocked" in result.output
