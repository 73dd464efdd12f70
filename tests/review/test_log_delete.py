"""Log entry deletion (MediaWiki 1.39's action=revisiondelete&type=logging and
Special:RevisionDelete?type=logging): the API's answers and codes, Special:Log's checkboxes and the
form, suppression, and every reader of log entries hiding what is hidden."""

from __future__ import annotations

import re
import time

import pytest

from tests.api.helpers import ApiClient
from tests.review.helpers import api_client, login


def _forget_creation(app, *names: str) -> None:
    """An account's creation log entry names it, rightly: leave those out of these tests' logs."""
    from sqlalchemy import delete

    from wiki.extensions import db
    from wiki.models import LogEntry, RecentChange

    with app.app_context():
        db.session.execute(
            delete(RecentChange).where(RecentChange.log_type == "newusers", RecentChange.user_text.in_(names))
        )
        db.session.execute(delete(LogEntry).where(LogEntry.type == "newusers", LogEntry.user_text.in_(names)))
        db.session.commit()


def _block(app, blocker: str, address: str, reason: str) -> int:
    """`blocker` (an administrator) blocks `address` for `reason`: the block log entry's id."""
    admin = api_client(app, blocker, "sysop")
    _forget_creation(app, blocker)
    done = admin.post(action="block", user=address, expiry="1 week", reason=reason, token=admin.token())
    assert "block" in done, done
    entries = admin.get(action="query", list="logevents", letype="block", letitle=f"User:{address}")
    return entries["query"]["logevents"][0]["logid"]


def _revdel(api: ApiClient, **params) -> dict:
    return api.post(action="revisiondelete", type="logging", token=api.token(), **params)


def _bits(app, log_id: int) -> tuple[int, ...]:
    """The deletion bits of a log entry and of its recent-changes rows."""
    from sqlalchemy import select

    from wiki.extensions import db
    from wiki.models import LogEntry, RecentChange

    with app.app_context():
        entry = db.session.scalar(select(LogEntry.deleted).where(LogEntry.id == log_id))
        rc = tuple(db.session.scalars(select(RecentChange.deleted).where(RecentChange.log_id == log_id)))
        return (entry, *rc)


def test_api_hides_shows_and_logs_as_mediawiki(app):
    log_id = _block(app, "Logdelblocker1", "10.61.0.1", "first reason")
    admin = api_client(app, "Logdeladmin1", "sysop")
    body = _revdel(admin, ids=str(log_id), hide="content|comment|user", reason="pd")["revisiondelete"]
    assert body["status"] == "Success" and body["target"] == "Special:Log/block"
    (item,) = body["items"]
    assert item["status"] == "Success" and item["id"] == log_id and "errors" not in item
    assert (item["type"], item["action"]) == ("block", "block")
    assert item["actionhidden"] == item["userhidden"] == item["commenthidden"] == ""
    # Administrators (deletedhistory) still see what is hidden.
    assert item["user"] == "Logdelblocker1" and item["comment"] == "first reason"
    assert item["params"]["duration"]
    assert _bits(app, log_id) == (7, 7)  # the entry and its recent-changes row
    log = admin.get(action="query", list="logevents", letype="delete", lelimit=1)["query"]["logevents"][0]
    assert (log["type"], log["action"], log["title"], log["comment"], log["ns"]) == (
        "delete",
        "event",
        "Special:Log/block",
        "pd",
        -1,
    )
    assert log["params"] == {
        "ids": [log_id],
        "old": {"bitmask": 0},
        "new": {"bitmask": 7, "content": "", "comment": "", "user": ""},
    }
    # The change is itself a logged action in recent changes (MediaWiki publishes delete/event).
    rc = admin.get(action="query", list="recentchanges", rctype="log", rcprop="title|loginfo", rclimit=1)
    assert rc["query"]["recentchanges"][0]["logaction"] == "event"
    # Again: nothing to change (a warning); ids that are not log entries fail, as MediaWiki's.
    again = _revdel(admin, ids=f"{log_id}|99999999|abc", hide="content")["revisiondelete"]
    warned, missing, word = again["items"]
    assert warned["warnings"][0]["code"] == "revdelete-no-change" and warned["errors"] == []
    assert warned["status"] == "Success"
    assert missing == {
        "status": "Fail",
        "errors": [
            {
                "message": "revdelete-modify-missing",
                "params": [99999999],
                "code": "revdelete-modify-missing",
                "type": "error",
            }
        ],
        "warnings": [],
        "id": 99999999,
    }
    assert word["status"] == "Fail" and word["id"] == "abc"
    # formatversion=2; showing the summary again.
    admin.formatversion = 2
    shown = _revdel(admin, ids=str(log_id), show="comment")["revisiondelete"]["items"][0]
    assert (shown["actionhidden"], shown["commenthidden"], shown["userhidden"]) == (True, False, True)
    assert _bits(app, log_id) == (5, 5)
    log = admin.get(action="query", list="logevents", letype="delete", lelimit=1)["query"]["logevents"][0]
    assert log["params"] == {"ids": [log_id], "old": {"bitmask": 2, "comment": True}, "new": {"bitmask": 0}}
    # Several entries of different logs at once: the target is Special:Log itself.
    other = _block(app, "Logdelblocker1b", "10.61.0.2", "second reason")
    both = _revdel(admin, ids=f"{other}|{log['logid']}", hide="comment")["revisiondelete"]
    assert both["target"] == "Special:Log" and [i["status"] for i in both["items"]] == ["Success"] * 2


