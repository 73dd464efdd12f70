"""CDN purges: the outbox of titles whose cached views the proxies must drop

Revision ID: 0009
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cdn_purge",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("namespace", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_cdn_purge_next_attempt", "cdn_purge", ["next_attempt"])


def downgrade():
    op.drop_index("ix_cdn_purge_next_attempt", table_name="cdn_purge")
    op.drop_table("cdn_purge")
