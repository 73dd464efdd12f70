"""The foundation through HTTP: view, edit, preview, history, old revisions, diffs, raw, undo."""

import re

from tests.helpers import form_fields


def test_root_redirects_to_main_page(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/wiki/Main_Page")


def test_missing_page_is_404_with_create_link(client):
    resp = client.get("/wiki/No_such_page")
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "There is currently no text in this page" in html
    assert "title=No_such_page&amp;action=edit" in html


def test_create_edit_and_view(wiki):
    resp = wiki.edit("Sandbox", "Hello '''world'''", summary="first")
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/wiki/Sandbox")
    page = wiki.view("Sandbox")
    assert page.status_code == 200
    assert "Hello" in page.get_data(as_text=True)


def test_spaces_and_underscores_are_the_same_page(wiki):
    wiki.edit("Two words", "text one")
    assert wiki.view("Two_words").status_code == 200
    assert wiki.client.get("/w/index.php?title=two%20words&action=raw").get_data(as_text=True) == "text one"


def test_raw_returns_wikitext(wiki):
    wiki.edit("Rawpage", "''x''\n\n")
    resp = wiki.client.get("/w/index.php?title=Rawpage&action=raw")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/x-wiki; charset=UTF-8"
    assert resp.get_data(as_text=True) == "''x''"  # trailing whitespace trimmed, as MediaWiki does


def test_preview_renders_without_saving(wiki):
    fields = wiki.edit_form("Preview me")
    fields["wpTextbox1"] = "preview body text"
    resp = wiki.submit("Preview_me", fields, "wpPreview")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert 'id="wikiPreview"' in html and "preview body text" in html
    assert wiki.view("Preview_me").status_code == 404


def test_show_changes_displays_diff_without_saving(wiki):
    wiki.edit("Changes", "alpha beta")
    fields = wiki.edit_form("Changes")
    fields["wpTextbox1"] = "alpha gamma"
    html = wiki.submit("Changes", fields, "wpDiff").get_data(as_text=True)
    assert '<ins class="diffchange diffchange-inline">gamma</ins>' in html
    assert wiki.client.get("/w/index.php?title=Changes&action=raw").get_data(as_text=True) == "alpha beta"


def _history_rows(client, title):
    html = client.get(f"/w/index.php?title={title}&action=history").get_data(as_text=True)
    return html, re.findall(r'<li data-mw-revid="(\d+)">', html)


def test_history_lists_revisions_newest_first(wiki):
    wiki.edit("Hist", "one")
    wiki.edit("Hist", "one two", summary="added two", minor=True)
    wiki.edit("Hist", "one", summary="removed two")
    html, ids = _history_rows(wiki.client, "Hist")
    assert len(ids) == 3
    assert ids == sorted(ids, key=int, reverse=True)
    assert "added two" in html and "removed two" in html
    assert "(+4)" in html and "(-4)" in html
    assert 'class="minoredit"' in html
    assert "127.0.0.1" in html  # anonymous edits are attributed to the IP address
    assert html.count('type="radio" name="oldid"') == 3


def test_null_edit_makes_no_revision(wiki):
    wiki.edit("Nulledit", "same text")
    wiki.edit("Nulledit", "same text")
    _html, ids = _history_rows(wiki.client, "Nulledit")
    assert len(ids) == 1


def test_old_revision_shows_notice_and_navigation(wiki):
    wiki.edit("Old", "first version")
    wiki.edit("Old", "second version")
    _html, ids = _history_rows(wiki.client, "Old")
    old_id = ids[-1]
    html = wiki.client.get(f"/w/index.php?title=Old&oldid={old_id}").get_data(as_text=True)
    assert "This is an old revision of this page" in html
    assert "first version" in html and "second version" not in html
    assert "Newer revision" in html and "Latest revision" in html


def test_diff_between_two_revisions(wiki):
    wiki.edit("Difftest", "the quick brown fox")
    wiki.edit("Difftest", "the slow brown fox")
    _html, ids = _history_rows(wiki.client, "Difftest")
    new, old = ids
    for url in (
        f"/w/index.php?title=Difftest&diff={new}&oldid={old}",
        f"/w/index.php?title=Difftest&diff=prev&oldid={new}",
        f"/w/index.php?title=Difftest&diff=next&oldid={old}",
        f"/w/index.php?title=Difftest&diff=cur&oldid={old}",
        f"/w/index.php?title=Difftest&diff={new}",
    ):
        html = wiki.client.get(url).get_data(as_text=True)
        assert '<del class="diffchange diffchange-inline">quick</del>' in html, url
        assert '<ins class="diffchange diffchange-inline">slow</ins>' in html, url
        assert 'class="diff diff-contentalign-left"' in html


def test_undo_goes_through_the_edit_form(wiki):
    wiki.edit("Undoable", "line a\nline b\nline c")
    wiki.edit("Undoable", "line a\nline B\nline c")
    wiki.edit("Undoable", "line a\nline B\nline c\nline d")
    _html, ids = _history_rows(wiki.client, "Undoable")
    latest, middle, first = ids
    fields = wiki.edit_form("Undoable", undo=middle, undoafter=first)
    assert fields["wpTextbox1"] == "line a\nline b\nline c\nline d"
    assert fields["wpSummary"].startswith(f"Undo revision {middle} by")
    # Nothing is saved until the user confirms.
    assert len(_history_rows(wiki.client, "Undoable")[1]) == 3
    assert wiki.submit("Undoable", fields).status_code == 303
    raw = wiki.client.get("/w/index.php?title=Undoable&action=raw").get_data(as_text=True)
    assert raw == "line a\nline b\nline c\nline d"


def test_restore_old_revision(wiki):
    wiki.edit("Restore", "v1")
    wiki.edit("Restore", "v2")
    _html, ids = _history_rows(wiki.client, "Restore")
    fields = wiki.edit_form("Restore", oldid=ids[-1])
    assert fields["wpTextbox1"] == "v1"
    assert fields["wpSummary"].startswith("Restore revision")
    wiki.submit("Restore", fields)
    assert wiki.client.get("/w/index.php?title=Restore&action=raw").get_data(as_text=True) == "v1"


def test_recent_changes_lists_edits(wiki):
    wiki.edit("Recent one", "abc", summary="made recent one")
    html = wiki.client.get("/wiki/Special:RecentChanges?limit=10&days=7").get_data(as_text=True)
    assert "Recent one" in html and "made recent one" in html and "(+3)" in html


def test_logged_in_edits_are_attributed_to_the_account(wiki):
    assert wiki.login("Alice", "correct horse battery").status_code == 303
    wiki.edit("Attributed", "by alice")
    html, _ids = _history_rows(wiki.client, "Attributed")
    assert "User:Alice" in html


def test_login_and_logout(wiki):
    wiki.login("Bob", "correct horse battery")
    wiki.client.post(
        "/w/index.php?title=Special:UserLogout",
        data=form_fields(wiki.client.get("/wiki/Special:UserLogout").get_data(as_text=True)),
    )
    html = wiki.client.get("/wiki/Main_Page").get_data(as_text=True)
    assert "Log in" in html
    resp = wiki.login("Bob", "wrong password!", create=False)
    assert resp.status_code == 200  # MediaWiki: the form again, with the error box
    assert "Incorrect username or password" in resp.get_data(as_text=True)
    assert wiki.login("Bob", "correct horse battery", create=False).status_code == 303