def test_api_refusals_carry_mediawikis_codes(app):
    log_id = _block(app, "Logdelblocker2", "10.62.0.1", "kept reason")
    admin = api_client(app, "Logdeladmin2", "sysop")
    plain = api_client(app, "Logdelplain2")
    anon = ApiClient(app.test_client())
    assert _revdel(anon, ids=str(log_id), hide="comment")["error"]["code"] == "permissiondenied"
    assert _revdel(plain, ids=str(log_id), hide="comment")["error"]["code"] == "permissiondenied"
    bad = admin.post(action="revisiondelete", type="logging", ids=str(log_id), hide="comment", token="x+\\")
    assert bad["error"]["code"] == "badtoken"
    assert _revdel(admin, ids=str(log_id), hide="comment", show="comment")["error"]["code"] == "badparams"
    assert _revdel(admin, ids=str(log_id))["error"]["code"] == "badparams"
    assert _revdel(admin, hide="comment")["error"]["code"] == "missingparam"
    assert _revdel(admin, ids="", hide="comment")["error"]["code"] in ("missingparam", "paramempty_ids")
    # Suppression needs suppressrevision (the suppress group), which administrators lack.
    refused = _revdel(admin, ids=str(log_id), hide="comment", suppress="yes")
    assert refused["error"]["code"] == "permissiondenied"
    bogus = admin.post(
        action="revisiondelete", type="bogus", ids=str(log_id), hide="comment", token=admin.token()
    )
    assert bogus["error"]["code"] == "badvalue"
    got = admin.get(
        action="revisiondelete", type="logging", ids=str(log_id), hide="comment", token=admin.token()
    )
    assert got["error"]["code"] == "mustpostparams"
    # A blocked administrator may not change visibility.
    blocked = api_client(app, "Logdeladmin2b", "sysop")
    assert "block" in admin.post(action="block", user="Logdeladmin2b", expiry="1 week", token=admin.token())
    assert _revdel(blocked, ids=str(log_id), hide="comment")["error"]["code"] == "blocked"
    # Nothing was changed by any of these.
    assert _bits(app, log_id) == (0, 0)


