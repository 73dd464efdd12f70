"""Cascading protection (a flag on edit protections) and create protection of missing titles

Revision ID: 0006
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("protection") as batch:
        batch.add_column(sa.Column("cascade", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "protected_title",
        sa.Column("namespace", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("expiry", sa.DateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_text", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.String(length=767), nullable=False),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("namespace", "title"),
    )


def downgrade():
    op.drop_table("protected_title")
    with op.batch_alter_table("protection") as batch:
        batch.drop_column("cascade")
