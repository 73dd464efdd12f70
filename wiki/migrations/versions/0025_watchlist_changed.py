"""The watchlist row's `changed`: the time of its title's latest recent change

Revision ID: 0025_wlchanged
Revises: 0024_logdel

Special:Watchlist looked up every watched title in recentchange (or page) to find what changed within
its window: ~2,000 index probes for 1,000 watched pages, however few of them changed. Each row now
carries the time of its title's latest recent change, kept by wiki.recent whenever a change is
recorded (and when a title is watched), so the read probes only the titles changed since the window
began. Filled here from recentchange; 1970-01-01 (wiki.recent.NEVER) for titles without a change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_wlchanged"
down_revision = "0024_logdel"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("watchlist") as batch_op:
        batch_op.add_column(sa.Column("changed", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE watchlist SET changed = COALESCE((SELECT max(r.timestamp) FROM recentchange r"
        " WHERE r.namespace = watchlist.namespace AND r.title = watchlist.title), '1970-01-01 00:00:00')"
    )


def downgrade():
    with op.batch_alter_table("watchlist") as batch_op:
        batch_op.drop_column("changed")
