"""Recent changes as a table (bot and patrol flags, log rows) and change tags

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The rows the table would have had: every revision but null revisions (a move's), then every log
# entry but patrols, in time order; all marked autopatrolled (2), none a bot edit.
BACKFILL = """
INSERT INTO recentchange (timestamp, type, namespace, title, page_id, rev_id, old_rev_id, log_id,
    log_type, log_action, user_id, user_text, comment, minor, bot, patrolled, old_len, new_len)
SELECT timestamp, type, namespace, title, page_id, rev_id, old_rev_id, log_id, log_type, log_action,
    user_id, user_text, comment, minor, bot, 2, old_len, new_len FROM (
  SELECT r.timestamp AS timestamp, CASE WHEN r.parent_id IS NULL THEN 'new' ELSE 'edit' END AS type,
    p.namespace AS namespace, p.title AS title, p.id AS page_id, r.id AS rev_id,
    r.parent_id AS old_rev_id, NULL AS log_id, NULL AS log_type, NULL AS log_action,
    r.user_id AS user_id, r.user_text AS user_text, r.comment AS comment,
    (r.minor AND r.parent_id IS NOT NULL) AS minor, (1 = 0) AS bot,
    COALESCE(q.size, 0) AS old_len, r.size AS new_len
  FROM revision r JOIN page p ON p.id = r.page_id LEFT JOIN revision q ON q.id = r.parent_id
  WHERE q.id IS NULL OR q.sha1 <> r.sha1
  UNION ALL
  SELECT l.timestamp, 'log', l.namespace, l.title, l.page_id, NULL, NULL, l.id, l.type, l.action,
    l.user_id, l.user_text, l.comment, (1 = 0), (1 = 0), NULL, NULL
  FROM log_entry l WHERE l.type <> 'patrol'
) AS changes ORDER BY timestamp, rev_id, log_id
"""


def upgrade():
    op.create_table(
        "recentchange",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("namespace", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=True),
        sa.Column("rev_id", sa.Integer(), nullable=True),
        sa.Column("old_rev_id", sa.Integer(), nullable=True),
        sa.Column("log_id", sa.Integer(), nullable=True),
        sa.Column("log_type", sa.String(32), nullable=True),
        sa.Column("log_action", sa.String(32), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_text", sa.String(255), nullable=False),
        sa.Column("comment", sa.String(767), nullable=False, server_default=""),
        sa.Column("minor", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("bot", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("patrolled", sa.SmallInteger(), nullable=False, server_default="0"),
        sa.Column("old_len", sa.Integer(), nullable=True),
        sa.Column("new_len", sa.Integer(), nullable=True),
    )
    op.create_index("ix_recentchange_timestamp_id", "recentchange", ["timestamp", "id"])
    op.create_index("ix_recentchange_target_timestamp", "recentchange", ["namespace", "title", "timestamp"])
    op.create_index("ix_recentchange_user_text_timestamp", "recentchange", ["user_text", "timestamp"])
    op.create_index("ix_recentchange_rev_id", "recentchange", ["rev_id"])
    op.create_index("ix_recentchange_log_id", "recentchange", ["log_id"])
    op.create_table(
        "change_tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tag", sa.String(255), nullable=False),
        sa.Column("rc_id", sa.Integer(), nullable=True),
        sa.Column("rev_id", sa.Integer(), nullable=True),
        sa.Column("log_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_change_tag_tag_id", "change_tag", ["tag", "id"])
    for column in ("rc_id", "rev_id", "log_id"):
        op.create_index(f"ix_change_tag_{column}", "change_tag", [column])
    op.create_table(
        "change_tag_def",
        sa.Column("name", sa.String(255), primary_key=True),
        sa.Column("user_defined", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.execute(BACKFILL)


def downgrade():
    op.drop_table("change_tag_def")
    for column in ("rc_id", "rev_id", "log_id"):
        op.drop_index(f"ix_change_tag_{column}", table_name="change_tag")
    op.drop_index("ix_change_tag_tag_id", table_name="change_tag")
    op.drop_table("change_tag")
    for name in ("log_id", "rev_id", "user_text_timestamp", "target_timestamp", "timestamp_id"):
        op.drop_index(f"ix_recentchange_{name}", table_name="recentchange")
    op.drop_table("recentchange")
