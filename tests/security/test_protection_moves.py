"""Issue 15, item 1: edit protection must not be bypassed by moving the page away (MediaWiki's
MovePage checks move and edit on the old title, move and edit on the new one, and a move never
replaces a protected page); the protect form ties the move level to the edit level unless unlocked."""

from __future__ import annotations

from tests.api.helpers import ApiClient

from .protecting import api as _api
from .protecting import info as _info
from .protecting import move_form, protect_form
from .protecting import text as _text


def _protected_policy(sysop) -> ApiClient:
    admin = _api(sysop)
    admin.edit("Policy", "The rules.")
    # Move left open: what the sysop did through the API.
    done = admin.post(action="protect", title="Policy", protections="edit=sysop", token=admin.token())
    assert done["protect"]["protections"] == [{"edit": "sysop", "expiry": "infinite"}]
    return admin


def test_api_move_cannot_take_an_edit_protected_page_away(sysop, member):
    admin = _protected_policy(sysop)
    newcomer = _api(member)
    assert newcomer.edit("Policy", "Defaced.")["error"]["code"] == "protectedpage"

    moved = newcomer.post(action="move", **{"from": "Policy"}, to="Policy/archived", token=newcomer.token())

    assert moved["error"]["code"] == "protectedpage"
    assert _text(admin, "Policy") == "The rules."
    assert _text(admin, "Policy/archived") is None
    assert newcomer.edit("Policy", "Defaced.")["error"]["code"] == "protectedpage"


def test_special_movepage_cannot_take_an_edit_protected_page_away(sysop, member):
    admin = _protected_policy(sysop)
    form = member.client.get("/wiki/Special:MovePage/Policy")
    assert form.status_code == 403
    assert "administrators" in form.get_data(as_text=True)

    posted = move_form(member, "Policy", "Policy/archived")

    assert posted.status_code == 403
    assert _text(admin, "Policy") == "The rules."
    assert _text(admin, "Policy/archived") is None


def test_a_page_cannot_be_moved_onto_a_protected_title(sysop, member):
    admin = _api(sysop)
    newcomer = _api(member)
    newcomer.edit("Draft", "My draft.")
    admin.edit("Official", "#REDIRECT [[Draft]]")
    admin.post(action="protect", title="Official", protections="edit=sysop", token=admin.token())

    refused = newcomer.post(action="move", **{"from": "Draft"}, to="Official", token=newcomer.token())

    assert refused["error"]["code"] == "protectedpage"
    through_the_form = move_form(member, "Draft", "Official")
    assert through_the_form.status_code == 403
    assert "protected" in through_the_form.get_data(as_text=True)
    assert _text(admin, "Official") == "#REDIRECT [[Draft]]"
    assert _text(admin, "Draft") == "My draft."


def test_moving_over_a_protected_one_revision_redirect_keeps_it_and_its_protection(sysop):
    admin = _api(sysop)
    admin.edit("Source", "Content.")
    admin.edit("Shortcut", "#REDIRECT [[Source]]")
    admin.post(action="protect", title="Shortcut", protections="edit=sysop", token=admin.token())

    # Even an administrator's move refuses to archive it (the protection would be lost).
    refused = admin.post(action="move", **{"from": "Source"}, to="Shortcut", token=admin.token())

    assert refused["error"]["code"] == "protectedpage"
    shortcut = _info(admin, "Shortcut")
    assert shortcut["revisions"][0]["*"] == "#REDIRECT [[Source]]"
    assert [(p["type"], p["level"]) for p in shortcut["protection"]] == [("edit", "sysop")]
    assert _text(admin, "Source") == "Content."


def test_a_salted_title_is_no_move_target(sysop, member):
    admin = _api(sysop)
    newcomer = _api(member)
    newcomer.edit("Harmless", "Text.")
    admin.post(action="protect", title="Salted target", protections="create=sysop", token=admin.token())

    refused = newcomer.post(action="move", **{"from": "Harmless"}, to="Salted target", token=newcomer.token())

    assert refused["error"]["code"] == "cantmove-titleprotected"
    assert _text(admin, "Salted target") is None


def test_an_administrators_move_leaves_the_old_title_protected(sysop, member):
    admin = _protected_policy(sysop)
    moved = admin.post(action="move", **{"from": "Policy"}, to="Policy/archived", token=admin.token())
    assert moved["move"]["redirectcreated"] == ""

    newcomer = _api(member)
    assert newcomer.edit("Policy", "Hijacked.")["error"]["code"] == "protectedpage"
    assert newcomer.edit("Policy/archived", "Defaced.")["error"]["code"] == "protectedpage"
    log = admin.get(action="query", list="logevents", letype="protect", letitle="Policy/archived")
    assert [e["action"] for e in log["query"]["logevents"]] == ["move_prot"]


def test_protect_form_ties_move_to_edit_unless_unlocked(sysop):
    admin = _api(sysop)
    admin.edit("Tied", "x")
    admin.edit("Untied", "x")

    # As a browser without JavaScript sends it: the move select left at "Allow all users".
    assert (
        protect_form(
            sysop, "Tied", **{"mwProtect-level-edit": "sysop", "mwProtect-level-move": ""}
        ).status_code
        == 200
    )
    unlocked = {"mwProtect-level-edit": "sysop", "mwProtect-level-move": "", "mwProtectUnchained": "1"}
    assert protect_form(sysop, "Untied", **unlocked).status_code == 200

    tied = {p["type"]: p["level"] for p in _info(admin, "Tied")["protection"]}
    untied = {p["type"]: p["level"] for p in _info(admin, "Untied")["protection"]}
    assert tied == {"edit": "sysop", "move": "sysop"}
    assert untied == {"edit": "sysop"}
    # The form shows the options unlocked when the levels differ.
    html = sysop.client.get("/w/index.php?title=Untied&action=protect").get_data(as_text=True)
    assert 'id="mwProtectUnchained" name="mwProtectUnchained" value="1" checked' in html
