"""Special:Log and list=logevents filter by performer and by target page: index both

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_log_entry_user_text_timestamp", "log_entry", ["user_text", "timestamp"])
    op.create_index("ix_log_entry_target_timestamp", "log_entry", ["namespace", "title", "timestamp"])


def downgrade():
    op.drop_index("ix_log_entry_target_timestamp", table_name="log_entry")
    op.drop_index("ix_log_entry_user_text_timestamp", table_name="log_entry")
