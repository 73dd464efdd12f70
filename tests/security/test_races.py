"""Races between writers of one page (issue 15, items 4 and 14), against a real gunicorn server.

Each race runs 20 times. Counted over all trials: acknowledged edits that are lost (a `newrevid`
answered with Success that is in neither `revision` nor `archive`) and internal errors (HTTP 5xx
or `internal_api_error_*`): both must be 0. Every refusal must be one of MediaWiki's answers for
the case (missingtitle, editconflict, articleexists).
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests
from sqlalchemy import text

from tests.conftest import LiveServer
from tests.helpers import form_fields

from .conftest import PASSWORD, make_account, token
from .consistency import database_problems, engine_for

# Heavy (live servers, many trials, kills): `make stress`, run by CI after `make test`.
pytestmark = pytest.mark.stress

TRIALS = 20
APPENDERS, APPENDS = 3, 3


class Api:
    """One client of the live server's api.php (its own cookies), logged in when `name` is given."""

    def __init__(self, base: str, name: str | None = None):
        self.base, self.http = base, requests.Session()
        if name is not None:
            token = self.call("GET", action="query", meta="tokens", type="login")["query"]["tokens"]
            done = self.call(
                "POST", action="login", lgname=name, lgpassword=PASSWORD, lgtoken=token["logintoken"]
            )
            assert done["login"]["result"] == "Success", done
        self.csrf = self.call("GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]

    def call(self, method: str, **params) -> dict:
        params = {"format": "json", "formatversion": "2", **params}
        resp = self.http.request(
            method,
            f"{self.base}/w/api.php",
            params=params if method == "GET" else None,
            data=params if method == "POST" else None,
            timeout=120,
        )
        if resp.status_code >= 500:
            return {"error": {"code": f"http_{resp.status_code}"}}
        return resp.json()

    def write(self, **params) -> dict:
        return self.call("POST", token=self.csrf, **params)


class Tally:
    """What the clients were told, across every trial."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acknowledged: list[int] = []
        self.answers: Counter = Counter()
        self.internal: list[str] = []

    def record(self, what: str, answer: dict) -> None:
        with self.lock:
            error = answer.get("error")
            if error is None:
                self.answers[f"{what}:ok"] += 1
                rev = answer.get("edit", {}).get("newrevid")
                if rev:
                    self.acknowledged.append(rev)
                return
            code = error.get("code", "?")
            self.answers[f"{what}:{code}"] += 1
            if code.startswith(("internal_api_error", "http_5")):
                self.internal.append(f"{what}: {error}")


def _together(*jobs) -> None:
    """Run the jobs at once (released by one barrier) and wait for all of them."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        job()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)


def _lost(url: str, acknowledged: list[int]) -> list[int]:
    engine = engine_for(url)
    with engine.connect() as conn:
        kept = {r[0] for r in conn.execute(text("SELECT id FROM revision"))}
        kept |= {r[0] for r in conn.execute(text("SELECT rev_id FROM archive"))}
    engine.dispose()
    return sorted(set(acknowledged) - kept)


@pytest.fixture
def server(app, database_url, instance_dir):
    """Four workers, so the racing requests really run at the same time; two sysops and an editor."""
    for name, groups in (("Admin", "sysop"), ("Admin2", "sysop"), ("Editor", "")):
        make_account(app, name, groups)
    live = LiveServer(database_url, instance_dir, workers=4).start()
    yield live
    live.stop()


def _check(server, tally: Tally, allowed: set[str]) -> None:
    url = server.env["WIKI_DATABASE_URL"]
    print(f"answers: {dict(tally.answers)}")
    assert tally.internal == [], tally.internal[:5]
    assert _lost(url, tally.acknowledged) == []
    unexpected = {key for key in tally.answers if key.split(":")[1] not in allowed}
    assert not unexpected, tally.answers
    assert database_problems(url) == []


def test_deletion_racing_appendtext_edits_loses_no_acknowledged_edit(server):
    admin, tally = Api(server.url, "Admin"), Tally()
    editors = [Api(server.url, "Editor") for _ in range(APPENDERS)]
    for trial in range(TRIALS):
        title = f"Delete race {trial}"
        assert "error" not in admin.write(action="edit", title=title, text="Start.")

        def append(api=None, k=0, title=title):
            for n in range(APPENDS):
                tally.record("edit", api.write(action="edit", title=title, appendtext=f"\n\nline {k} {n}"))

        jobs = [lambda a=api, k=k: append(a, k) for k, api in enumerate(editors)]
        _together(lambda t=title: tally.record("delete", admin.write(action="delete", title=t)), *jobs)
    assert tally.answers["delete:ok"] == TRIALS
    assert tally.answers["edit:ok"] > 0
    _check(server, tally, {"ok", "editconflict", "missingtitle"})


def test_deletion_racing_a_move_deletes_what_it_logs(server):
    admin, mover, tally = Api(server.url, "Admin"), Api(server.url, "Admin2"), Tally()
    for trial in range(TRIALS):
        title = f"Move delete race {trial}"
        assert "error" not in admin.write(action="edit", title=title, text="Start [[Somewhere]].")
        _together(
            lambda t=title: tally.record("delete", admin.write(action="delete", title=t)),
            lambda t=title: tally.record(
                "move", mover.write(action="move", **{"from": t, "to": t + " moved"})
            ),
        )
    _check(server, tally, {"ok", "missingtitle", "editconflict"})
    engine = engine_for(server.env["WIKI_DATABASE_URL"])
    with engine.connect() as conn:
        # Every archived revision is filed under the title its deletion logged.
        misfiled = conn.execute(
            text(
                "SELECT a.rev_id FROM archive a WHERE NOT EXISTS (SELECT 1 FROM log_entry l "
                "WHERE l.type = 'delete' AND l.page_id = a.page_id AND l.title = a.title)"
            )
        ).all()
        # No redirect points at a title where nothing exists (a broken redirect).
        broken = conn.execute(
            text(
                "SELECT r.page_id FROM redirect r LEFT JOIN page p "
                "ON p.namespace = r.namespace AND p.title = r.title WHERE p.id IS NULL"
            )
        ).all()
    engine.dispose()
    assert misfiled == [] and broken == []


def test_two_concurrent_moves_of_one_page_one_wins(server):
    first, second, tally = Api(server.url, "Admin"), Api(server.url, "Admin2"), Tally()
    # A page that takes a while to render (a move renders it at its new title before the lock):
    # both moves are surely inside the server at once. A quick move can otherwise finish before
    # a cold or descheduled worker has read the other request, which is then a later, ordinary
    # move (of the redirect the first one left).
    slow = "\n".join(f"* '''item {n}''' [[Target {n}]] {{{{#if:{n}|yes|no}}}}" for n in range(1500))
    for trial in range(TRIALS):
        title = f"Twice moved {trial}"
        assert "error" not in first.write(action="edit", title=title, text=slow)
        _together(
            lambda t=title: tally.record("move", first.write(action="move", **{"from": t, "to": t + " a"})),
            lambda t=title: tally.record("move", second.write(action="move", **{"from": t, "to": t + " b"})),
        )
    assert tally.answers["move:ok"] == TRIALS, tally.answers
    _check(server, tally, {"ok", "articleexists", "editconflict", "missingtitle"})
    engine = engine_for(server.env["WIKI_DATABASE_URL"])
    with engine.connect() as conn:
        double = conn.execute(
            text(
                "SELECT r.page_id FROM redirect r JOIN page p ON p.namespace = r.namespace "
                "AND p.title = r.title WHERE p.is_redirect"
            )
        ).all()
    engine.dispose()
    assert double == [], "a move left a double redirect"


def test_undeletion_racing_edits_loses_no_acknowledged_edit(server):
    admin, tally = Api(server.url, "Admin"), Tally()
    editors = [Api(server.url, "Editor") for _ in range(2)]
    web = requests.Session()
    login = web.get(f"{server.url}/wiki/Special:UserLogin").text
    token = _hidden(login, "wpEditToken")
    web.post(
        f"{server.url}/w/index.php?title=Special:UserLogin",
        data={"wpName": "Admin", "wpPassword": PASSWORD, "wpEditToken": token},
    )
    for trial in range(TRIALS):
        title = f"Undelete race {trial}"
        assert "error" not in admin.write(action="edit", title=title, text="Old text.")
        assert "error" not in admin.write(action="delete", title=title)
        form = web.get(f"{server.url}/wiki/Special:Undelete", params={"target": title}).text

        def restore(t=title, form=form):
            resp = web.post(
                f"{server.url}/w/index.php",
                params={"title": "Special:Undelete"},
                data={"target": t, "wpEditToken": _hidden(form, "wpEditToken"), "restore": "1"},
            )
            tally.record(
                "undelete", {"error": {"code": f"http_{resp.status_code}"}} if resp.status_code != 200 else {}
            )

        jobs = [
            lambda a=api, k=k, t=title: tally.record(
                "edit", a.write(action="edit", title=t, appendtext=f" {k}")
            )
            for k, api in enumerate(editors)
        ]
        _together(restore, *jobs)
    assert tally.answers["undelete:ok"] == TRIALS, tally.answers
    _check(server, tally, {"ok", "editconflict"})


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_editor_whose_form_predates_a_deletion_must_confirm_the_recreation(sysop, member):
    """MediaWiki's "deleted while you were editing": the save is held until wpRecreate is ticked."""
    assert member.edit("Phoenix page", "First life.").status_code == 303
    fields = member.edit_form("Phoenix page")
    time.sleep(1.1)  # times count in whole seconds: a deletion in the form's second does not count
    form = form_fields(
        sysop.client.get("/w/index.php?title=Phoenix_page&action=delete").get_data(as_text=True)
    )
    deleted = sysop.client.post("/w/index.php?title=Phoenix_page&action=delete", data=form)
    assert deleted.status_code == 200
    fields["wpTextbox1"] = "Second life."
    held = member.submit("Phoenix page", fields)
    html = held.get_data(as_text=True)
    assert held.status_code == 409
    assert "This page was deleted after you started editing" in html and 'name="wpRecreate"' in html
    assert member.view("Phoenix page").status_code == 404
    again = {**form_fields(html), "wpTextbox1": "Second life.", "wpRecreate": "1"}
    assert member.submit("Phoenix page", again).status_code == 303
    assert "Second life." in member.view("Phoenix page").get_data(as_text=True)


def test_form_opened_after_the_deletion_creates_without_a_warning(sysop, member):
    assert member.edit("Fresh start", "One.").status_code == 303
    form = form_fields(
        sysop.client.get("/w/index.php?title=Fresh_start&action=delete").get_data(as_text=True)
    )
    assert sysop.client.post("/w/index.php?title=Fresh_start&action=delete", data=form).status_code == 200
    assert member.edit("Fresh start", "Two.").status_code == 303


def test_api_starttimestamp_before_a_deletion_answers_pagedeleted_until_recreate(app, sysop):
    from tests.api.helpers import ApiClient

    api = ApiClient(sysop.client)
    started = api.edit("Gone page", "Text.")["edit"]["newtimestamp"]  # the client opened the page then
    time.sleep(1.1)  # times count in whole seconds: a deletion in the same second does not count
    assert "error" not in api.post(action="delete", title="Gone page", token=api.token())
    refused = api.edit("Gone page", "Again.", starttimestamp=started)
    assert refused["error"]["code"] == "pagedeleted"
    assert (
        api.edit("Gone page", "Again.", starttimestamp=started, recreate="1")["edit"]["result"] == "Success"
    )


def test_page_ids_are_never_reused_after_deleting_the_newest_page(app, sysop):
    """Issue 15 item 15: on SQLite the newest page's id went to the next page created."""
    from tests.api.helpers import ApiClient

    api = ApiClient(sysop.client)
    api.edit("Older page", "Stays.")
    newest = api.edit("Newest page", "Goes.")["edit"]["pageid"]
    assert "error" not in api.post(action="delete", title="Newest page", token=api.token())
    created = api.edit("Next page", "New.")["edit"]["pageid"]
    assert created > newest
    restored = sysop.client.post(
        "/w/index.php?title=Special:Undelete/Newest_page", data={"wpEditToken": token(sysop)}
    )
    assert restored.status_code == 200
    info = api.get(action="query", titles="Newest page|Next page")["query"]["pages"]
    ids = {page["title"]: int(key) for key, page in info.items()}
    assert ids == {"Newest page": newest, "Next page": created}  # restored under its own id
