"""Watchlists: the watched titles of each user (subject and talk rows), and the feed token

Revision ID: 0013_watch
Revises: 0013_rights
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_watch"
down_revision = "0013_rights"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "watchlist",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("notified", sa.DateTime(), nullable=True),
        sa.Column("expiry", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("user_id", "namespace", "title", name="uq_watchlist_user_title"),
    )
    # Who watches a title (notifications, watcher counts); the unique constraint's index serves a
    # user's titles in order and the watchlist's join to recentchange (namespace, title, timestamp).
    op.create_index("ix_watchlist_title_user", "watchlist", ["namespace", "title", "user_id"])
    # The watchlist's latest-change-per-page query reads a title's logged actions without its edits.
    op.create_index(
        "ix_recentchange_target_log",
        "recentchange",
        ["namespace", "title", "timestamp"],
        sqlite_where=sa.text("log_id IS NOT NULL"),
        postgresql_where=sa.text("log_id IS NOT NULL"),
    )
    op.create_table(
        "watchlist_token",
        sa.Column("user_id", sa.Integer(), primary_key=True),
        sa.Column("token", sa.String(64), nullable=False),
    )


def downgrade():
    op.drop_table("watchlist_token")
    op.drop_index("ix_recentchange_target_log", table_name="recentchange")
    op.drop_index("ix_watchlist_title_user", table_name="watchlist")
    op.drop_table("watchlist")