def test_suppressors_hide_from_administrators_too(app):
    log_id = _block(app, "Logdelblocker3", "10.63.0.1", "Zqxsuppressedreason")
    oversight = api_client(app, "Logdeloversight3", "sysop suppress")
    admin_browser, admin = login(app, "Logdeladmin3", "sysop")
    done = _revdel(oversight, ids=str(log_id), hide="comment", suppress="yes")["revisiondelete"]["items"][0]
    assert done["status"] == "Success" and "errors" not in done and done["comment"] == "Zqxsuppressedreason"
    assert _bits(app, log_id) == (10, 10)
    # Logged in the suppression log, which is not published in recent changes nor readable by admins.
    seen = oversight.get(action="query", list="logevents", letype="suppress")["query"]["logevents"]
    assert (seen[0]["action"], seen[0]["params"]["new"]["bitmask"]) == ("event", 10)
    assert not any(
        e["type"] == "suppress" for e in admin.get(action="query", list="logevents")["query"]["logevents"]
    )
    changes = admin.get(action="query", list="recentchanges", rctype="log", rcprop="loginfo", rclimit=500)
    assert not any(c.get("logtype") == "suppress" for c in changes["query"]["recentchanges"])
    # Administrators read it as everyone else does, and may not change it.
    entry = admin.get(action="query", list="logevents", letype="block", lelimit=50)["query"]["logevents"]
    (mine,) = [e for e in entry if e["logid"] == log_id]
    assert mine["commenthidden"] == "" and mine["suppressed"] == "" and "comment" not in mine
    undo = _revdel(admin, ids=str(log_id), show="comment")["revisiondelete"]["items"][0]
    assert undo["errors"][0]["code"] == "revdelete-modify-no-access" and "comment" not in undo
    page = admin_browser.get("/w/index.php?title=Special:Log/block").get_data(as_text=True)
    assert "Zqxsuppressedreason" not in page
    assert '<span class="history-deleted mw-history-suppressed">(edit summary removed)</span>' in page
    line = re.search(rf'<li data-mw-logid="{log_id}".*?</li>', page, re.S)
    assert line is not None and "disabled" in line.group(0) and f'name="ids[{log_id}]"' not in line.group(0)
    form = admin_browser.get(f"/w/index.php?title=Special:RevisionDelete&type=logging&ids={log_id}")
    assert form.status_code == 403
    # The suppressor still sees it, struck through.
    oversight_browser, _api = login(app, "Logdeloversight3b", "sysop suppress")
    page = oversight_browser.get("/w/index.php?title=Special:Log/block").get_data(as_text=True)
    assert "Zqxsuppressedreason" in page and "history-deleted mw-history-suppressed" in page


def test_special_log_checkboxes_links_and_the_form(app):
    log_id = _block(app, "Logdelblocker4", "10.64.0.1", "form reason")
    browser, admin = login(app, "Logdeladmin4", "sysop")
    page = browser.get("/w/index.php?title=Special:Log&type=block").get_data(as_text=True)
    assert 'id="mw-log-deleterevision-submit"' in page and "Change visibility of selected log entries" in page
    assert f'name="ids[{log_id}]"' in page
    link = (
        "/w/index.php?title=Special:RevisionDelete&amp;target=Special%3ALog%2Fblock"
        f"&amp;type=logging&amp;ids={log_id}"
    )
    assert f'<span class="mw-revdelundel-link">(<a href="{link}">change visibility</a>)</span>' in page
    for reader in (app.test_client(), login(app, "Logdelplain4")[0]):
        plain = reader.get("/w/index.php?title=Special:Log&type=block").get_data(as_text=True)
        assert "mw-log-deleterevision-submit" not in plain and "change visibility" not in plain
        assert reader.get(link.replace("&amp;", "&")).status_code == 403
    # Special:Log's button submits ids[N]=1 with type=logging to Special:RevisionDelete.
    form = browser.get(f"/w/index.php?type=logging&title=Special:RevisionDelete&ids[{log_id}]=1")
    text = form.get_data(as_text=True)
    assert form.status_code == 200 and "Selected log event:" in text and "Set visibility restrictions" in text
    assert (
        "Hide target and parameters" in text
        and 'name="wpHideUser"' in text
        and "wpHideRestricted" not in text
    )
    assert "form reason" in text and "10.64.0.1" in text
    fields = {"type": "logging", f"ids[{log_id}]": "1", "wpHidePrimary": "1", "wpHideComment": "1"}
    fields |= {"wpRevDeleteReasonList": "Inappropriate comment", "wpReason": "spam", "wpSubmit": "1"}
    stale = browser.post("/w/index.php?title=Special:RevisionDelete", data={**fields, "wpEditToken": "x+\\"})
    assert stale.status_code == 400 and "session" in stale.get_data(as_text=True)
    assert _bits(app, log_id) == (0, 0)
    done = browser.post(
        "/w/index.php?title=Special:RevisionDelete", data={**fields, "wpEditToken": admin.token()}
    )
    assert done.status_code == 200 and "Log visibility successfully set." in done.get_data(as_text=True)
    assert _bits(app, log_id) == (3, 3)
    deletions = app.test_client().get("/w/index.php?title=Special:Log/delete").get_data(as_text=True)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", deletions))
    assert (
        "Logdeladmin4 (talk | contribs) changed visibility of a log event on Special:Log/block: "
        "content hidden and edit summary hidden (Inappropriate comment: spam)"
    ) in words
    # Unticking shows the parts again.
    shown = browser.post(
        "/w/index.php?title=Special:RevisionDelete",
        data={"type": "logging", f"ids[{log_id}]": "1", "wpSubmit": "1", "wpEditToken": admin.token()},
    )
    assert shown.status_code == 200 and _bits(app, log_id) == (0, 0)
    # No entry, or ids that are not log entries: MediaWiki's revdelete-nooldid page, never a 500.
    for query in ("", "&ids=99999999", "&ids=abc", "&ids[x]=1"):
        resp = browser.get(f"/w/index.php?title=Special:RevisionDelete&type=logging{query}")
        assert resp.status_code == 400 and "Invalid target revision" in resp.get_data(as_text=True)


