"""Revision deletion (MediaWiki 1.39's Special:RevisionDelete and action=revisiondelete): the API's
answers and errors, the form, the log, and every reader hiding what is hidden."""

from __future__ import annotations

import re

from tests.api.helpers import ApiClient
from tests.review.helpers import api_client, login

SECRET_SUMMARY = "Zqxsecretsummary"
SECRET_TEXT = "Zqxsecrettext"
EDITOR = "Zqxleakyeditor"


def _page(app, title: str = "Hidden history") -> tuple[ApiClient, ApiClient, list[int]]:
    """Three revisions of `title`: the writer's, the editor's (secret text and summary), the writer's."""
    writer, editor = api_client(app, "Plainwriter"), api_client(app, EDITOR)
    first = writer.edit(title, "First text.", summary="first summary")["edit"]["newrevid"]
    middle = editor.edit(title, f"Middle {SECRET_TEXT}.", summary=SECRET_SUMMARY)["edit"]["newrevid"]
    last = writer.edit(title, "Clean text.", summary="cleanup")["edit"]["newrevid"]
    return writer, editor, [first, middle, last]


def _revdel(api: ApiClient, **params) -> dict:
    return api.post(action="revisiondelete", type="revision", token=api.token(), **params)


def test_api_hides_shows_and_logs_as_mediawiki(app):
    _w, _e, (first, middle, last) = _page(app)
    admin = api_client(app, "Revdeladmin", "sysop")
    done = _revdel(admin, target="Hidden history", ids=str(middle), hide="content|comment|user", reason="pd")
    body = done["revisiondelete"]
    assert body["status"] == "Success" and body["target"] == "Hidden history"
    (item,) = body["items"]
    assert item["status"] == "Success" and item["id"] == middle
    assert item["userhidden"] == "" and item["commenthidden"] == "" and item["texthidden"] == ""
    # Administrators (deletedhistory) still see what is hidden.
    assert item["user"] == EDITOR and item["comment"] == SECRET_SUMMARY
    assert "errors" not in item
    log = admin.get(action="query", list="logevents", letype="delete", lelimit=1)["query"]["logevents"][0]
    assert (log["type"], log["action"], log["title"], log["comment"]) == (
        "delete",
        "revision",
        "Hidden history",
        "pd",
    )
    assert log["params"] == {
        "type": "revision",
        "ids": [middle],
        "old": {"bitmask": 0},
        "new": {"bitmask": 7, "content": "", "comment": "", "user": ""},
    }
    # Again: nothing to change (a warning); the current revision's text; an id that is not there.
    again = _revdel(admin, ids=f"{middle}|{last}|99999", hide="content")["revisiondelete"]
    warned, current, missing = again["items"]
    assert again["target"] == "Hidden history"  # found from the revisions, as MediaWiki does
    assert warned["warnings"][0]["code"] == "revdelete-no-change" and warned["errors"] == []
    assert current["status"] == "Success" and current["errors"][0]["code"] == "revdelete-hide-current"
    assert missing == {
        "status": "Fail",
        "errors": [
            {
                "message": "revdelete-modify-missing",
                "params": [99999],
                "code": "revdelete-modify-missing",
                "type": "error",
            }
        ],
        "warnings": [],
        "id": 99999,
    }
    # formatversion=2: booleans; showing the summary again.
    admin.formatversion = 2
    shown = _revdel(admin, target="Hidden history", ids=str(middle), show="comment")["revisiondelete"][
        "items"
    ][0]
    assert (shown["userhidden"], shown["commenthidden"], shown["texthidden"]) == (True, False, True)
    log = admin.get(action="query", list="logevents", letype="delete", lelimit=1)["query"]["logevents"][0]
    assert log["params"]["old"] == {"bitmask": 2, "comment": True} and log["params"]["new"] == {"bitmask": 0}


