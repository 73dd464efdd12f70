"""Watchlists in the browser: the star (without JavaScript), action=watch/unwatch, the edit and move
forms' box, Special:Watchlist with its filters and "mark all as seen", Special:EditWatchlist."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import form_fields
from tests.security.conftest import anonymous, logged_in, make_account


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("watch_web")
    app = make_app(fresh_database_url(database_template, folder), folder / "instance")
    make_account(app, "Walter")
    make_account(app, "Wendy")
    make_account(app, "Mover", "sysop")
    yield app
    close_app(app)


@pytest.fixture(autouse=True)
def _empty_watchlists(app):
    """The accounts are shared by the module, their watchlists are not: each test starts from
    empty ones, so no test depends on what another left (whatever the order or the worker)."""
    from wiki.access import users
    from wiki.pages import watchlist

    with app.app_context():
        for name in ("Walter", "Wendy", "Mover"):
            watchlist.clear(users.find_user(name).id)


@pytest.fixture(scope="module")
def walter(app):
    return logged_in(app, "Walter")


@pytest.fixture(scope="module")
def wendy(app):
    return logged_in(app, "Wendy")


def _star(html: str) -> tuple[str, str, str]:
    """(id of the star's tab, its form action, its button label)."""
    tab = r'<li id="(ca-(?:un)?watch)"[^>]*>\s*<form method="post" action="([^"]*)"'
    match = re.search(tab + r".*?<button[^>]*>([^<]*)</button>", html, re.S)
    assert match, "no watch star"
    return match.group(1), unescape(match.group(2)), match.group(3)


def _watched_titles(wc) -> list[str]:
    html = wc.client.get("/wiki/Special:EditWatchlist/raw").get_data(as_text=True)
    text = re.search(r'<textarea id="mw-input-wpTitles"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    return [unescape(line) for line in text.splitlines() if line]


def test_the_star_watches_and_unwatches_without_javascript(walter):
    assert walter.edit("Star page", "text").status_code == 303
    html = walter.view("Star_page").get_data(as_text=True)
    tab, action, label = _star(html)
    assert (tab, label) == ("ca-watch", "Watch") and "action=watch" in action
    token = form_fields(html)["wpEditToken"]
    done = walter.client.post(action, data={"wpEditToken": token})
    assert done.status_code == 200
    assert "have been added to your watchlist" in done.get_data(as_text=True)
    tab, action, label = _star(walter.view("Star_page").get_data(as_text=True))
    assert (tab, label) == ("ca-unwatch", "Unwatch")
    assert _watched_titles(walter) == ["Star page"]
    # The talk page shows the same state: they are watched together.
    assert _star(walter.view("Talk:Star_page").get_data(as_text=True))[0] == "ca-unwatch"
    gone = walter.client.post(action, data={"wpEditToken": token})
    assert "removed from your watchlist" in gone.get_data(as_text=True)
    assert _watched_titles(walter) == []


def test_watch_action_confirms_on_get_and_refuses_a_bad_token_or_expiry(app, walter):
    form = walter.client.get("/w/index.php?title=Confirm_me&action=watch")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Add this page to your watchlist?" in html
    assert 'name="wpexpiry"' in html and _watched_titles(walter) == []
    bad = walter.client.post("/w/index.php?title=Confirm_me&action=watch", data={"wpEditToken": "x"})
    assert bad.status_code == 400 and _watched_titles(walter) == []
    token = form_fields(html)["wpEditToken"]
    url = "/w/index.php?title=Confirm_me&action=watch"
    wrong = walter.client.post(url, data={"wpEditToken": token, "wpexpiry": "someday"})
    assert wrong.status_code == 400
    temporary = walter.client.post(url, data={"wpEditToken": token, "wpexpiry": "1 week"})
    assert "temporarily, until" in temporary.get_data(as_text=True)
    assert _watched_titles(walter) == ["Confirm me"]
    special = walter.client.get("/w/index.php?title=Special:Watchlist&action=watch")
    assert special.status_code == 200  # a special page ignores action=, as MediaWiki
    anon = anonymous(app).client.get("/w/index.php?title=Confirm_me&action=watch")
    assert anon.status_code == 302 and "Special:UserLogin" in anon.headers["Location"]
    walter.client.post("/w/index.php?title=Confirm_me&action=unwatch", data={"wpEditToken": token})


def test_edit_form_box_watches_and_unwatches(walter):
    fields = walter.edit_form("Boxed")
    html = walter.client.get("/w/index.php?title=Boxed&action=edit").get_data(as_text=True)
    # Checked by default: MediaWiki's preferences watch the pages one creates and edits.
    assert re.search(
        r'<input type="checkbox" id="wpWatchthis" name="wpWatchthis" value="1" accesskey="w" checked>', html
    )
    fields.update(wpTextbox1="new page", wpWatchthis="1")
    assert walter.submit("Boxed", fields).status_code == 303
    assert "Boxed" in _watched_titles(walter)
    html = walter.client.get("/w/index.php?title=Boxed&action=edit").get_data(as_text=True)
    assert 'name="wpWatchthis" value="1" accesskey="w" checked' in html
    fields = walter.edit_form("Boxed")
    fields.pop("wpWatchthis", None)
    fields.update(wpTextbox1="changed")
    assert walter.submit("Boxed", fields).status_code == 303
    assert "Boxed" not in _watched_titles(walter)


def test_anonymous_editors_get_no_box_and_no_star(app):
    anon = anonymous(app)
    html = anon.client.get("/w/index.php?title=Anon_page&action=edit").get_data(as_text=True)
    assert "wpWatchthis" not in html and 'id="ca-watch"' not in html


def test_watchlist_shows_others_changes_by_day_in_bold_until_seen(walter, wendy):
    walter.edit("Tracked", "one")
    token = form_fields(walter.view("Tracked").get_data(as_text=True))["wpEditToken"]
    walter.client.post("/w/index.php?title=Tracked&action=watch", data={"wpEditToken": token})
    assert wendy.edit("Tracked", "two", summary="wendy was here").status_code == 303
    assert (
        wendy.edit("Talk:Tracked", "a talk", summary="/* Plan */ talking of [[Tracked]]").status_code == 303
    )
    resp = walter.client.get("/wiki/Special:Watchlist")
    assert resp.status_code == 200 and "private" in resp.headers["Cache-Control"]
    html = resp.get_data(as_text=True)
    assert re.search(r"<h4>\d{1,2} \w+ \d{4}</h4>", html)
    rows = re.findall(r'<li class="([^"]*mw-changeslist-line[^"]*)"[^>]*>(.*?)</li>', html, re.S)
    talk = [r for r in rows if 'class="mw-changeslist-title" title="Talk:Tracked"' in r[1]]
    page = [r for r in rows if 'class="mw-changeslist-title" title="Tracked"' in r[1]]
    assert talk and page
    assert "mw-changeslist-line-watched" in page[0][0] and "<strong>" in page[0][1]
    assert "wendy was here" in page[0][1] and ">diff</a>" in page[0][1] and ">hist</a>" in page[0][1]
    assert "<bdi>Wendy</bdi>" in page[0][1] and ">talk</a>" in page[0][1]
    # Summaries as MediaWiki shows them: the section arrow and the link, not the raw wikitext.
    assert (
        'class="autocomment"' in talk[0][1]
        and '<a href="/wiki/Tracked" title="Tracked">Tracked</a>' in talk[0][1]
    )
    assert "[[Tracked]]" not in talk[0][1]
    # Viewing the page marks it seen: no longer bold.
    walter.view("Tracked")
    html = walter.client.get("/wiki/Special:Watchlist").get_data(as_text=True)
    row = [
        r
        for r in re.findall(r'<li class="([^"]*mw-changeslist-line[^"]*)"[^>]*>(.*?)</li>', html, re.S)
        if 'class="mw-changeslist-title" title="Tracked"' in r[1]
    ]
    assert "not-watched" in row[0][0] and "<strong>" not in row[0][1]
    # The talk page is still unseen until "Mark all pages as seen".
    assert '<strong><a href="/wiki/Talk:Tracked"' in html
    token = form_fields(html)["wpEditToken"]
    done = walter.client.post(
        "/w/index.php?title=Special:Watchlist", data={"wpEditToken": token, "reset": "all"}
    )
    assert done.status_code == 303
    html = walter.client.get(done.headers["Location"]).get_data(as_text=True)
    assert "All pages have been marked as seen" in html and "<strong><a" not in html
    refused = walter.client.post("/w/index.php?title=Special:Watchlist", data={"wpEditToken": "bad"})
    assert refused.status_code == 400


def _changes(wc, query: str) -> str:
    html = wc.client.get(f"/wiki/Special:Watchlist?{query}").get_data(as_text=True)
    return html[html.index('<div class="mw-changeslist">') :]


def _rows_of(html: str, title: str) -> list[str]:
    """The lines of the list that are changes to `title` (not to its talk page)."""
    rows = re.findall(r'<li class="[^"]*mw-changeslist-line[^"]*"[^>]*>(.*?)</li>', html, re.S)
    return [row for row in rows if f'class="mw-changeslist-title" title="{title}"' in row]


def test_watchlist_filters(walter, wendy):
    # The test makes its own changes: it once leaned on the pages an earlier test of the module
    # edits, and failed whenever it ran without it (alone, re-run, or on another xdist worker).
    assert wendy.edit("Filtered", "one", summary="wendy first").status_code == 303
    assert wendy.edit("Talk:Filtered", "a talk", summary="talking").status_code == 303
    fields = walter.edit_form("Filtered")
    fields.update(wpTextbox1="two", wpWatchthis="1")  # the box is ticked: the page is watched
    assert walter.submit("Filtered", fields).status_code == 303
    every = _rows_of(_changes(walter, "days=7&extended=1"), "Filtered")
    assert ["<bdi>Walter</bdi>" in r for r in every] == [True, False] and "<bdi>Wendy</bdi>" in every[1]
    mine_hidden = _rows_of(_changes(walter, "hidemyself=1&days=7&extended=1"), "Filtered")
    assert ["<bdi>Wendy</bdi>" in r for r in mine_hidden] == [True]
    assert _rows_of(_changes(walter, "hideliu=1&days=7&extended=1"), "Filtered") == []
    html = _changes(walter, "namespace=1&days=7")
    assert _rows_of(html, "Talk:Filtered") and not _rows_of(html, "Filtered")
    html = _changes(walter, "namespace=1&invert=1&days=7")  # every namespace but Talk
    assert not _rows_of(html, "Talk:Filtered") and _rows_of(html, "Filtered")
    html = _changes(walter, "namespace=0&associated=1&days=7")  # the page and its talk page
    assert _rows_of(html, "Talk:Filtered") and _rows_of(html, "Filtered")
    for days in (7, 30):  # a short window is read by time range, a long one by each page's latest
        latest_only = _rows_of(_changes(walter, f"namespace=0&days={days}"), "Filtered")
        assert len(latest_only) == 1 and "<bdi>Walter</bdi>" in latest_only[0], days
    for bad in ("days=99", "limit=0", "limit=501", "namespace=-1", "namespace=abc", "days=x"):
        assert walter.client.get(f"/wiki/Special:Watchlist?{bad}").status_code == 400, bad


def test_watchlist_reads_the_titles_changed_within_its_window(app, walter, wendy):
    """Each watch keeps the time of its title's latest change (watchlist.changed): set when the title
    is watched, moved on by every change; the list reads only the titles changed within its window."""
    from datetime import timedelta

    from sqlalchemy import select, update

    from wiki.access import users
    from wiki.extensions import db
    from wiki.models import RecentChange, WatchedItem, utcnow
    from wiki.recent import NEVER

    assert wendy.edit("Aged", "old text").status_code == 303
    with app.app_context():  # the edit made ten days old, as if it had been (the clock is not ours)
        aged = utcnow().replace(microsecond=0) - timedelta(days=10)
        db.session.execute(update(RecentChange).where(RecentChange.title == "Aged").values(timestamp=aged))
        db.session.commit()
        walter_id = users.find_user("Walter").id

    def changed(namespace: int) -> object:
        with app.app_context():
            return db.session.scalar(
                select(WatchedItem.changed).where(
                    WatchedItem.user_id == walter_id,
                    WatchedItem.namespace == namespace,
                    WatchedItem.title == "Aged",
                )
            )

    token = form_fields(walter.view("Aged").get_data(as_text=True))["wpEditToken"]
    walter.client.post("/w/index.php?title=Aged&action=watch", data={"wpEditToken": token})
    assert changed(0) == aged and changed(1) == NEVER  # the talk page never changed
    assert not _rows_of(_changes(walter, "days=7"), "Aged")  # changed before the window
    assert _rows_of(_changes(walter, "days=30"), "Aged")
    assert wendy.edit("Aged", "new text", summary="fresh again").status_code == 303
    assert changed(0) > aged
    rows = _rows_of(_changes(walter, "days=7"), "Aged")
    assert len(rows) == 1 and "fresh again" in rows[0]
    assert wendy.edit("Talk:Aged", "a word", summary="on the talk page").status_code == 303
    assert changed(1) > aged and _rows_of(_changes(walter, "days=1"), "Talk:Aged")


def test_the_first_page_read_from_the_latest_changed_titles_is_the_whole_windows(app, walter, wendy):
    """A first page reads only the watched titles changed most recently (watchlist.changed, a few
    more than the page shows). When they do not fill it with changes as recent as the last of them,
    the whole window is read: here their changes are older than their watch says (aged, as if the
    rows had been rewritten), and the page must still show the one title whose change is newest."""
    from datetime import timedelta

    from sqlalchemy import update

    from wiki.extensions import db
    from wiki.models import RecentChange, utcnow
    from wiki.pages import watchchanges

    names = [
        f"Bounded {k:02d}" for k in range(watchchanges.SPARE_TITLES + 2 * watchchanges.FILTERED_DEPTH + 3)
    ]
    for name in names:  # the last edited is the most recently changed
        assert wendy.edit(name, "text of " + name, summary="made " + name).status_code == 303
    token = form_fields(walter.client.get("/wiki/Special:EditWatchlist/raw").get_data(as_text=True))
    resp = walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/raw",
        data={"wpEditToken": token["wpEditToken"], "wpTitles": "\n".join(names)},
    )
    assert resp.status_code == 200
    newest = _rows_of(_changes(walter, "days=7&limit=1"), names[-1])
    assert len(newest) == 1 and f"made {names[-1]}" in newest[0]
    with app.app_context():  # every title but the first changed three days ago, as far as rows go
        aged = utcnow().replace(microsecond=0) - timedelta(days=3)
        rows = RecentChange.title.in_([n.replace(" ", "_") for n in names[1:]])
        db.session.execute(update(RecentChange).where(rows).values(timestamp=aged))
        db.session.commit()
    filtered = ("limit=2&hidebots=1", "limit=2&namespace=0", "limit=2&hideminor=1&extended=1")
    for query in ("limit=1", "limit=2", "limit=1&extended=1", "limit=2&extended=1", *filtered):
        html = _changes(walter, f"days=7&{query}")
        assert _rows_of(html, names[0]), f"{query}: the newest change is missing"
        first = re.search(r'class="mw-changeslist-title" title="([^"]*)"', html)
        assert first and first.group(1) == names[0]


def test_watchlists_are_private(app, walter, wendy):
    anon = anonymous(app).client
    for path in ("/wiki/Special:Watchlist", "/wiki/Special:EditWatchlist", "/wiki/Special:EditWatchlist/raw"):
        resp = anon.get(path)
        assert resp.status_code == 302 and "Special:UserLogin" in resp.headers["Location"], path
    # Wendy sees her own (empty) list, never Walter's.
    html = wendy.client.get("/wiki/Special:Watchlist?days=30").get_data(as_text=True)
    assert "Tracked" not in html
    assert _watched_titles(wendy) == []


def test_edit_watchlist_removes_replaces_and_clears(walter):
    raw = walter.client.get("/wiki/Special:EditWatchlist/raw").get_data(as_text=True)
    token = form_fields(raw)["wpEditToken"]
    resp = walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/raw",
        data={"wpEditToken": token, "wpTitles": "Alpha\nHelp:Beta\n\nGamma\n"},
    )
    assert resp.status_code == 200
    assert _watched_titles(walter) == ["Alpha", "Gamma", "Help:Beta"]
    bad = walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/raw",
        data={"wpEditToken": token, "wpTitles": "Alpha\n<nope>"},
    )
    assert bad.status_code == 400 and "&lt;nope&gt;" in bad.get_data(as_text=True)
    assert _watched_titles(walter) == ["Alpha"]
    walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/raw",
        data={"wpEditToken": token, "wpTitles": "Alpha\nDelta\nEpsilon"},
    )
    listing = walter.client.get("/wiki/Special:EditWatchlist").get_data(as_text=True)
    assert 'name="wpTitles" value="Delta"' in listing
    walter.client.post(
        "/w/index.php?title=Special:EditWatchlist",
        data={"wpEditToken": token, "wpTitles": ["Delta", "Special:X"]},
    )
    assert _watched_titles(walter) == ["Alpha", "Epsilon"]
    forged = walter.client.post("/w/index.php?title=Special:EditWatchlist/clear", data={"wpEditToken": "x"})
    assert forged.status_code == 400 and _watched_titles(walter) == ["Alpha", "Epsilon"]
    cleared = walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/clear", data={"wpEditToken": token}
    )
    assert "has been cleared: 2 titles removed" in cleared.get_data(as_text=True)
    assert _watched_titles(walter) == []
    assert walter.client.get("/wiki/Special:EditWatchlist/bogus").status_code == 404
    too_big = walter.client.post(
        "/w/index.php?title=Special:EditWatchlist/raw",
        data={"wpEditToken": token, "wpTitles": "x\n" * 10_001},
    )
    assert too_big.status_code == 413


def test_move_form_box_and_moves_carry_watchers(app, wendy):
    mover = logged_in(app, "Mover")
    mover.edit("Old home", "content")
    token = form_fields(wendy.view("Old_home").get_data(as_text=True))["wpEditToken"]
    wendy.client.post("/w/index.php?title=Old_home&action=watch", data={"wpEditToken": token})
    form = mover.client.get("/wiki/Special:MovePage/Old_home").get_data(as_text=True)
    assert 'name="wpWatchthis"' in form
    fields = form_fields(form)
    fields.update(wpNewTitle="New home", wpReason="", wpWatchthis="1", wpLeaveRedirect="1")
    resp = mover.client.post("/w/index.php?title=Special:MovePage/Old_home", data=fields)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert set(_watched_titles(wendy)) >= {"Old home", "New home"}
    assert set(_watched_titles(mover)) >= {"Old home", "New home"}