PARTS = {
    # part hidden: (the secret it hides, its class in Special:Log for those who may not see it)
    "content": "(log details removed)",
    "comment": "(edit summary removed)",
    "user": "(username removed)",
}


def _readers(performer: str, address: str) -> list[str]:
    """Every place a log entry's action and target, summary or performer can be read, as URLs."""
    api = "/w/api.php?format=json&"
    rcprops = "title|ids|user|userid|comment|parsedcomment|loginfo|flags|timestamp"
    return [
        "/w/index.php?title=Special:Log",
        "/w/index.php?title=Special:Log/block",
        f"/w/index.php?title=Special:Log&user={performer}",
        f"/w/index.php?title=Special:Log&page=User:{address}",
        "/w/index.php?title=Special:RecentChanges&days=30&limit=500",
        "/w/index.php?title=Special:RecentChanges&days=30&limit=500&namespace=2",
        "/w/index.php?title=Special:RecentChanges&feed=atom",
        "/w/index.php?title=Special:RecentChanges&feed=rss",
        f"/w/index.php?title=Special:RecentChangesLinked&target=User:{address}",
        "/w/index.php?title=Special:Watchlist&days=30&extended=1",
        f"{api}action=query&list=logevents&leprop=ids|title|type|user|userid|timestamp|comment|parsedcomment|details&lelimit=500",
        f"{api}action=query&list=logevents&letype=block&formatversion=2",
        f"{api}action=query&list=logevents&leuser={performer}",
        f"{api}action=query&list=logevents&letitle=User:{address}",
        f"{api}action=query&list=logevents&lenamespace=2",
        f"{api}action=query&list=recentchanges&rcprop={rcprops}&rclimit=500",
        f"{api}action=query&list=recentchanges&rcprop={rcprops}&rcnamespace=2",
        f"{api}action=query&list=recentchanges&rcprop={rcprops}&rctitle=User:{address}",
        f"{api}action=query&list=recentchanges&rcprop={rcprops}&rcuser={performer}",
        f"{api}action=query&generator=recentchanges&grctype=log&grclimit=500&prop=info",
        f"{api}action=query&list=watchlist&wlallrev=1&wlprop=ids|title|user|userid|comment|parsedcomment|loginfo",
        f"{api}action=query&generator=watchlist&gwlallrev=1&prop=info",
        f"{api}action=feedrecentchanges&feedformat=atom",
        f"{api}action=feedrecentchanges&feedformat=rss&namespace=2",
        f"{api}action=feedwatchlist&feedformat=atom&allrev=1&hours=72",
    ]


def _listed(body: str, log_id: int) -> bool:
    """Whether an answer lists the log entry itself (by its id), whatever else it shows."""
    return re.search(rf'(data-mw-logid="|"logid":\s*){log_id}\b', body) is not None


def _sweep(readers: dict, urls: list[str], secrets: dict[str, str], log_id: int) -> dict[str, set]:
    """Which (reader, URL) pairs show each secret (a URL naming it counts when it lists the entry)."""
    found: dict[str, set] = {name: set() for name in secrets}
    for who, client in readers.items():
        for url in urls:
            resp = client.get(url)
            assert resp.status_code < 500, (who, url, resp.status_code)
            body = resp.get_data(as_text=True)
            for name, secret in secrets.items():
                hit = _listed(body, log_id) if secret in url else secret in body
                if hit:
                    found[name].add((who, url))
    return found