def test_api_refusals_carry_mediawikis_codes(app):
    _w, editor, (_first, middle, _last) = _page(app, "Refused history")
    admin = api_client(app, "Revdeladmin2", "sysop")
    anon = ApiClient(app.test_client())
    assert _revdel(anon, ids=str(middle), hide="comment")["error"]["code"] == "permissiondenied"
    assert _revdel(editor, ids=str(middle), hide="comment")["error"]["code"] == "permissiondenied"
    bad = admin.post(
        action="revisiondelete", type="revision", ids=str(middle), hide="comment", token="nope+\\"
    )
    assert bad["error"]["code"] == "badtoken"
    assert (
        admin.post(action="revisiondelete", type="revision", hide="comment", token=admin.token())["error"][
            "code"
        ]
        == "missingparam"
    )
    assert (
        admin.post(action="revisiondelete", ids=str(middle), hide="comment", token=admin.token())["error"][
            "code"
        ]
        == "missingparam"
    )
    assert _revdel(admin, ids=str(middle), hide="comment", show="comment")["error"]["code"] == "badparams"
    assert _revdel(admin, ids=str(middle))["error"]["code"] == "badparams"
    assert _revdel(admin, ids="abc", hide="comment")["error"]["code"] == "needtarget"
    # Suppression needs suppressrevision (the suppress group), which administrators lack.
    assert (
        _revdel(admin, ids=str(middle), hide="comment", suppress="yes")["error"]["code"] == "permissiondenied"
    )
    got = admin.get(
        action="revisiondelete", type="revision", ids=str(middle), hide="comment", token=admin.token()
    )
    assert got["error"]["code"] == "mustpostparams"  # the token in the URL, as MediaWiki answers
    info = admin.get(action="paraminfo", modules="revisiondelete")["paraminfo"]["modules"][0]
    assert info["name"] == "revisiondelete" and info["mustbeposted"] == ""
    names = [p["name"] for p in info["parameters"]]
    assert names == ["type", "target", "ids", "hide", "show", "suppress", "reason", "token"]
    # Nothing was changed by any of these.
    rev = admin.get(action="query", prop="revisions", revids=str(middle), rvprop="comment")
    assert next(iter(rev["query"]["pages"].values()))["revisions"][0]["comment"] == SECRET_SUMMARY


def test_suppressors_hide_from_administrators_too(app):
    _w, _e, (_first, middle, _last) = _page(app, "Suppressed history")
    oversight = api_client(app, "Oversighter", "suppress")
    admin = api_client(app, "Revdeladmin3", "sysop")
    done = _revdel(oversight, ids=str(middle), hide="comment|user", suppress="yes")["revisiondelete"]
    assert done["items"][0]["status"] == "Success" and "errors" not in done["items"][0]
    rev = admin.get(action="query", prop="revisions", revids=str(middle), rvprop="user|comment")
    shown = next(iter(rev["query"]["pages"].values()))["revisions"][0]
    assert shown == {"userhidden": "", "commenthidden": "", "suppressed": ""}
    # The administrator may not undo a suppression; the log is the suppression log, not theirs to read.
    undo = _revdel(admin, ids=str(middle), show="comment")["revisiondelete"]["items"][0]
    assert undo["errors"][0]["code"] == "revdelete-modify-no-access"
    entries = admin.get(action="query", list="logevents", lelimit=500)["query"]["logevents"]
    assert entries and not any(e["type"] == "suppress" or e["action"] == "revision" for e in entries)
    seen = oversight.get(action="query", list="logevents", letype="suppress")["query"]["logevents"]
    assert seen[0]["action"] == "revision" and seen[0]["params"]["new"]["bitmask"] == 14
    # Deleted with the page, the suppressed parts stay hidden from administrators at Special:Undelete.
    assert "delete" in admin.post(action="delete", title="Suppressed history", token=admin.token())
    browser, _api = login(app, "Revdeladmin10", "sysop")
    archive = browser.get("/w/index.php?title=Special:Undelete/Suppressed_history").get_data(as_text=True)
    assert "(username removed)" in archive and "(edit summary removed)" in archive
    assert SECRET_SUMMARY not in archive and EDITOR not in archive


