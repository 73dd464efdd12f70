"""user_newtalk: who has new messages on their user talk page

Revision ID: 0012_edit
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_edit"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_newtalk",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True, unique=True),
        sa.Column("user_ip", sa.String(64), nullable=True, unique=True),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table("user_newtalk")
