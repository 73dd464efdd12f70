"""Sysop actions through the real forms: delete and undelete, protect, block; 403 pages say why."""

from __future__ import annotations

from tests.helpers import form_fields

from .conftest import anonymous, logged_in, make_account


def _form(wc, url: str) -> dict[str, str]:
    resp = wc.client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return form_fields(resp.get_data(as_text=True))


def _delete(wc, title: str, reason: str = "spam"):
    fields = _form(wc, f"/w/index.php?title={title}&action=delete")
    return wc.client.post(f"/w/index.php?title={title}&action=delete", data={**fields, "wpReason": reason})


def test_delete_archives_every_revision_and_undelete_restores_them(sysop, anon):
    anon.edit("Doomed", "first [[Target]]")
    anon.edit("Doomed", "second [[Target]]")
    anon.edit("Linker", "see [[Doomed]]")
    assert 'href="/wiki/Doomed"' in anon.view("Linker").get_data(as_text=True)
    resp = _delete(sysop, "Doomed")
    assert resp.status_code == 200 and "has been deleted" in resp.get_data(as_text=True)
    assert anon.view("Doomed").status_code == 404
    assert "redlink=1" in anon.view("Linker").get_data(as_text=True)  # the link turned red
    listing = sysop.client.get("/wiki/Special:Undelete").get_data(as_text=True)
    assert "Doomed" in listing and "2 revisions" in listing
    page = sysop.client.get("/wiki/Special:Undelete/Doomed")
    fields = form_fields(page.get_data(as_text=True))
    resp = sysop.client.post(
        "/w/index.php?title=Special:Undelete/Doomed", data={**fields, "wpComment": "oops"}
    )
    assert resp.status_code == 200 and "2 revisions" in resp.get_data(as_text=True)
    view = anon.view("Doomed").get_data(as_text=True)
    assert "second" in view
    history = anon.client.get("/w/index.php?title=Doomed&action=history").get_data(as_text=True)
    assert history.count('class="mw-changeslist-date"') in (0, 2) or "first" not in history
    assert 'href="/wiki/Doomed"' in anon.view("Linker").get_data(as_text=True)  # blue again


def test_only_sysops_may_delete_and_the_page_says_why(member, anon):
    anon.edit("Kept", "text")
    for wc in (member, anon):
        resp = wc.client.get("/w/index.php?title=Kept&action=delete")
        assert resp.status_code == 403
        assert "Administrators" in resp.get_data(as_text=True)
        resp = wc.client.post("/w/index.php?title=Kept&action=delete", data={"wpEditToken": "x"})
        assert resp.status_code == 403
    assert anon.view("Kept").status_code == 200


def test_delete_without_the_session_token_deletes_nothing(sysop, anon):
    anon.edit("Safe", "text")
    resp = sysop.client.post("/w/index.php?title=Safe&action=delete", data={"wpReason": "csrf"})
    assert resp.status_code == 400
    resp = sysop.client.get("/w/index.php?title=Safe&action=delete&wpReason=x&wpConfirmB=1")
    assert resp.status_code == 200  # GET shows the form only
    assert anon.view("Safe").status_code == 200


def _protect(wc, title: str, edit: str, move: str = "", expiry: str = "infinite"):
    fields = _form(wc, f"/w/index.php?title={title}&action=protect")
    data = {**fields, "mwProtect-level-edit": edit, "mwProtect-level-move": move, "mwProtect-expiry": expiry}
    return wc.client.post(f"/w/index.php?title={title}&action=protect", data=data)


def test_protected_page_shows_a_lock_and_view_source_instead_of_the_form(sysop, member, anon):
    anon.edit("Guarded", "original text")
    assert _protect(sysop, "Guarded", "sysop", "sysop").status_code == 200
    view = anon.view("Guarded").get_data(as_text=True)
    assert "mw-protection-notice" in view and "administrators" in view
    for wc in (anon, member):
        resp = wc.client.get("/w/index.php?title=Guarded&action=edit")
        html = resp.get_data(as_text=True)
        assert resp.status_code == 403
        assert "View source for Guarded" in html and "original text" in html
        assert 'id="editform"' not in html
        fields = form_fields(wc.client.get("/wiki/Special:UserLogin").get_data(as_text=True))
        data = {**fields, "wpTextbox1": "vandal", "wpSave": "1"}
        assert wc.client.post("/w/index.php?title=Guarded&action=submit", data=data).status_code == 403
    assert "original text" in anon.view("Guarded").get_data(as_text=True)
    assert sysop.edit("Guarded", "sysop text").status_code == 303


def test_semi_protection_lets_registered_users_edit(sysop, member, anon):
    anon.edit("Semi", "text")
    _protect(sysop, "Semi", "autoconfirmed")
    assert anon.client.get("/w/index.php?title=Semi&action=edit").status_code == 403
    assert member.edit("Semi", "member text").status_code == 303