def test_history_form_and_special_page(app):
    _w, _e, (first, middle, last) = _page(app, "Form history")
    browser, admin = login(app, "Revdeladmin4", "sysop")
    history = browser.get("/w/index.php?title=Form_history&action=history").get_data(as_text=True)
    assert "Change visibility of selected revisions" in history
    assert f'name="ids[{middle}]"' in history and 'class="mw-revdel-checkbox"' in history
    anon_history = (
        app.test_client().get("/w/index.php?title=Form_history&action=history").get_data(as_text=True)
    )
    assert "mw-revdel-checkbox" not in anon_history and "Change visibility" not in anon_history
    # The history's button: index.php?action=revisiondelete with ids[N]=1.
    form = browser.get(f"/w/index.php?title=Form_history&action=revisiondelete&type=revision&ids[{middle}]=1")
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and "Set visibility restrictions" in page
    assert 'name="wpHidePrimary"' in page and 'name="wpHideComment"' in page and 'name="wpHideUser"' in page
    assert "wpHideRestricted" not in page  # administrators cannot suppress
    fields = {"target": "Form history", "type": "revision", f"ids[{middle}]": "1", "wpHideComment": "1"}
    fields |= {"wpHideUser": "1", "wpRevDeleteReasonList": "Inappropriate comment", "wpReason": "spam"}
    stale = browser.post("/w/index.php?title=Special:RevisionDelete", data={**fields, "wpEditToken": "x+\\"})
    assert stale.status_code == 400 and "session" in stale.get_data(as_text=True)
    done = browser.post(
        "/w/index.php?title=Special:RevisionDelete", data={**fields, "wpEditToken": admin.token()}
    )
    assert done.status_code == 200 and "Revision visibility updated." in done.get_data(as_text=True)
    rev = admin.get(action="query", prop="revisions", revids=str(middle), rvprop="user|comment")
    assert next(iter(rev["query"]["pages"].values()))["revisions"][0]["userhidden"] == ""
    log = app.test_client().get("/w/index.php?title=Special:Log/delete").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", log)
    expected = (
        "Revdeladmin4 (talk | contribs) changed visibility of a revision on page Form history: "
        "edit summary hidden and username hidden (Inappropriate comment: spam)"
    )
    assert expected in re.sub(r"\s+", " ", text)
    # The current revision's text cannot be hidden; others may not use the form at all.
    current = browser.post(
        "/w/index.php?title=Special:RevisionDelete",
        data={
            "target": "Form history",
            f"ids[{last}]": "1",
            "wpHidePrimary": "1",
            "wpEditToken": admin.token(),
        },
    )
    assert current.status_code == 400 and "This is the current revision" in current.get_data(as_text=True)
    plain, _api = login(app, "Plainreader")
    refused = plain.get(f"/w/index.php?title=Special:RevisionDelete&target=Form_history&ids={middle}")
    assert refused.status_code == 403
    assert app.test_client().get(f"/w/index.php?title=Special:RevisionDelete&ids={first}").status_code == 403


