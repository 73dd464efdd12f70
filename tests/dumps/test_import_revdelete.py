"""A dump round trip keeps revision deletion: export-dump writes deleted="deleted" in place of a
hidden editor, summary or text, and import-dump into an empty wiki stores those revisions with the
same deletion bits, so every reader there shows them hidden as the source wiki did."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import mwxml
from sqlalchemy import create_engine, text

from tests.api.helpers import ApiClient, make_user
from tests.conftest import PG_URL, _migrate, close_app, copy_sqlite, fresh_pg_database, make_app

PASSWORD = "amber-lantern-93"
SECRET_SUMMARY = "Zqxsecretsummary"
SECRET_TEXT = "Zqxsecrettext"
EDITOR = "Zqxleakyeditor"
TITLE = "Hidden round trip"


def _client(app, name: str, groups: str = "") -> ApiClient:
    make_user(app, name, PASSWORD, groups=groups)
    api = ApiClient(app.test_client())
    assert api.login(name, PASSWORD)["result"] == "Success"
    return api


def _source_dump(app, out: Path) -> int:
    """Three revisions, the first's editor hidden, the second's editor, summary and text hidden;
    exported with their history. The size of the hidden text."""
    writer, editor = _client(app, "Plainwriter"), _client(app, EDITOR)
    first = writer.edit(TITLE, "First text.", summary="first summary")["edit"]["newrevid"]
    middle = editor.edit(TITLE, f"Middle {SECRET_TEXT}.", summary=SECRET_SUMMARY)["edit"]["newrevid"]
    writer.edit(TITLE, "Clean text.", summary="cleanup")
    admin = _client(app, "Revdeladmin", "sysop")
    for rev, hide in ((first, "user"), (middle, "content|comment|user")):
        done = admin.post(
            action="revisiondelete", type="revision", ids=str(rev), hide=hide, token=admin.token()
        )
        assert done["revisiondelete"]["status"] == "Success", done
    result = app.test_cli_runner().invoke(args=["export-dump", "--full-history", str(out)])
    assert result.exit_code == 0, result.output
    return len(f"Middle {SECRET_TEXT}.".encode())


def _revisions(data: bytes) -> list[tuple]:
    """Each revision of the dump: its hidden parts (user, comment, text), editor, summary, text, bytes."""
    found = [
        (
            (r.deleted.user, r.deleted.comment, r.deleted.text),
            r.user.text if r.user else None,
            r.comment,
            r.text,
            r.bytes,
        )
        for page in mwxml.Dump.from_file(io.BytesIO(data))  # pages stream: read each as it comes
        for r in page
    ]
    return found


@contextmanager
def _empty_wiki(database_template: str, folder: Path) -> Iterator:
    """Another wiki, empty, on its own database (a SQLite copy, or a PostgreSQL database beside the
    test database)."""
    folder.mkdir()
    url = (
        fresh_pg_database("revdel_import") if PG_URL else copy_sqlite(database_template, folder / "other.db")
    )
    if PG_URL:
        _migrate(url, folder)
    other = make_app(url, folder / "instance")
    try:
        yield other
    finally:
        close_app(other)
        if PG_URL:
            engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            engine.dispose()


def _stored(app) -> list[tuple]:
    """(deleted bits, user_text, user_id, comment, text, size) of the page's revisions, oldest first."""
    from sqlalchemy import select

    from wiki.extensions import db
    from wiki.models import Page, Revision

    with app.app_context():
        query = (
            select(
                Revision.deleted,
                Revision.user_text,
                Revision.user_id,
                Revision.comment,
                Revision.text,
                Revision.size,
            )
            .join(Page, Page.id == Revision.page_id)
            .where(Page.title == TITLE.replace(" ", "_"))
            .order_by(Revision.timestamp, Revision.id)
        )
        return [tuple(row) for row in db.session.execute(query)]


