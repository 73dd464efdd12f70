"""Rate limits as MediaWiki's $wgRateLimits: one row per (action, actor) window; revisions by account

Revision ID: 0008
Revises: 0004 (written against 0005; relinked after main took 0004)
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit")),
    )
    op.create_index(op.f("ix_rate_limit_expires"), "rate_limit", ["expires"])
    # Whether an account has made WIKI_AUTOCONFIRM_EDITS edits is asked on every limited action.
    op.create_index(op.f("ix_revision_user_id"), "revision", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_revision_user_id"), table_name="revision")
    op.drop_index(op.f("ix_rate_limit_expires"), table_name="rate_limit")
    op.drop_table("rate_limit")
