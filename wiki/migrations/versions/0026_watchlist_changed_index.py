"""The watchlist's titles by the time of their latest change

Revision ID: 0026_wlchangedix
Revises: 0025_wlchanged

The first page of Special:Watchlist reads only a user's most recently changed titles (as many as the
page shows, and a few more: wiki.pages.watchchanges); this index finds where they start without
reading the user's whole list.
"""

from alembic import op

revision = "0026_wlchangedix"
down_revision = "0025_wlchanged"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_watchlist_user_changed", "watchlist", ["user_id", "changed"])


def downgrade():
    op.drop_index("ix_watchlist_user_changed", table_name="watchlist")
