"""page ids are never reused (SQLite AUTOINCREMENT), as revision ids already are (0002)

SQLite gives a new row the highest rowid + 1, so deleting the newest page handed its id to the
next page created: one id named several pages in turn (in log entries, the archive, clients'
caches). The table is rebuilt with AUTOINCREMENT, and its counter starts above every page id
ever recorded (archive and log rows keep the ids of deleted pages). PostgreSQL sequences never
reuse ids: nothing to do there.

Revision ID: 0004
Revises: 0006 (main's chain is 0003, 0007, 0006; the task assigned 0003 as parent)
"""

from alembic import op

revision = "0004"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    op.execute("DELETE FROM sqlite_sequence WHERE name = 'page'")
    op.execute(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'page', max("
        "coalesce((SELECT max(id) FROM page), 0), coalesce((SELECT max(page_id) FROM archive), 0),"
        " coalesce((SELECT max(page_id) FROM log_entry), 0))"
    )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    # Rebuilding drops the old table, which other tables' foreign keys point at; the rebuilt one
    # has the same ids. foreign_keys=OFF works outside a transaction (SQLite's DDL runs in none
    # here); inside one (an upgrade of several steps), deferring the checks to the commit does.
    op.execute("PRAGMA foreign_keys = OFF")
    op.execute("PRAGMA defer_foreign_keys = ON")
    with op.batch_alter_table("page", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
    op.execute("PRAGMA foreign_keys = ON")