def test_protection_with_a_bad_expiry_is_refused_with_a_message(sysop, anon):
    anon.edit("Later", "text")
    resp = _protect(sysop, "Later", "sysop", expiry="next tuesday-ish")
    assert resp.status_code == 400 and "not valid" in resp.get_data(as_text=True)
    assert anon.client.get("/w/index.php?title=Later&action=edit").status_code == 200


def _block(wc, target: str, expiry: str = "infinite", reason: str = "vandalism"):
    fields = _form(wc, "/wiki/Special:Block")
    data = {**fields, "wpTarget": target, "wpExpiry": expiry, "wpReason": reason}
    return wc.client.post("/w/index.php?title=Special:Block", data=data)


def test_blocked_user_and_ip_cannot_edit_and_are_told_why(app, sysop):
    make_account(app, "Vandal")
    vandal = logged_in(app, "Vandal", ip="203.0.113.5")
    assert _block(sysop, "Vandal", "1 week").status_code == 200
    resp = vandal.client.get("/w/index.php?title=Anything&action=edit")
    assert (
        resp.status_code == 403
        and "blocked" in resp.get_data(as_text=True)
        and "vandalism" in resp.get_data(as_text=True)
    )
    other_ip = anonymous(app, "198.51.100.9")
    assert other_ip.edit("Anything", "fine").status_code == 303
    assert _block(sysop, "198.51.100.0/24").status_code == 200
    assert other_ip.client.get("/w/index.php?title=Anything&action=edit").status_code == 403
    assert "198.51.100.0/24" in sysop.client.get("/wiki/Special:BlockList").get_data(as_text=True)
    fields = _form(sysop, "/wiki/Special:Unblock")
    resp = sysop.client.post("/w/index.php?title=Special:Unblock", data={**fields, "wpTarget": "Vandal"})
    assert resp.status_code == 200
    assert vandal.edit("Anything", "reformed").status_code == 303


def test_block_of_an_unknown_user_is_refused(sysop):
    resp = _block(sysop, "Nobody Here")
    assert resp.status_code == 400 and "neither an IP address nor an existing user" in resp.get_data(
        as_text=True
    )


def test_non_sysops_cannot_open_block_or_undelete(member, anon):
    for wc in (member, anon):
        for page in ("Special:Block", "Special:Undelete", "Special:Unblock"):
            resp = wc.client.get(f"/wiki/{page}")
            assert resp.status_code == 403, page
            assert "Administrators" in resp.get_data(as_text=True)


def test_anonymous_editing_switched_off_answers_403_with_the_reason(app, anon):
    app.config["WIKI_ANON_EDIT"] = False
    resp = anon.client.get("/w/index.php?title=Anything&action=edit")
    assert resp.status_code == 403 and "log in" in resp.get_data(as_text=True)


def test_account_creation_switched_off_answers_403(app, anon):
    app.config["WIKI_ACCOUNT_CREATION"] = False
    resp = anon.client.get("/wiki/Special:CreateAccount")
    assert resp.status_code == 403 and "Account creation is disabled" in resp.get_data(as_text=True)


def test_create_admin_command_makes_a_sysop(app, anon):
    runner = app.test_cli_runner()
    with app.app_context():  # as `flask --app wiki create-admin` runs it
        result = runner.invoke(args=["create-admin", "Root", "--password", "correct horse battery"])
    assert result.exit_code == 0, result.output
    root = logged_in(app, "Root")
    anon.edit("Victim", "text")
    assert root.client.get("/w/index.php?title=Victim&action=delete").status_code == 200


def test_undelete_over_a_recreated_page_merges_the_histories(app, sysop, anon):
    anon.edit("Phoenix", "old one")
    _delete(sysop, "Phoenix")
    anon.edit("Phoenix", "new one")
    page = sysop.client.get("/wiki/Special:Undelete/Phoenix")
    fields = form_fields(page.get_data(as_text=True))
    assert sysop.client.post("/w/index.php?title=Special:Undelete/Phoenix", data=fields).status_code == 200
    assert "new one" in anon.view("Phoenix").get_data(as_text=True)  # the newest revision stays current
    with app.app_context():
        from wiki import pages, site

        page = pages.get(site.parse_title("Phoenix"))
        assert pages.revision_count(page) == 2


def test_delete_log_records_who_and_why(app, sysop, anon):
    anon.edit("Logged", "text")
    _delete(sysop, "Logged", reason="copyright violation")
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import LogEntry

        entry = db.session.scalars(db.select(LogEntry).where(LogEntry.type == "delete")).one()
        assert (entry.action, entry.title, entry.user_text) == ("delete", "Logged", "Admin")
        assert entry.comment == "copyright violation"


def test_a_title_deleted_twice_keeps_both_histories_in_the_archive(sysop, anon):
    anon.edit("Twice", "first life")
    assert _delete(sysop, "Twice").status_code == 200
    anon.edit("Twice", "second life")
    assert _delete(sysop, "Twice").status_code == 200  # revision ids were not reused, so no clash
    listing = sysop.client.get("/wiki/Special:Undelete/Twice").get_data(as_text=True)
    assert listing.count('name="ids"') == 2
