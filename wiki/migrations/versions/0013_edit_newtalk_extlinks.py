"""user_newtalk (who has new messages on their user talk page) and externallinks

Revision ID: 0013_edit
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_edit"
down_revision = "0012"
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
    op.create_table(
        "external_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("from_id", sa.Integer(), sa.ForeignKey("page.id"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("index_key", sa.String(255), nullable=False),
    )
    # prop=extlinks pages through a page's links by (index_key, id); list=exturlusage through all
    # links by the same key, a domain being a prefix of it.
    op.create_index("ix_external_link_from_key", "external_link", ["from_id", "index_key", "id"])
    op.create_index("ix_external_link_key", "external_link", ["index_key", "id"])


def downgrade():
    op.drop_index("ix_external_link_key", "external_link")
    op.drop_index("ix_external_link_from_key", "external_link")
    op.drop_table("external_link")
    op.drop_table("user_newtalk")
