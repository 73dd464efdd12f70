"""Special:Log through HTTP: every log's lines in words, filters, paging, links to it, bad input, and
a number of queries that does not grow with the rows shown."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.helpers import form_fields
from tests.links.conftest import account, delete, html_of, move
from tests.perf.test_query_counts import counting


def _form(wc, url: str) -> dict[str, str]:
    resp = wc.client.get(url)
    assert resp.status_code == 200, html_of(resp)[:300]
    return form_fields(html_of(resp))


def protect(wc, title: str, edit: str, move_level: str = "", expiry: str = "infinite", reason: str = ""):
    url = f"/w/index.php?title={title}&action=protect"
    data = {
        **_form(wc, url),
        "mwProtect-level-edit": edit,
        "mwProtect-level-move": move_level,
        "mwProtectUnchained": "1",  # the move level is given apart from the edit level
        "mwProtect-expiry": expiry,
        "mwProtect-reason": reason,
    }
    return wc.client.post(url, data=data)


def block(wc, target: str, expiry: str, reason: str):
    data = {**_form(wc, "/wiki/Special:Block"), "wpTarget": target, "wpExpiry": expiry, "wpReason": reason}
    return wc.client.post("/w/index.php?title=Special:Block", data=data)


def undelete(wc, title: str, reason: str):
    data = {**_form(wc, f"/wiki/Special:Undelete/{title}"), "wpComment": reason}
    return wc.client.post(f"/w/index.php?title=Special:Undelete/{title}", data=data)


def lines(resp) -> list[str]:
    """The log lines as a reader sees them: tags dropped, whitespace collapsed."""
    assert resp.status_code == 200, html_of(resp)[:2000]
    items = re.findall(r'<li data-mw-logid="\d+"[^>]*>(.*?)</li>', html_of(resp), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


def actions(resp) -> list[str]:
    """The log lines without their timestamp and performer."""
    return [re.split(r" \(talk[^)]*\) ", line, maxsplit=1)[1] for line in lines(resp)]


def log_ids(resp) -> list[int]:
    return [int(i) for i in re.findall(r'data-mw-logid="(\d+)"', html_of(resp))]


def link(resp, css: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" class="{css}"', html_of(resp))
    return unescape(match.group(1)) if match else None


@pytest.fixture
def history(admin):
    """One entry of each kind the wiki writes, by Admin, in this order."""
    account(admin.client.application, "Troll")
    admin.edit("Old name", "Moving soon.")
    admin.edit("Doomed", "Spam.")
    admin.edit("Guarded", "Precious.")
    assert move(admin, "Old_name", "New name", reason="clearer").status_code == 200
    assert delete(admin, "Doomed").status_code == 200
    assert undelete(admin, "Doomed", "was fine").status_code == 200
    assert protect(admin, "Guarded", "sysop", "sysop", reason="edit war").status_code == 200
    assert block(admin, "Troll", "infinite", "vandalism").status_code == 200
    return admin


def test_log_shows_every_action_newest_first_in_words(history, client):
    shown = lines(client.get("/wiki/Special:Log"))
    assert len(shown) == 8, shown
    stamp = r"\d\d:\d\d, \d\d? \w+ \d{4}"
    expected = [
        r"Admin \(talk \| contribs\) blocked User:Troll with an expiration time of indefinite \(vandalism\)",
        r"Admin \(talk \| contribs\) protected Guarded \[Edit=Allow only administrators\] \(indefinite\) "
        r"\[Move=Allow only administrators\] \(indefinite\) \(edit war\)",
        r"Admin \(talk \| contribs\) restored page Doomed \(1 revision\) \(was fine\)",
        r"Admin \(talk \| contribs\) deleted page Doomed \(test\)",
        r"Admin \(talk \| contribs\) moved page Old name to New name \(clearer\)",
        r"Admin \(talk \| contribs\) created page Guarded",  # the pages' creations (the creation log)
        r"Admin \(talk \| contribs\) created page Doomed",
        r"Admin \(talk \| contribs\) created page Old name",
    ]
    for line, pattern in zip(shown, expected, strict=True):
        assert re.fullmatch(f"{stamp} {pattern}", line), line
    html = html_of(client.get("/wiki/Special:Log"))
    # The performer links to his user page (red: it does not exist), pages to themselves.
    assert (
        '<a href="/w/index.php?title=User:Admin&amp;action=edit&amp;redlink=1" class="new mw-userlink"'
        in html
    )
    assert '<a href="/wiki/New_name" title="New name">New name</a>' in html
    assert 'href="/w/index.php?title=Old_name&amp;redirect=no"' in html  # the redirect left behind


def test_move_without_redirect_and_timed_block_say_so(admin, client):
    account(admin.client.application, "Spammer")
    admin.edit("Draft", "x")
    move(admin, "Draft", "Final", leave_redirect=False)
    block(admin, "Spammer", "1 week", "")
    shown = lines(client.get("/wiki/Special:Log"))
    # The expiry in the reader's time zone (UTC for this anonymous reader), as their other dates.
    assert re.search(r"blocked User:Spammer with an expiration time of \d\d:\d\d, \d+ \w+ \d{4}$", shown[0])
    assert shown[1].endswith("moved page Draft to Final without leaving a redirect")


def test_a_log_type_as_subpage_or_parameter_shows_that_log_only(history, client):
    resp = client.get("/wiki/Special:Log/delete")
    html = html_of(resp)
    assert '<h1 id="firstHeading" class="firstHeading">Deletion log</h1>' in html
    assert "Pages deleted, and deleted pages restored." in html
    assert actions(resp) == [
        "restored page Doomed (1 revision) (was fine)",
        "deleted page Doomed (test)",
    ]
    assert '<option value="delete" selected>Deletion log</option>' in html
    by_param = client.get("/w/index.php?title=Special:Log&type=move")
    assert "Move log</h1>" in html_of(by_param)
    assert actions(by_param) == ["moved page Old name to New name (clearer)"]
    assert "Logs</h1>" in html_of(client.get("/wiki/Special:Log"))


def test_performer_and_target_filters(history, app, client):
    editor = account(app, "Editor")
    editor.edit("Mine", "x")
    move(editor, "Mine", "Ours")
    assert actions(client.get("/wiki/Special:Log?user=Editor")) == [
        "moved page Mine to Ours",
        "created page Mine",
    ]
    assert lines(client.get("/wiki/Special:Log?user=editor")) == lines(client.get("/wiki/Special:Log/Editor"))
    assert len(lines(client.get("/wiki/Special:Log?user=Admin"))) == 8
    assert len(lines(client.get("/wiki/Special:Log/move/Admin"))) == 1
    doomed = actions(client.get("/w/index.php?title=Special:Log&page=Doomed"))
    assert [line.split(" (")[0] for line in doomed] == [
        "restored page Doomed",
        "deleted page Doomed",
        "created page Doomed",
    ]
    assert len(lines(client.get("/wiki/Special:Log?page=User:Troll&type=block"))) == 1
    assert lines(client.get("/wiki/Special:Log?page=Doomed&type=move")) == []
    empty = html_of(client.get("/wiki/Special:Log?user=Nobody"))
    assert "No matching entries in the log." in empty


def test_paging_walks_the_whole_log_without_gaps_or_repeats(admin, client):
    admin.edit("Flip", "x")
    for level in ("sysop", "", "autoconfirmed", "", "sysop", ""):
        assert protect(admin, "Flip", level).status_code == 200
    everything = log_ids(client.get("/wiki/Special:Log"))
    assert len(everything) == 7 and everything == sorted(
        everything, reverse=True
    )  # a creation, 6 protections
    first = client.get("/wiki/Special:Log?limit=4")
    assert log_ids(first) == everything[:4]
    assert link(first, "mw-prevlink") is None and link(first, "mw-firstlink") is None
    older = client.get(link(first, "mw-nextlink"))
    assert log_ids(older) == everything[4:]
    assert link(older, "mw-nextlink") is None and link(older, "mw-lastlink") is None
    newer = client.get(link(older, "mw-prevlink"))
    assert log_ids(newer) == everything[:4]
    assert "newer 4 | " in html_of(newer)
    oldest = client.get(link(first, "mw-lastlink"))
    assert log_ids(oldest) == everything[3:]  # the oldest 4
    assert log_ids(client.get(link(oldest, "mw-firstlink"))) == everything[:4]
    assert log_ids(client.get("/wiki/Special:Log?offset=20000101000000")) == []
    assert log_ids(client.get("/wiki/Special:Log?offset=30000101000000")) == everything


def test_filters_survive_paging(admin, client):
    admin.edit("One", "x")
    admin.edit("Two", "x")
    for level in ("sysop", ""):
        protect(admin, "One", level)
        protect(admin, "Two", level)
    first = client.get("/wiki/Special:Log/protect?page=Two&limit=1")
    nxt = link(first, "mw-nextlink")
    assert "type=protect" in nxt and "page=Two" in nxt
    assert lines(client.get(nxt))[0].endswith("protected Two [Edit=Allow only administrators] (indefinite)")


@pytest.mark.parametrize(
    "query, message",
    [
        ("type=bogus", '"bogus" is not a log type'),
        ("page=%5B%5Bbad%5D%5D", 'The parameter "page" is not a valid title'),
        ("user=A%23b", 'The parameter "user" is not a valid'),
        ("limit=abc", 'The parameter "limit" must be a whole number'),
        ("limit=100000", 'The parameter "limit" must be between 1 and 500'),
        ("limit=0", 'The parameter "limit" must be between 1 and 500'),
        ("offset=abc", 'The parameter "offset" must be a position in the log'),
        ("offset=99999999999999999999999", 'The parameter "offset" must be a position in the log'),
        ("offset=99999999999999", "is not a valid date and time"),
        ("offset=20240101000000%7C99999999999", 'The parameter "offset" must be a position in the log'),
        ("page=Special:Log&user=" + "x" * 300, 'The parameter "user" is longer than'),
    ],
)
def test_bad_input_is_a_400_that_names_the_problem(client, query, message):
    resp = client.get(f"/w/index.php?title=Special:Log&{query}")
    assert resp.status_code == 400, html_of(resp)[:500]
    assert message in unescape(html_of(resp))


def test_unknown_subpage_names_a_performer_as_in_mediawiki(history, client):
    resp = client.get("/wiki/Special:Log/Nobody_here")
    assert resp.status_code == 200
    assert 'value="Nobody here"' in html_of(resp) and lines(resp) == []


def test_the_log_is_linked_from_special_pages_and_the_action_forms(admin):
    specials = html_of(admin.client.get("/wiki/Special:SpecialPages"))
    assert '<a href="/wiki/Special:Log">Logs</a>' in specials
    admin.edit("Linked", "x")
    delete_form = html_of(admin.client.get("/w/index.php?title=Linked&action=delete"))
    assert 'href="/w/index.php?title=Special:Log/delete&amp;page=Linked"' in delete_form
    protect_form = html_of(admin.client.get("/w/index.php?title=Linked&action=protect"))
    assert 'href="/w/index.php?title=Special:Log/protect&amp;page=Linked"' in protect_form
    done = html_of(move(admin, "Linked", "Linked again"))
    assert 'href="/wiki/Special:Log/move"' in done


def test_log_costs_the_same_queries_for_two_entries_as_for_twelve(app, admin):
    """Each entry names another page (red or blue): their existence is looked up all at once."""

    def count(pages: range) -> tuple[int, int]:
        for i in pages:
            admin.edit(f"Counted {i}", "x")
            protect(admin, f"Counted {i}", "sysop", reason="counting")
        with counting(app) as statements:
            resp = admin.client.get("/wiki/Special:Log")
        assert resp.status_code == 200
        assert sum("FROM log_entry" in q for q in statements) == 1, statements
        assert sum("FROM page" in q for q in statements) <= 1, statements
        return len(statements), len(log_ids(resp))

    few, shown_few = count(range(2))
    many, shown_many = count(range(2, 12))
    assert (shown_few, shown_many) == (4, 24)  # each page's creation and protection
    assert many == few, (few, many)


def test_creating_an_account_is_logged(client):
    from tests.helpers import WikiClient

    newcomer = WikiClient(client)
    assert newcomer.login("Newcomer", "a long enough password", create=True).status_code in (200, 302, 303)
    shown = lines(client.get("/wiki/Special:Log/newusers"))
    assert len(shown) == 1 and shown[0].endswith("User account Newcomer (talk | contribs) was created"), shown
