"""A MediaWiki-style wiki engine: the application factory."""

from __future__ import annotations

import logging
import os

from flask import Flask

from wiki import config
from wiki.extensions import db, login_manager, migrate


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands."""
    instance = os.environ.get("WIKI_INSTANCE_DIR") or str(config.default_instance_dir())
    if overrides and "WIKI_INSTANCE_DIR" in overrides:
        instance = overrides["WIKI_INSTANCE_DIR"]
    app = Flask(__name__, instance_path=instance, static_folder=config.STATIC_DIR, static_url_path="/static")
    app.config.update(config.load(instance, overrides))
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.MIGRATIONS_DIR))
    login_manager.init_app(app)
    _sqlite_pragmas(app)

    from wiki import cdn, cli, mail, rest, search
    from wiki.concepts import embed
    from wiki.web import proxies, register

    register(app)
    rest.init(app)  # /w/rest.php, the REST API
    cli.register(app)
    search.init_app(app)
    mail.init_app(app)
    cdn.init_app(app)
    embed.init_app(app)  # <timeline/>
    proxies.install(app)  # outermost: every layer below sees the client's address
    return app


def _sqlite_pragmas(app: Flask) -> None:
    """WAL lets readers run beside a writer; busy_timeout makes writers wait instead of failing."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    _private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL cannot corrupt the database; it skips an fsync per commit (about
            # 20 ms here), which capped saves and imports. A power cut may undo the last commits.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()


def _private_sqlite_file(uri: str) -> None:
    """The database holds password hashes: create it readable by its owner only (SQLite gives the
    -wal and -shm files the database's mode), and narrow a file that an older version left 0644."""
    from sqlalchemy.engine import make_url

    path = make_url(uri).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    except OSError:
        return  # a missing folder: SQLite will say so on first use
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix) and os.stat(path + suffix).st_mode & 0o077:
            os.chmod(path + suffix, 0o600)
