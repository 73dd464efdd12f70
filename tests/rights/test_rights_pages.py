"""Special:UserRights, Special:ListUsers, Special:ListGroupRights and the rights log in Special:Log,
through the browser's forms."""

from __future__ import annotations

from tests.helpers import form_fields
from tests.rights.conftest import api, browser, make


def _form(wc, name: str) -> dict[str, str]:
    page = wc.client.get(f"/wiki/Special:UserRights/{name}")
    assert page.status_code == 200
    return form_fields(page.get_data(as_text=True))


def test_a_bureaucrat_changes_groups_with_reason_and_expiry(app):
    crat = browser(app, "Boss", "bureaucrat")
    make(app, "Newbot")
    fields = _form(crat, "Newbot")
    fields.update(
        {
            "wpGroup-bot": "1",
            "wpExpiry-bot": "infinite",
            "wpGroup-rollbacker": "1",
            "wpExpiry-rollbacker": "other",
            "wpExpiry-rollbacker-other": "2 weeks",
            "user-reason": "runs the import",
        }
    )
    saved = crat.client.post("/w/index.php?title=Special:UserRights", data=fields)
    assert saved.status_code == 303
    page = crat.client.get(saved.headers["Location"]).get_data(as_text=True)
    assert (
        "have been saved" in page
        and "changed group membership for Newbot from (none) to bot and rollbacker (temporary, until" in page
    )
    assert "(runs the import)" in page
    info = api(app).get(action="query", list="users", ususers="Newbot", usprop="groups")["query"]["users"][0]
    assert info["groups"][:2] == ["bot", "rollbacker"]
    fields = _form(crat, "Newbot")
    fields.update({"wpGroup-rollbacker": "1", "wpExpiry-rollbacker": "existing"})  # bot unticked
    assert crat.client.post("/w/index.php?title=Special:UserRights", data=fields).status_code == 303
    log = crat.client.get("/wiki/Special:Log/rights").get_data(as_text=True)
    assert "changed group membership for" in log and "from bot and rollbacker (temporary" in log


def test_others_see_the_groups_read_only(app):
    make(app, "Shown", "sysop")
    for wc in (browser(app, "Reader"), browser(app)):
        page = wc.client.get("/wiki/Special:UserRights/Shown").get_data(as_text=True)
        assert "View user groups" in page and "Administrators" in page and "wpGroup-sysop" not in page
        fields = {**form_fields(page), "wpGroup-bot": "1"}
        refused = wc.client.post("/w/index.php?title=Special:UserRights", data=fields)
        assert refused.status_code == 400 and "permission" in refused.get_data(as_text=True)
    assert (
        "bot"
        not in api(app).get(action="query", list="users", ususers="Shown", usprop="groups")["query"]["users"][
            0
        ]["groups"]
    )


def test_bad_input_in_the_browser(app):
    crat = browser(app, "Boss", "bureaucrat")
    assert crat.client.get("/wiki/Special:UserRights/No_such_person").status_code == 404
    assert crat.client.get("/wiki/Special:UserRights?user=Bad%3Cname").status_code == 404
    make(app, "Victim")
    fields = {
        **_form(crat, "Victim"),
        "wpGroup-bot": "1",
        "wpExpiry-bot": "other",
        "wpExpiry-bot-other": "soon",
    }
    refused = crat.client.post("/w/index.php?title=Special:UserRights", data=fields)
    assert refused.status_code == 400 and "not valid" in refused.get_data(as_text=True)
    stale = {**_form(crat, "Victim"), "wpGroup-bot": "1", "wpEditToken": "stale+\\"}
    assert crat.client.post("/w/index.php?title=Special:UserRights", data=stale).status_code == 400
    groups = api(app).get(action="query", list="users", ususers="Victim", usprop="groups")["query"]["users"][
        0
    ]
    assert "bot" not in groups["groups"]


def test_list_users_filters_and_pages(app):
    for name, groups in (("Lu1", "sysop"), ("Lu2", ""), ("Lu3", "bot"), ("Lu4", "")):
        make(app, name, groups)
    wc = browser(app)
    page = wc.client.get("/wiki/Special:ListUsers?group=sysop").get_data(as_text=True)
    assert "Lu1" in page and "Lu2" not in page and "administrator" in page
    page = wc.client.get("/wiki/Special:ListUsers/bot").get_data(as_text=True)
    assert "Lu3" in page and "Lu1" not in page
    page = wc.client.get("/wiki/Special:ListUsers?username=Lu2&limit=2").get_data(as_text=True)
    listed = page.split('id="mw-listusers-list"', 1)[1].split("</ul>", 1)[0]
    assert "Lu2" in listed and "Lu3" in listed and "Lu4" not in listed and "[0 edits]" in listed
    assert "Created on" in page and 'rel="next"' in page
    back = wc.client.get("/w/index.php?title=Special:ListUsers&offset=Lu3&dir=prev&limit=1").get_data(
        as_text=True
    )
    listed = back.split('id="mw-listusers-list"', 1)[1].split("</ul>", 1)[0]
    assert "Lu2" in listed and "Lu3" not in listed
    assert wc.client.get("/wiki/Special:ListUsers?limit=abc").status_code in (200, 400)


def test_list_group_rights_shows_every_group(app):
    page = browser(app).client.get("/wiki/Special:ListGroupRights").get_data(as_text=True)
    for group, right in (
        ("bot", "bot"),
        ("bureaucrat", "userrights"),
        ("rollbacker", "rollback"),
        ("sysop", "markbotedits"),
        ("autoconfirmed", "editsemiprotected"),
    ):
        row = page.split(f'<tr id="{group}">', 1)[1].split("</tr>", 1)[0]
        assert f"({right})" in row, group