# Each part sweeps every reader twice; make test keeps "content" (the widest: it also hides the entry from
# lists by page, namespace and watchlist), the other parts are `make stress`.
@pytest.mark.parametrize(
    "part", [p if p == "content" else pytest.param(p, marks=pytest.mark.stress) for p in sorted(PARTS)]
)
def test_hidden_parts_reach_no_reader_without_the_right(app, part):
    """Hide one part of a block log entry; before, the readers show each part of the entry; after,
    no reader shows the hidden one to a reader without the rights (logged out, or logged in and
    watching the target), while administrators still see it, struck through."""
    n = sorted(PARTS).index(part)
    performer, address, reason = f"Zqxperformer{n}", f"10.7{n}.66.55", f"Zqxsecretreason{n}"
    log_id = _block(app, performer, address, reason)
    watcher, watcher_api = login(app, f"Logdelwatcher{n}")
    assert "watch" in watcher_api.post(
        action="watch", titles=f"User:{address}", token=watcher_api.token("watch")
    )
    admin_browser, admin = login(app, f"Logdeladmin5{n}", "sysop")
    _forget_creation(app, f"Logdelwatcher{n}", f"Logdeladmin5{n}")
    secrets = {"content": address, "comment": reason, "user": performer}
    readers = {"anonymous": app.test_client(), "watcher": watcher}
    urls = _readers(performer, address)
    before = _sweep(readers, urls, secrets, log_id)
    # The sweep can fail: before hiding, every part is shown by the readers of both kinds.
    for name in secrets:
        assert {who for who, _url in before[name]} == set(readers), (name, before[name])
        assert len(before[name]) >= 10, (name, before[name])
    done = _revdel(admin, ids=str(log_id), hide=part)["revisiondelete"]["items"][0]
    assert done["status"] == "Success" and "errors" not in done
    after = _sweep(readers, urls, secrets, log_id)
    assert after[part] == set(), "\n".join(map(str, sorted(after[part])))
    if part == "content":
        # Lists by page, namespace or watchlist do not list it at all: its being there would say
        # which namespace, or which watched page, the hidden target is.
        for url in urls:
            if "namespace=2" in url or "atchlist" in url or "Linked" in url:
                assert not _listed(watcher.get(url).get_data(as_text=True), log_id), url
    # The parts left visible still are, where nothing else hides the entry.
    for name in secrets:
        if name != part:
            assert ("anonymous", "/w/index.php?title=Special:Log/block") in after[name], name
    # Readers say what was removed, as MediaWiki words it.
    anon = app.test_client()
    for url in (
        "/w/index.php?title=Special:Log/block",
        "/w/index.php?title=Special:RecentChanges&days=30&limit=500",
    ):
        body = anon.get(url).get_data(as_text=True)
        assert f'<span class="history-deleted">{PARTS[part]}</span>' in body, url
    api_entry = next(
        e
        for e in ApiClient(anon).get(action="query", list="logevents", letype="block", lelimit=500)["query"][
            "logevents"
        ]
        if e["logid"] == log_id
    )
    flag = {"content": "actionhidden", "comment": "commenthidden", "user": "userhidden"}[part]
    assert api_entry[flag] == "" and "suppressed" not in api_entry
    # Administrators see the hidden part, struck through, in the lists that are theirs.
    shown = _sweep({"admin": admin_browser}, urls, {part: secrets[part]}, log_id)[part]
    for url in (
        "/w/index.php?title=Special:Log/block",
        "/w/index.php?title=Special:RecentChanges&days=30&limit=500",
        urls[10],  # list=logevents with every property
        urls[15],  # list=recentchanges with every property
    ):
        assert ("admin", url) in shown, url
    page = admin_browser.get("/w/index.php?title=Special:Log/block").get_data(as_text=True)
    line = re.search(rf'<li data-mw-logid="{log_id}".*?</li>', page, re.S)
    assert line is not None and '<span class="history-deleted">' in line.group(0)
    assert secrets[part] in line.group(0)
    # Feeds are the same for everyone: the hidden part is not in them, for administrators either.
    assert not any("feed" in url for _who, url in shown)


