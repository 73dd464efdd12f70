"""Revision deletion: MediaWiki's rev_deleted, rc_deleted and ar_deleted bitfields

Revision ID: 0022_revdel
Revises: 0020_imagelinks

`deleted` holds which parts of a revision are hidden (1 text, 2 edit summary, 4 user, 8 hidden from
administrators too). The recentchange row keeps its own copy of the summary and the user, so it
carries the same bits; an archived revision keeps them through a page deletion and undeletion.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_revdel"
down_revision = "0020_imagelinks"
branch_labels = None
depends_on = None

TABLES = ("revision", "recentchange", "archive")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("deleted", sa.SmallInteger(), nullable=False, server_default="0"))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("deleted")