def _readers(first: int, middle: int, last: int) -> list[str]:
    """Every place a revision's text, summary or editor can be read, as URLs."""
    t = "Hidden_sweep"
    api = "/w/api.php?format=json&"
    rest = "/w/rest.php/v1/"
    return [
        f"/w/index.php?title={t}&action=history",
        f"/w/index.php?title={t}&action=history&feed=atom",
        f"/w/index.php?title={t}&action=history&feed=rss",
        f"/w/index.php?title={t}&oldid={middle}",
        f"/w/index.php?title={t}&oldid={middle}&unhide=1",
        f"/w/index.php?title={t}&diff={middle}&oldid={first}",
        f"/w/index.php?title={t}&diff={last}&oldid={middle}&unhide=1",
        f"/w/index.php?title={t}&diff=prev&oldid={last}",
        f"/w/index.php?title={t}&action=raw&oldid={middle}",
        f"/w/index.php?title={t}&action=edit&oldid={middle}",
        f"/w/index.php?title={t}&action=edit&undo={middle}&undoafter={first}",
        f"/w/index.php?title={t}&action=info",
        "/w/index.php?title=Special:RecentChanges&days=30&limit=500",
        "/w/index.php?title=Special:RecentChanges&feed=atom",
        "/w/index.php?title=Special:NewPages",
        f"/w/index.php?title=Special:Contributions/{EDITOR}",
        f"/w/index.php?title=Special:Contributions/{EDITOR}&feed=atom",
        "/w/index.php?title=Special:Watchlist&days=30&extended=1",
        "/w/index.php?title=Special:Export&pages=Hidden_sweep&history=1&action=submit",
        f"{api}action=query&prop=revisions&titles={t}&rvprop=ids|user|userid|comment|parsedcomment|content|sha1&rvlimit=10&rvslots=main",
        f"{api}action=query&prop=revisions&revids={middle}&rvprop=ids|user|comment|content&formatversion=2",
        f"{api}action=query&prop=revisions&titles={t}&rvprop=ids|comment&rvuser={EDITOR}",
        f"{api}action=query&list=usercontribs&ucuser={EDITOR}&ucprop=ids|title|comment|parsedcomment",
        f"{api}action=query&list=recentchanges&rcprop=user|userid|comment|parsedcomment|ids|sha1&rclimit=500",
        f"{api}action=query&list=recentchanges&rcuser={EDITOR}&rcprop=user|comment",
        f"{api}action=query&list=watchlist&wlallrev=1&wlprop=user|userid|comment|parsedcomment|ids",
        f"{api}action=feedrecentchanges&feedformat=atom",
        f"{api}action=feedcontributions&user={EDITOR}&feedformat=atom",
        f"{api}action=feedwatchlist&feedformat=atom&allrev=1",
        f"{api}action=compare&fromrev={first}&torev={middle}&prop=diff|user|comment",
        f"{api}action=compare&fromrev={middle}&torev={last}&prop=user|comment",
        f"{api}action=parse&oldid={middle}",
        f"{rest}page/{t}/history",
        f"{rest}revision/{middle}",
        f"{rest}revision/{middle}/bare",
        f"{rest}revision/{middle}/html",
        f"{rest}revision/{middle}/with_html",
        f"{rest}revision/{first}/compare/{middle}",
    ]


def _forget_account_creations(app) -> None:
    """The accounts' creation log rows name the editor in recent changes, rightly: leave them out."""
    from sqlalchemy import delete

    from wiki.extensions import db
    from wiki.models import RecentChange

    with app.app_context():
        db.session.execute(delete(RecentChange).where(RecentChange.log_type == "newusers"))
        db.session.commit()


def test_hidden_parts_reach_no_reader_without_the_right(app):
    """Hide the text, summary and editor of one revision; no reader shows them to a reader without
    the rights, logged out or logged in (watching the page); administrators still see them."""
    writer, editor = api_client(app, "Plainwriter"), api_client(app, EDITOR)
    first = writer.edit("Hidden sweep", "First text.", summary="first summary")["edit"]["newrevid"]
    middle = editor.edit("Hidden sweep", f"Middle {SECRET_TEXT}.", summary=SECRET_SUMMARY)["edit"]["newrevid"]
    last = writer.edit("Hidden sweep", "Clean text.", summary="cleanup")["edit"]["newrevid"]
    admin = api_client(app, "Revdeladmin5", "sysop")
    done = _revdel(admin, ids=str(middle), hide="content|comment|user")["revisiondelete"]["items"][0]
    assert "errors" not in done
    watcher, watcher_api = login(app, "Plainwatcher")
    assert "watch" in watcher_api.post(
        action="watch", titles="Hidden sweep", token=watcher_api.token("watch")
    )
    _forget_account_creations(app)
    leaks = []
    for reader_name, reader in (("anonymous", app.test_client()), ("watcher", watcher)):
        for url in _readers(first, middle, last):
            resp = reader.get(url)
            body = resp.get_data(as_text=True)
            assert resp.status_code < 500, (url, resp.status_code)
            found = [s for s in (SECRET_SUMMARY, SECRET_TEXT) if s in body]
            # A list of the editor's edits names the editor (its target), but must not list the
            # hidden revision; any other answer must not name the editor at all.
            if EDITOR not in url and EDITOR in body:
                found.append(EDITOR)
            if EDITOR in url and re.search(rf'(revid"?[=:]\s*"?|oldid=|diff=){middle}\b', body):
                found.append(f"revision {middle} listed")
            if found:
                leaks.append((reader_name, url, found))
    assert leaks == [], "\n".join(map(str, leaks))
    # Readers answer as MediaWiki's: the history strikes through, the old revision is refused.
    anon = app.test_client()
    history = anon.get("/w/index.php?title=Hidden_sweep&action=history").get_data(as_text=True)
    assert (
        '<span class="history-deleted comment"> <span class="comment">(edit summary removed)</span></span>'
        in history
    )
    assert '<span class="history-deleted mw-userlink">(username removed)</span>' in history
    old = anon.get(f"/w/index.php?title=Hidden_sweep&oldid={middle}").get_data(as_text=True)
    assert "This page revision has been <strong>deleted</strong>." in old
    assert anon.get(f"/w/index.php?title=Hidden_sweep&action=raw&oldid={middle}").status_code == 404
    fv1 = ApiClient(anon).get(
        action="query", prop="revisions", revids=str(middle), rvprop="user|comment|content"
    )
    assert next(iter(fv1["query"]["pages"].values()))["revisions"][0] == {
        "userhidden": "",
        "commenthidden": "",
        "texthidden": "",
    }
    assert (
        ApiClient(anon).get(action="query", list="usercontribs", ucuser=EDITOR)["query"]["usercontribs"] == []
    )
    # Administrators: struck through but readable, the text behind unhide=1.
    sysop_browser, _api = login(app, "Revdeladmin6", "sysop")
    seen = sysop_browser.get("/w/index.php?title=Hidden_sweep&action=history").get_data(as_text=True)
    assert SECRET_SUMMARY in seen and EDITOR in seen and 'class="history-deleted"' in seen
    ask = sysop_browser.get(f"/w/index.php?title=Hidden_sweep&oldid={middle}").get_data(as_text=True)
    assert SECRET_TEXT not in ask and "view this revision</a>" in ask
    shown = sysop_browser.get(f"/w/index.php?title=Hidden_sweep&oldid={middle}&unhide=1").get_data(
        as_text=True
    )
    assert SECRET_TEXT in shown and "You can view it" in shown
    contribs = sysop_browser.get(f"/w/index.php?title=Special:Contributions/{EDITOR}").get_data(as_text=True)
    assert f'data-mw-revid="{middle}"' in contribs


