"""Backup and restore: everything comes back, row for row, and a database with data is not overwritten."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.api.helpers import ApiClient
from tests.conftest import PG_URL, close_app, make_app
from tests.helpers import form_fields
from tests.security.conftest import logged_in, make_account


def _engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def every_row(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every table's rows (as text, sorted), for a row-for-row comparison."""
    engine = _engine(url)
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        out = {
            t: sorted(tuple(map(repr, row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))
            for t in tables
        }
    engine.dispose()
    return out


def build_a_wiki(app) -> None:
    """Pages with history, a deleted page, a protection, a block, accounts and their log entries."""
    make_account(app, "Admin", "sysop")
    make_account(app, "Vandal")
    sysop = logged_in(app, "Admin")
    api = ApiClient(sysop.client)
    for i in range(3):
        assert (
            api.edit("Kept page", f"Version {i} with a [[Link]] and [[Category:Things]].")["edit"]["result"]
            == "Success"
        )
    api.edit("Gone page", "Spam that is deleted.")
    assert "delete" in api.post(action="delete", title="Gone page", reason="spam", token=api.token())
    assert "protect" in api.post(
        action="protect", title="Kept page", protections="edit=sysop", token=api.token()
    )
    fields = form_fields(sysop.client.get("/wiki/Special:Block").get_data(as_text=True))
    data = {**fields, "wpTarget": "Vandal", "wpExpiry": "1 week", "wpReason": "vandalism"}
    assert sysop.client.post("/w/index.php?title=Special:Block", data=data).status_code == 200


@pytest.fixture
def empty_url(tmp_path) -> str:
    """A second database with nothing in it, not even tables."""
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'restored.db'}"
    base, name = PG_URL.rsplit("/", 1)
    engine = _engine(PG_URL)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_restore" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}_restore"'))
    engine.dispose()
    return f"{base}/{name}_restore"


def test_backup_then_restore_into_an_empty_database_gives_back_every_row(
    app, database_url, empty_url, tmp_path
):
    build_a_wiki(app)
    out = tmp_path / "wiki.backup"
    result = app.test_cli_runner().invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert "Backed up the wiki" in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # it holds password hashes

    target = make_app(empty_url, tmp_path / "restored-instance")
    try:
        result = target.test_cli_runner().invoke(args=["restore", str(out)])
        assert result.exit_code == 0, result.output
        assert "search index rebuilt" in result.output
    finally:
        close_app(target)

    before, after = every_row(database_url), every_row(empty_url)
    assert before.keys() == after.keys()
    # The search outbox is a work queue the source's indexer drains after the backup; its rows in the
    # backup are applied by the restored wiki. Every other table must be equal.
    for table in set(before) - {"search_outbox"}:
        assert before[table] == after[table], table
    assert len(after["archive"]) == 1 and len(after["revision"]) == 3 and len(after["block"]) == 1
    assert {r[1] for r in after["user"]} >= {"'Admin'", "'Vandal'"}


def test_the_restored_wiki_serves_its_pages_and_search(app, empty_url, tmp_path):
    build_a_wiki(app)
    out = tmp_path / "wiki.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(out)]).exit_code == 0
    target = make_app(empty_url, tmp_path / "restored-instance")
    try:
        assert target.test_cli_runner().invoke(args=["restore", str(out)]).exit_code == 0
        client = target.test_client()
        assert "Version 2" in client.get("/wiki/Kept_page").get_data(as_text=True)
        assert client.get("/wiki/Gone_page").status_code == 404
        found = client.get("/w/api.php?action=query&list=search&srsearch=Version&format=json").get_json()
        assert [hit["title"] for hit in found["query"]["search"]] == ["Kept page"]
    finally:
        close_app(target)


def test_restore_refuses_a_database_with_data_unless_told_to_replace(app, tmp_path):
    build_a_wiki(app)
    out = tmp_path / "wiki.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(out)]).exit_code == 0
    ApiClient(logged_in(app, "Admin").client).edit("Written after the backup", "New words.")

    refused = app.test_cli_runner().invoke(args=["restore", str(out)])
    assert refused.exit_code != 0
    assert "already holds pages or accounts" in refused.output and "--replace" in refused.output
    assert "New words" in app.test_client().get("/wiki/Written_after_the_backup").get_data(as_text=True)

    replaced = app.test_cli_runner().invoke(args=["restore", "--replace", str(out)])
    assert replaced.exit_code == 0, replaced.output
    assert app.test_client().get("/wiki/Written_after_the_backup").status_code == 404


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"<mediawiki>not a backup</mediawiki>")
    result = app.test_cli_runner().invoke(args=["restore", str(junk)])
    assert result.exit_code != 0 and "is not a backup made by" in result.output
    missing = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nowhere.backup")])
    assert missing.exit_code != 0 and "is not a file" in missing.output


# A race with a live server saving; the round trips above stay in make test: `make stress`.
@pytest.mark.stress
def test_a_backup_taken_while_pages_are_saved_is_consistent(app, live_server, empty_url, tmp_path):
    import requests

    stop = threading.Event()
    saved: list[int] = []

    def keep_saving() -> None:
        session = requests.Session()
        token = session.get(
            live_server.url + "/w/api.php",
            params={"action": "query", "meta": "tokens", "format": "json"},
            timeout=10,
        ).json()["query"]["tokens"]["csrftoken"]
        i = 0
        while not stop.is_set() and i < 400:
            answer = session.post(
                live_server.url + "/w/api.php",
                data={
                    "action": "edit",
                    "title": f"Busy {i % 7}",
                    "text": f"Save {i}",
                    "token": token,
                    "format": "json",
                },
                timeout=10,
            ).json()
            if answer.get("edit", {}).get("result") == "Success":
                saved.append(i)
            i += 1

    writer = threading.Thread(target=keep_saving)
    writer.start()
    try:
        while len(saved) < 5:
            threading.Event().wait(0.05)
        out = tmp_path / "running.backup"
        result = app.test_cli_runner().invoke(args=["backup", str(out)])
        assert result.exit_code == 0, result.output
    finally:
        stop.set()
        writer.join(30)

    target = make_app(empty_url, tmp_path / "restored-instance")
    try:
        assert target.test_cli_runner().invoke(args=["restore", str(out)]).exit_code == 0
    finally:
        close_app(target)
    engine = _engine(empty_url)
    with engine.connect() as conn:
        dangling = conn.execute(
            text("SELECT COUNT(*) FROM page WHERE latest IS NULL OR latest NOT IN (SELECT id FROM revision)")
        ).scalar()
        pages = conn.execute(text("SELECT COUNT(*) FROM page")).scalar()
    engine.dispose()
    assert pages >= 1 and dangling == 0


def test_sqlite_restore_leaves_the_database_private(app, tmp_path):
    if PG_URL:
        pytest.skip("file modes are SQLite's concern; PostgreSQL keeps its own files")
    build_a_wiki(app)
    out = tmp_path / "wiki.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(out)]).exit_code == 0
    target_path = tmp_path / "private.db"
    target = make_app(f"sqlite:///{target_path}", tmp_path / "private-instance")
    try:
        assert target.test_cli_runner().invoke(args=["restore", str(out)]).exit_code == 0
    finally:
        close_app(target)
    assert stat.S_IMODE(Path(target_path).stat().st_mode) == 0o600