def test_rights_log_and_edit_notice_honour_the_bits(app):
    """Special:UserRights' log of a user and the edit form's "deleted while you edited" notice."""
    admin_browser, admin = login(app, "Logdeladmin6", "sysop")
    bureaucrat = api_client(app, "Zqxbureaucrat6", "bureaucrat")
    _forget_creation(app, "Zqxbureaucrat6")
    api_client(app, "Logdelpromoted6")
    changed = bureaucrat.post(
        action="userrights",
        user="Logdelpromoted6",
        add="rollbacker",
        reason="Zqxrightsreason6",
        token=bureaucrat.token("userrights"),
    )
    assert "userrights" in changed, changed
    rights_log = admin.get(action="query", list="logevents", letype="rights", letitle="User:Logdelpromoted6")
    log_id = rights_log["query"]["logevents"][0]["logid"]
    assert (
        _revdel(admin, ids=str(log_id), hide="comment|user")["revisiondelete"]["items"][0]["status"]
        == "Success"
    )
    url = "/w/index.php?title=Special:UserRights/Logdelpromoted6"
    viewer = login(app, "Logdelbureaucrat6b", "bureaucrat")[0]
    page = viewer.get(url).get_data(as_text=True)
    assert "Zqxrightsreason6" not in page and "Zqxbureaucrat6" not in page
    assert "(username removed)" in page and "(edit summary removed)" in page
    seen = admin_browser.get(url).get_data(as_text=True)
    assert seen.count("Zqxrightsreason6") == 1 and "Zqxbureaucrat6" in seen
    # A deletion whose performer and reason are hidden is announced without them.
    writer_browser, writer = login(app, "Logdelwriter6")
    writer.edit("Logdel deleted page", "Text.")
    form = writer_browser.get("/w/index.php?title=Logdel_deleted_page&action=edit").get_data(as_text=True)
    started = re.search(r'name="wpStarttime" value="(\d+)"', form).group(1)
    edit_time = re.search(r'name="wpEdittime" value="(\d+)"', form).group(1)
    time.sleep(1.1)  # times count in whole seconds: a deletion in the form's second does not count
    deleter = api_client(app, "Zqxdeleter6", "sysop")
    _forget_creation(app, "Zqxdeleter6")
    deleted = deleter.post(
        action="delete", title="Logdel deleted page", reason="Zqxdeletereason6", token=deleter.token()
    )
    deletion = deleted["delete"]["logid"]
    assert (
        _revdel(admin, ids=str(deletion), hide="comment|user")["revisiondelete"]["items"][0]["status"]
        == "Success"
    )
    saved = writer_browser.post(
        "/w/index.php?title=Logdel_deleted_page&action=submit",
        data={
            "wpTextbox1": "New text.",
            "wpStarttime": started,
            "wpEdittime": edit_time,
            "wpEditToken": writer.token(),
            "wpSave": "1",
        },
    )
    body = saved.get_data(as_text=True)
    assert "This page was deleted after you started editing" in body, saved.status_code
    assert "Zqxdeleter6" not in body and "Zqxdeletereason6" not in body
    assert "User (username removed) deleted this page" in body and "(edit summary removed)" in body


def test_bits_survive_a_rebuild_of_recent_changes(app):
    """`flask rebuild-recentchanges` copies the entries' bits and leaves the suppression log out."""
    from wiki import recent

    hidden = _block(app, "Logdelblocker7", "10.67.0.1", "rebuilt reason")
    suppressed = _block(app, "Logdelblocker7b", "10.67.0.2", "suppressed reason")
    admin = api_client(app, "Logdeladmin7", "sysop")
    oversight = api_client(app, "Logdeloversight7", "sysop suppress")
    assert "errors" not in _revdel(admin, ids=str(hidden), hide="comment|user")["revisiondelete"]["items"][0]
    done = _revdel(oversight, ids=str(suppressed), hide="content", suppress="yes")["revisiondelete"]
    assert "errors" not in done["items"][0]
    with app.app_context():
        recent.rebuild()
    assert _bits(app, hidden) == (6, 6) and _bits(app, suppressed) == (9, 9)
    anon = ApiClient(app.test_client())
    rows = anon.get(
        action="query", list="recentchanges", rctype="log", rcprop="title|user|comment|loginfo", rclimit=500
    )
    mine = {r.get("logid"): r for r in rows["query"]["recentchanges"]}
    assert mine[hidden]["userhidden"] == "" and "user" not in mine[hidden] and "comment" not in mine[hidden]
    assert not any(r.get("logtype") == "suppress" for r in rows["query"]["recentchanges"])
    assert not any("10.67.0.2" in str(r) for r in rows["query"]["recentchanges"])