def _bits(app, rev_id: int) -> tuple[int, ...]:
    """The deletion bits of a revision (or its archived row) and of its recent-changes rows."""
    from sqlalchemy import select

    from wiki.extensions import db
    from wiki.models import Archive, RecentChange, Revision

    with app.app_context():
        rev = db.session.scalar(select(Revision.deleted).where(Revision.id == rev_id))
        archived = db.session.scalar(select(Archive.deleted).where(Archive.rev_id == rev_id))
        rc = tuple(db.session.scalars(select(RecentChange.deleted).where(RecentChange.rev_id == rev_id)))
        return (rev if rev is not None else archived, *rc)


def test_bits_survive_deletion_undeletion_and_a_rebuild(app):
    _w, _e, (_first, middle, _last) = _page(app, "Kept history")
    admin = api_client(app, "Revdeladmin7", "sysop")
    _revdel(admin, ids=str(middle), hide="comment|user")
    assert _bits(app, middle) == (6, 6)
    assert "delete" in admin.post(action="delete", title="Kept history", token=admin.token())
    assert _bits(app, middle)[0] == 6  # the archived row keeps them
    assert "undelete" in admin.post(action="undelete", title="Kept history", token=admin.token())
    assert _bits(app, middle)[0] == 6
    from wiki import recent

    with app.app_context():
        recent.rebuild()
    assert _bits(app, middle) == (6, 6)
    anon = ApiClient(app.test_client())
    rev = anon.get(action="query", prop="revisions", revids=str(middle), rvprop="user|comment")
    assert next(iter(rev["query"]["pages"].values()))["revisions"][0] == {
        "userhidden": "",
        "commenthidden": "",
    }


def test_a_blocked_administrator_may_not_change_visibility(app):
    _w, _e, (_first, middle, _last) = _page(app, "Blocked history")
    admin, blocked = api_client(app, "Revdeladmin8", "sysop"), api_client(app, "Revdeladmin9", "sysop")
    assert "block" in admin.post(action="block", user="Revdeladmin9", expiry="1 week", token=admin.token())
    assert _revdel(blocked, ids=str(middle), hide="comment")["error"]["code"] == "blocked"
    assert _bits(app, middle) == (0, 0)
