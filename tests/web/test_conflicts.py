"""Edit conflicts: merged when the changes do not overlap, refused (nothing lost) when they do."""

import re


def _raw(client, title):
    return client.get(f"/w/index.php?title={title}&action=raw").get_data(as_text=True)


def test_non_overlapping_edits_merge(app, wiki):
    wiki.edit("Shared", "first line\nmiddle\nlast line")
    alice = wiki.edit_form("Shared")
    bob_client = app.test_client()
    from tests.helpers import WikiClient

    bob = WikiClient(bob_client)
    bob_fields = bob.edit_form("Shared")
    alice["wpTextbox1"] = "FIRST LINE\nmiddle\nlast line"
    assert wiki.submit("Shared", alice).status_code == 303
    bob_fields["wpTextbox1"] = "first line\nmiddle\nLAST LINE"
    assert bob.submit("Shared", bob_fields).status_code == 303
    assert _raw(wiki.client, "Shared") == "FIRST LINE\nmiddle\nLAST LINE"


def test_overlapping_edits_show_conflict_and_save_nothing(app, wiki):
    wiki.edit("Contested", "the sky is blue")
    from tests.helpers import WikiClient

    other = WikiClient(app.test_client())
    mine = wiki.edit_form("Contested")
    theirs = other.edit_form("Contested")
    mine["wpTextbox1"] = "the sky is green"
    wiki.submit("Contested", mine)
    theirs["wpTextbox1"] = "the sky is red"
    resp = other.submit("Contested", theirs)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Edit conflict" in html
    assert "the sky is green" in html  # current text in the upper box
    assert re.search(r'<textarea id="wpTextbox2"[^>]*>the sky is red</textarea>', html)  # user's text kept
    assert _raw(wiki.client, "Contested") == "the sky is green"


def test_two_anonymous_sessions_from_one_address_still_conflict(app, wiki):
    wiki.edit("Sameip", "base text")
    from tests.helpers import WikiClient

    second = WikiClient(app.test_client())
    a, b = wiki.edit_form("Sameip"), second.edit_form("Sameip")
    a["wpTextbox1"] = "version A"
    b["wpTextbox1"] = "version B"
    assert wiki.submit("Sameip", a).status_code == 303
    assert second.submit("Sameip", b).status_code == 409
    assert _raw(wiki.client, "Sameip") == "version A"


def test_creating_a_page_someone_just_created_conflicts(app, wiki):
    from tests.helpers import WikiClient

    other = WikiClient(app.test_client())
    a, b = wiki.edit_form("Newpage"), other.edit_form("Newpage")
    a["wpTextbox1"], b["wpTextbox1"] = "from A", "from B"
    assert wiki.submit("Newpage", a).status_code == 303
    assert other.submit("Newpage", b).status_code == 409
    assert _raw(wiki.client, "Newpage") == "from A"
