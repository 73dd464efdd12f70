"""Account recovery: single-use e-mail tokens, locked accounts, the user-talk e-mail preference

Revision ID: 0011
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("email_on_talk", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, server_default=""),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("used", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_account_token_user_id", "account_token", ["user_id"])


def downgrade():
    op.drop_index("ix_account_token_user_id", table_name="account_token")
    op.drop_table("account_token")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email_on_talk")
        batch.drop_column("disabled")
