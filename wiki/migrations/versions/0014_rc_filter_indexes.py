"""Indexes for the recent-changes filters and for a user's contributions

Revision ID: 0013_rc
Revises: 0013_edit

RecentChanges by namespace and by type (new pages), each paged by (timestamp, id); a user's
contributions paged by revision id (Special:Contributions, list=usercontribs).
"""

from alembic import op

revision = "0013_rc"
down_revision = "0013_edit"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_recentchange_namespace_timestamp_id", "recentchange", ["namespace", "timestamp", "id"]),
    ("ix_recentchange_type_timestamp_id", "recentchange", ["type", "timestamp", "id"]),
    ("ix_revision_user_text_id", "revision", ["user_text", "id"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
