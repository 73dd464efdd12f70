"""revision ids are never reused (SQLite AUTOINCREMENT), as MediaWiki's rev ids

SQLite gives a new row the highest rowid + 1, so after a page deletion moves the newest revisions
to the archive their ids would be handed out again, and the archive (unique rev_id) or an
undeletion would collide. PostgreSQL sequences never reuse ids: nothing to do there.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("revision", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
        pass


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("revision", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
        pass
