"""Issue 15, items 17 and 13: a deleted attack page's title can be salted (create protection, as
MediaWiki's protected titles, with an expiry, enforced on the web and the API, listed by prop=info
and removable), and pages of the MediaWiki namespace need `editinterface` (administrators)."""

from __future__ import annotations

from datetime import timedelta

from tests.api.helpers import ApiClient
from tests.helpers import form_fields

from .conftest import token
from .protecting import api as _api
from .protecting import info as _info


def _salted_attack_page(sysop, member) -> ApiClient:
    assert _api(member).edit("Attack page", "Spam.")["edit"]["result"] == "Success"
    admin = _api(sysop)
    assert "delete" in admin.post(action="delete", title="Attack page", token=admin.token())
    done = admin.post(
        action="protect",
        title="Attack page",
        protections="create=sysop",
        expiry="1 week",
        reason="Recreated spam",
        token=admin.token(),
    )["protect"]
    assert done["protections"][0]["create"] == "sysop" and done["protections"][0]["expiry"] != "infinite"
    return admin


def test_a_deleted_attack_page_can_be_salted(sysop, member, anon):
    _salted_attack_page(sysop, member)

    recreated = _api(member).edit("Attack page", "Spam again.")

    assert recreated["error"]["code"] == "protectedpage"
    assert "Recreated spam" in recreated["error"]["info"]
    assert _api(anon).edit("Attack page", "Spam again.")["error"]["code"] == "protectedpage"
    form = member.client.get("/w/index.php?title=Attack_page&action=edit")
    assert form.status_code == 403 and "protected from creation" in form.get_data(as_text=True)
    posted = member.client.post(
        "/w/index.php?title=Attack_page&action=submit",
        data={"wpTextbox1": "Spam again.", "wpEditToken": token(member), "wpSave": "1"},
    )
    assert posted.status_code == 403
    assert "missing" in _info(_api(member), "Attack page")


def test_prop_info_lists_create_protection_of_a_missing_title(sysop, member):
    admin = _salted_attack_page(sysop, member)

    page = _info(admin, "Attack page")

    assert page["restrictiontypes"] == ["create"]
    [entry] = page["protection"]
    assert entry["type"] == "create" and entry["level"] == "sysop" and entry["expiry"].endswith("Z")
    assert _info(admin, "Never salted")["protection"] == []


def test_an_administrator_may_create_a_salted_title(sysop, member):
    admin = _salted_attack_page(sysop, member)
    assert admin.edit("Attack page", "A proper article.")["edit"]["result"] == "Success"
    assert _api(member).edit("Attack page", "Improved.")["edit"]["result"] == "Success"


def test_create_protection_is_removable(sysop, member):
    admin = _salted_attack_page(sysop, member)
    lifted = admin.post(action="protect", title="Attack page", protections="create=all", token=admin.token())
    assert lifted["protect"]["protections"] == [{"create": "all", "expiry": "infinite"}]
    assert _info(admin, "Attack page")["protection"] == []
    assert _api(member).edit("Attack page", "A fair page.")["edit"]["result"] == "Success"

    admin.post(
        action="protect", title="Other attack", protections="create=autoconfirmed", token=admin.token()
    )
    assert _info(admin, "Other attack")["protection"][0]["level"] == "autoconfirmed"
    admin.post(action="protect", title="Other attack", protections="", token=admin.token())
    assert _info(admin, "Other attack")["protection"] == []
    log = admin.get(action="query", list="logevents", letype="protect", letitle="Other attack")
    assert [e["action"] for e in log["query"]["logevents"]] == ["unprotect", "protect"]


def test_create_protection_lapses_at_its_expiry(app, sysop, member):
    _salted_attack_page(sysop, member)
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import ProtectedTitle, utcnow

        salt = db.session.get(ProtectedTitle, (0, "Attack_page"))
        salt.expiry = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _api(member).edit("Attack page", "Back, fairly.")["edit"]["result"] == "Success"


def test_protect_kinds_must_fit_whether_the_page_exists(sysop):
    admin = _api(sysop)
    admin.edit("Existing", "x")
    exists = admin.post(action="protect", title="Existing", protections="create=sysop", token=admin.token())
    assert exists["error"]["code"] == "create-titleexists"
    missing = admin.post(action="protect", title="Absent", protections="edit=sysop", token=admin.token())
    assert missing["error"]["code"] == "missingtitle-createonly"


def test_missing_title_is_salted_through_the_protect_form(sysop, member):
    url = "/w/index.php?title=Salt_me&action=protect"
    page = sysop.client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="mwProtect-level-create"' in html and 'name="mwProtect-level-edit"' not in html
    data = {**form_fields(html), "mwProtect-level-create": "sysop", "mwProtect-expiry": "infinite"}
    assert sysop.client.post(url, data=data).status_code == 200
    assert _api(member).edit("Salt me", "x")["error"]["code"] == "protectedpage"
    listed = member.client.get("/wiki/Special:ProtectedTitles").get_data(as_text=True)
    assert "Salt me" in listed


def test_interface_messages_need_editinterface(sysop, member, anon):
    anonymous = _api(anon)
    refused = anonymous.edit("MediaWiki:Edit", "Vandalised")
    assert refused["error"]["code"] == "protectednamespace-interface"
    assert (
        _api(member).edit("MediaWiki:Edit", "Vandalised")["error"]["code"] == "protectednamespace-interface"
    )

    admin = _api(sysop)
    assert admin.edit("MediaWiki:Edit", "Change it")["edit"]["result"] == "Success"
    form = member.client.get("/w/index.php?title=MediaWiki:Edit&action=edit")
    assert form.status_code == 403
    html = form.get_data(as_text=True)
    assert "View source for MediaWiki:Edit" in html and "interface" in html
    posted = anon.client.post(
        "/w/index.php?title=MediaWiki:Edit&action=submit",
        data={"wpTextbox1": "Vandalised", "wpEditToken": token(anon), "wpSave": "1"},
    )
    assert posted.status_code == 403
    newcomer = _api(member)
    newcomer.edit("Harmless", "x")
    moved = newcomer.post(
        action="move", **{"from": "Harmless"}, to="MediaWiki:Harmless", token=newcomer.token()
    )
    assert moved["error"]["code"] == "protectednamespace-interface"
    text = admin.get(action="query", titles="MediaWiki:Edit", prop="revisions", rvprop="content")
    assert next(iter(text["query"]["pages"].values()))["revisions"][0]["*"] == "Change it"
