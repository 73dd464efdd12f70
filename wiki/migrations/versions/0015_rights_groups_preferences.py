"""Group memberships with expiry (user_groups) and preferences (user_properties); user.groups goes

Revision ID: 0013_rights
Revises: 0013_rc
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_rights"
down_revision = "0013_rc"
branch_labels = None
depends_on = None


def upgrade():
    # Read the space-separated groups first: on SQLite, dropping the column rebuilds "user", which
    # would cascade to rows already pointing at it.
    conn = op.get_bind()
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("groups", sa.String))
    rows = []
    for user_id, text in conn.execute(sa.select(user.c.id, user.c.groups).where(user.c.groups != "")):
        rows.extend({"user_id": user_id, "group": g, "expiry": None} for g in dict.fromkeys(text.split()))
    with op.batch_alter_table("user") as batch:
        batch.drop_column("groups")
    groups = op.create_table(
        "user_groups",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("group", sa.String(255), nullable=False),
        sa.Column("expiry", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "group", name=op.f("pk_user_groups")),
    )
    op.create_index("ix_user_groups_group_user", "user_groups", ["group", "user_id"])
    op.create_index("ix_user_groups_expiry", "user_groups", ["expiry"])
    op.create_table(
        "user_properties",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("user_id", "name", name=op.f("pk_user_properties")),
    )
    if rows:
        op.bulk_insert(groups, rows)
    # Edits by today's bots (the seed's account) are bot edits, as rebuildrecentchanges.php marks them.
    op.execute(
        'UPDATE recentchange SET bot = (1 = 1) WHERE type <> \'log\' AND user_id IN '
        '(SELECT user_id FROM user_groups WHERE "group" = \'bot\')'
    )


def downgrade():
    conn = op.get_bind()
    member = sa.table("user_groups", sa.column("user_id", sa.Integer), sa.column("group", sa.String))
    held: dict[int, list[str]] = {}
    for user_id, group in conn.execute(sa.select(member.c.user_id, member.c.group).order_by(member.c.group)):
        held.setdefault(user_id, []).append(group)
    op.drop_table("user_properties")
    op.drop_index("ix_user_groups_expiry", table_name="user_groups")
    op.drop_index("ix_user_groups_group_user", table_name="user_groups")
    op.drop_table("user_groups")
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("groups", sa.String(255), nullable=False, server_default=""))
    user = sa.table("user", sa.column("id", sa.Integer), sa.column("groups", sa.String))
    for user_id, names in held.items():
        conn.execute(sa.update(user).where(user.c.id == user_id).values(groups=" ".join(names)[:255]))
