"""Issue 15 item 16: the SQLite database and its WAL hold password hashes: owner-only (0600)."""

from __future__ import annotations

import os
import stat

from tests.conftest import close_app, make_app


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_file_and_its_wal_are_created_0600(tmp_path):
    old = os.umask(0o022)  # the usual umask, under which files come out 0644
    try:
        db_file = tmp_path / "fresh.db"
        app = make_app(f"sqlite:///{db_file}", tmp_path / "instance")
        with app.app_context():
            from wiki.extensions import db

            db.create_all()
            with db.engine.connect() as conn:
                conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
                conn.exec_driver_sql("INSERT INTO probe VALUES (1)")
                conn.commit()
            wal = tmp_path / "fresh.db-wal"
            assert wal.exists()
            assert _mode(db_file) == 0o600
            assert _mode(wal) == 0o600
        close_app(app)
    finally:
        os.umask(old)


def test_a_database_left_0644_by_an_older_version_is_narrowed(tmp_path):
    db_file = tmp_path / "old.db"
    db_file.touch()
    os.chmod(db_file, 0o644)
    app = make_app(f"sqlite:///{db_file}", tmp_path / "instance")
    assert _mode(db_file) == 0o600
    close_app(app)
