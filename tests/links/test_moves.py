"""Special:MovePage through HTTP: rules, history, redirects, links tables, log and bad input."""

import re

from tests.helpers import form_fields
from tests.links.conftest import content, html_of, link_class, move, search_hits, wait_for


def _history_ids(wc, title):
    html = html_of(wc.client.get(f"/w/index.php?title={title}&action=history"))
    return re.findall(r'data-mw-revid="(\d+)"', html)


def test_move_leaves_a_redirect_and_keeps_the_whole_history(editor):
    editor.edit("Old title", "First.")
    editor.edit("Old title", "First. Second.")
    editor.edit("Referrer", "Go to [[Old title]] and [[New title]].")
    assert link_class(content(editor.view("Referrer")), "New title") == "new"
    before = _history_ids(editor, "Old_title")
    resp = move(editor, "Old_title", "New title", reason="better name")
    assert resp.status_code == 200, html_of(resp)[:2000]
    assert "has been moved to" in html_of(resp) and "A redirect has been created." in html_of(resp)
    after = _history_ids(editor, "New_title")
    assert after[1:] == before and len(after) == len(before) + 1  # plus the null revision of the move
    history = html_of(editor.client.get("/w/index.php?title=New_title&action=history"))
    assert "moved page" in history and "better name" in history
    view = editor.view("Old_title")
    assert "First. Second." in html_of(view) and "(Redirected from" in html_of(view)
    # The red link to the new title turned blue without saving Referrer again.
    assert link_class(content(editor.view("Referrer")), "New title") == ""
    wlh = html_of(editor.client.get("/wiki/Special:WhatLinksHere/New_title"))
    assert re.search(r">Old title</a> \(redirect page\).*?>Referrer</a>", wlh, re.S)
    with editor.client.application.app_context():
        from wiki.models import LogEntry

        entry = LogEntry.query.filter_by(type="move").one()
        assert (entry.action, entry.title, entry.user_text, entry.comment) == (
            "move",
            "Old_title",
            "Editor",
            "better name",
        )
        assert '"target": "New title"' in entry.params


def test_move_without_redirect_turns_links_to_the_old_title_red(admin):
    admin.edit("Gone soon", "Body.")
    admin.edit("Referrer", "See [[Gone soon]].")
    resp = move(admin, "Gone_soon", "Arrived", leave_redirect=False)
    assert resp.status_code == 200 and "suppressed" in html_of(resp)
    assert admin.view("Gone_soon").status_code == 404
    assert "Body." in html_of(admin.view("Arrived"))
    assert link_class(content(admin.view("Referrer")), "Gone soon") == "new"


def test_editors_cannot_suppress_the_redirect(editor):
    editor.edit("Keep redirect", "x")
    assert move(editor, "Keep_redirect", "Kept", leave_redirect=False).status_code == 200
    assert "(Redirected from" in html_of(editor.view("Keep_redirect"))


def test_anonymous_users_cannot_move_pages(wiki):
    wiki.edit("Anon page", "x")
    resp = wiki.client.get("/wiki/Special:MovePage/Anon_page")
    assert resp.status_code == 403 and "logged in" in html_of(resp)
    token = form_fields(html_of(wiki.client.get("/wiki/Special:UserLogin")))["wpEditToken"]
    data = {
        "wpOldTitle": "Anon page",
        "wpNewTitle": "Anon moved",
        "wpEditToken": token,
        "wpLeaveRedirect": "1",
    }
    assert wiki.client.post("/w/index.php?title=Special:MovePage", data=data).status_code == 403
    assert wiki.view("Anon_moved").status_code == 404


def test_move_onto_an_existing_page_is_refused_and_changes_nothing(editor):
    editor.edit("Source", "source text")
    editor.edit("Occupied", "occupied text")
    resp = move(editor, "Source", "Occupied")
    assert resp.status_code == 409
    assert "already exists" in html_of(resp)
    assert "source text" in html_of(editor.view("Source"))
    assert "occupied text" in html_of(editor.view("Occupied"))


def test_move_back_over_its_own_redirect_is_allowed(editor):
    editor.edit("Back and forth", "the text")
    assert move(editor, "Back_and_forth", "Forth").status_code == 200
    # "Back and forth" is now a single-revision redirect to "Forth": MediaWiki lets the page move back.
    resp = move(editor, "Forth", "Back and forth")
    assert resp.status_code == 200, html_of(resp)[:2000]
    html = html_of(editor.view("Back_and_forth"))
    assert "the text" in html and "(Redirected from" not in html
    assert "(Redirected from" in html_of(editor.view("Forth"))


def test_move_over_an_edited_redirect_is_refused(editor):
    editor.edit("Real", "x")
    editor.edit("Pointer", "#REDIRECT [[Real]]")
    editor.edit("Pointer", "#REDIRECT [[Real]]\n[[Category:Pointers]]")
    assert move(editor, "Real", "Pointer").status_code == 409


def test_move_bad_input_gets_a_clear_message(editor):
    editor.edit("Movable", "x")
    cases = [
        ("Movable", "Movable", 400, "same"),
        ("Movable", "Bad[title", 400, "invalid"),
        ("Movable", "", 400, "new title"),
        ("Movable", "Special:Movable", 400, "Special"),
    ]
    for old, new, status, words in cases:
        resp = move(editor, old, new)
        assert resp.status_code == status, (new, resp.status_code)
        assert words in html_of(resp), (new, words)
    missing = editor.client.get("/wiki/Special:MovePage/Never_written")
    assert missing.status_code == 404 and "does not exist" in html_of(missing)
    token = form_fields(html_of(editor.client.get("/wiki/Special:MovePage/Movable")))["wpEditToken"]
    data = {"wpOldTitle": "Never written", "wpNewTitle": "Whatever", "wpEditToken": token}
    assert editor.client.post("/w/index.php?title=Special:MovePage", data=data).status_code == 404
    stale = {"wpOldTitle": "Movable", "wpNewTitle": "Elsewhere", "wpEditToken": "bogus+\\"}
    assert editor.client.post("/w/index.php?title=Special:MovePage", data=stale).status_code == 400
    assert editor.view("Elsewhere").status_code == 404
    assert "x" in html_of(editor.view("Movable"))


def test_move_takes_the_talk_page_along(editor):
    editor.edit("Subject", "s")
    editor.edit("Talk:Subject", "t")
    resp = move(editor, "Subject", "Renamed subject", wpMovetalk="1")
    assert resp.status_code == 200
    assert "Talk:Renamed subject" in html_of(resp)
    assert "t" in html_of(editor.view("Talk:Renamed_subject"))


def test_search_index_follows_the_move(editor):
    editor.client.get("/wiki/Special:Search")  # starts the indexer
    editor.edit("Quokka notes", "The quokka is a small marsupial.")
    wait_for(lambda: search_hits(editor.client, "marsupial") == ["Quokka notes"], timeout=5.0)
    assert move(editor, "Quokka_notes", "Marsupial notes").status_code == 200
    wait_for(lambda: "Marsupial notes" in search_hits(editor.client, "marsupial"), timeout=5.0)
    assert "Quokka notes" not in search_hits(editor.client, "small marsupial")