def test_a_dump_round_trip_keeps_hidden_parts_hidden(app, database_template, tmp_path):
    dump = tmp_path / "dump.xml"
    hidden_size = _source_dump(app, dump)
    data = dump.read_bytes()
    for secret in (SECRET_TEXT, SECRET_SUMMARY, EDITOR):
        assert secret.encode() not in data, secret
    exported = _revisions(data)
    assert [parts for parts, *_rest in exported] == [
        (True, False, False),
        (True, True, True),
        (False, False, False),
    ]
    with _empty_wiki(database_template, tmp_path / "other") as other:
        runner = other.test_cli_runner()
        result = runner.invoke(args=["import-dump", "--quiet", str(dump)])
        assert "Imported 3 revisions into 1 pages" in result.output, result.output
        # MediaWiki's rev_deleted bits (TEXT 1, COMMENT 2, USER 4), the hidden parts empty (the
        # editor MediaWiki's "Unknown user", no account); the hidden text keeps its size, as the
        # source wiki's history shows it.
        assert _stored(other) == [
            (4, "Unknown user", None, "first summary", "First text.", len(b"First text.")),
            (7, "Unknown user", None, "", "", hidden_size),
            (0, "Plainwriter", None, "cleanup", "Clean text.", len(b"Clean text.")),
        ]
        # Imported again: every revision is known already, nothing is added.
        again = runner.invoke(args=["import-dump", "--quiet", str(dump)])
        assert again.exit_code == 0, again.output
        assert len(_stored(other)) == 3
        assert runner.invoke(args=["rebuild-recentchanges"]).exit_code == 0
        _readers_show_it_hidden(other)
        # Exported from the new wiki, the markers (and the hidden text's size) are there again.
        out = tmp_path / "again.xml"
        assert runner.invoke(args=["export-dump", "--full-history", str(out)]).exit_code == 0
        assert _revisions(out.read_bytes()) == exported


def _readers_show_it_hidden(app) -> None:
    anon = ApiClient(app.test_client())
    got = anon.get(
        action="query",
        prop="revisions",
        titles=TITLE,
        rvprop="ids|user|comment|size",
        rvlimit="10",
        rvdir="newer",
    )
    revs = next(iter(got["query"]["pages"].values()))["revisions"]
    first, middle, last = (r["revid"] for r in revs)
    assert revs[0]["userhidden"] == "" and revs[0]["comment"] == "first summary" and "user" not in revs[0]
    assert {"userhidden", "commenthidden"} <= set(revs[1]) and not {"user", "comment"} & set(revs[1])
    assert revs[2]["user"] == "Plainwriter" and "userhidden" not in revs[2]
    content = anon.get(
        action="query", prop="revisions", revids=str(middle), rvprop="content|sha1", rvslots="main"
    )
    assert next(iter(content["query"]["pages"].values()))["revisions"][0] == {
        "sha1hidden": "",
        "slots": {"main": {"texthidden": ""}},
    }
    changes = anon.get(action="query", list="recentchanges", rcprop="ids|user|comment", rclimit="50")
    by_rev = {rc["revid"]: rc for rc in changes["query"]["recentchanges"] if rc["type"] in ("new", "edit")}
    assert by_rev[middle].keys() >= {"userhidden", "commenthidden"} and "user" not in by_rev[middle]
    assert by_rev[first].keys() >= {"userhidden"} and by_rev[last]["user"] == "Plainwriter"
    browser = app.test_client()
    history = browser.get(f"/w/index.php?title={TITLE}&action=history").get_data(as_text=True)
    assert '<span class="history-deleted mw-userlink">(username removed)</span>' in history
    assert (
        '<span class="history-deleted comment"> <span class="comment">(edit summary removed)</span></span>'
        in history
    )
    old = browser.get(f"/w/index.php?title={TITLE}&oldid={middle}").get_data(as_text=True)
    assert "This page revision has been <strong>deleted</strong>." in old
    assert browser.get(f"/w/index.php?title={TITLE}&action=raw&oldid={middle}").status_code == 404
    diff = browser.get(f"/w/index.php?title={TITLE}&diff={middle}&oldid={first}")
    assert diff.status_code == 200 and "history-deleted" in diff.get_data(as_text=True)
    # An administrator sees the revisions struck through, with nothing behind them to show.
    admin = _client(app, "Importadmin", "sysop").client
    for url in (
        f"/w/index.php?title={TITLE}&action=history",
        f"/w/index.php?title={TITLE}&oldid={middle}&unhide=1",
        f"/w/index.php?title={TITLE}&diff={last}&oldid={middle}&unhide=1",
        "/w/index.php?title=Special:RecentChanges&days=30",
    ):
        resp = admin.get(url)
        assert resp.status_code == 200, url
        assert "history-deleted" in resp.get_data(as_text=True), url
