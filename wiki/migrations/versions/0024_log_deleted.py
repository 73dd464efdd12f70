"""Log entry deletion: MediaWiki's log_deleted bitfield

Revision ID: 0024_logdel
Revises: 0023_contribs

`log_entry.deleted` holds which parts of a log entry are hidden, with revision deletion's bit layout
(1 the action and target, 2 the summary, 4 the performer, 8 hidden from administrators too). The
entry's recentchange row keeps its own copy of the summary and performer, so `recentchange.deleted`
(0022) carries the same bits for log rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_logdel"
down_revision = "0023_contribs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("log_entry") as batch_op:
        batch_op.add_column(sa.Column("deleted", sa.SmallInteger(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("log_entry") as batch_op:
        batch_op.drop_column("deleted")
