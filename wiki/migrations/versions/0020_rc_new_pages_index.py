"""A partial index of the page creations in recentchange, newest first

Revision ID: 0020_rc_new
Revises: 0012_harden

RecentChanges with "hide page edits" (new pages only), Special:NewPages and list=recentchanges with
rctype=new list rows of type "new" by (timestamp, id). With only (type, timestamp, id) and
(timestamp, id) to choose from, PostgreSQL walked the time index and filtered: in the last 30 days
of a 1,000,000-row table that was 406,000 rows read for 500 shown, 0.3 s (bench/collab_bench.py).
The partial index holds the creations alone (a tenth of the rows), in the order they are listed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_rc_new"
down_revision = "0012_harden"
branch_labels = None
depends_on = None

NEW_ONLY = sa.text("type = 'new'")


def upgrade():
    op.create_index(
        "ix_recentchange_new_timestamp_id",
        "recentchange",
        ["timestamp", "id"],
        postgresql_where=NEW_ONLY,
        sqlite_where=NEW_ONLY,
    )


def downgrade():
    op.drop_index("ix_recentchange_new_timestamp_id", table_name="recentchange")
