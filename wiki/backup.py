"""Backup and restore of the whole wiki: `flask --app wiki backup OUT` and `restore IN`.

A backup holds every row of the database: pages, every revision (deleted ones too, in `archive`),
accounts with their password hashes, logs, blocks, protections, and the schema version. It is
consistent while the wiki runs: SQLite's online backup copies one snapshot (WAL included) page by
page, and pg_dump reads one snapshot of PostgreSQL. The search index is not in the backup; restore
rebuilds it from the restored rows. The file holds password hashes: it is created readable by its
owner only. Uploaded files kept in the database are in it; a local file store's folder is copied
beside it (OUT.images/, without thumbnails) and put back by restore.

Restore goes into an empty database (a freshly migrated one counts as empty) and refuses one that
holds data unless told to replace it. The restored schema is then brought up to this version's.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from wiki.extensions import db
from wiki.files import transfer as file_transfer

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
# Tables whose rows make a database "not empty": content or accounts someone would lose.
DATA_TABLES = ("page", "revision", "archive", "user")


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def register(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return database


def _libpq_url(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(out: Path) -> str:
    """Write a consistent copy of the whole database to `out`; answers the format written."""
    url = _url()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
        return "sqlite"
    if url.startswith("postgresql"):
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={out}", _libpq_url(url)])
        return "pg_dump"
    raise BackupError(f"Backups of {make_url(url).get_backend_name()} databases are not supported.")


def holds_data() -> bool:
    """Whether the configured database has any page, revision, archived revision or account."""
    present = set(inspect(db.engine).get_table_names())
    for table in DATA_TABLES:
        if table in present and db.session.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first():
            db.session.rollback()
            return True
    db.session.rollback()
    return False


def restore(source: Path, *, replace: bool = False) -> None:
    """Load a backup into the configured database (empty unless `replace`), then migrate it to head."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    with source.open("rb") as fh:
        magic = fh.read(16)
    url = _url()
    if holds_data() and not replace:
        raise BackupError(
            "The database already holds pages or accounts; restoring would replace them. "
            "Run again with --replace to do that."
        )
    db.session.remove()
    db.engine.dispose()
    if magic.startswith(SQLITE_MAGIC):
        if not url.startswith("sqlite"):
            raise BackupError(f"{source} is a SQLite backup; the configured database is not SQLite.")
        _restore_sqlite(source, _sqlite_path(url))
    elif magic.startswith(PG_DUMP_MAGIC):
        if not url.startswith("postgresql"):
            raise BackupError(f"{source} is a PostgreSQL backup; the configured database is not PostgreSQL.")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
              f"--dbname={_libpq_url(url)}", str(source)])  # fmt: skip
    else:
        raise BackupError(f"{source} is not a backup made by `flask --app wiki backup`.")
    db.engine.dispose()
    from flask_migrate import upgrade

    upgrade()


def _restore_sqlite(source: Path, target_path: str) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target_path)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()
    os.chmod(target_path, 0o600)


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _rebuild_search() -> int:
    from wiki.search import INDEX_KEY, maintenance

    index = current_app.extensions.get(INDEX_KEY)
    return maintenance.rebuild(index, wait=True) if index is not None else 0


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(out: Path) -> None:
    """Write a consistent backup of the whole wiki to OUT (safe while the wiki runs)."""
    try:
        kind = backup(out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up the wiki to {out} ({kind}, {out.stat().st_size:,} bytes).")
    folder = file_transfer.backup_store(out)
    if folder is not None:
        click.echo(f"Uploaded files copied to {folder}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a database that already holds pages or accounts.")
@with_appcontext
def restore_command(source: Path, replace: bool) -> None:
    """Restore a backup made by `backup` into the configured database, then rebuild the search index.

    Stop the wiki's processes first: restore replaces the database under them."""
    try:
        restore(source, replace=replace)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    folder = file_transfer.restore_store(source)
    if folder is not None:
        click.echo(f"Uploaded files restored from {folder}.")
    count = _rebuild_search()
    click.echo(f"Restored {source}; search index rebuilt ({count} pages).")
