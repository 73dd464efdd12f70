"""Server-side sessions, an atomic login throttle per (name, address), look-alike names, autoblocks

Revision ID: 0005
Revises: 0006 (written against 0003; relinked after main took 0007 and 0006)
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_session_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"])
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("started", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "user_skeleton",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("skeleton", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_user_skeleton_user_id_user")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_skeleton")),
    )
    op.create_index(op.f("ix_user_skeleton_skeleton"), "user_skeleton", ["skeleton"])
    _fill_skeletons()
    with op.batch_alter_table("login_attempt") as batch_op:
        batch_op.drop_index("ix_login_attempt_key_timestamp")
    op.drop_table("login_attempt")
    # Blocks made before this revision keep refusing account creation, as they did, without autoblocks.
    with op.batch_alter_table("block") as batch_op:
        batch_op.add_column(
            sa.Column("create_account", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("autoblock", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_block_parent_id"), ["parent_id"])


def _fill_skeletons():
    from wiki.access.names import skeleton

    bind = op.get_bind()
    users = bind.execute(sa.text('SELECT id, name FROM "user"')).all()
    table = sa.table("user_skeleton", sa.column("user_id", sa.Integer), sa.column("skeleton", sa.String))
    if users:
        op.bulk_insert(table, [{"user_id": uid, "skeleton": skeleton(name)[:255]} for uid, name in users])


def downgrade():
    with op.batch_alter_table("block") as batch_op:
        batch_op.drop_index(batch_op.f("ix_block_parent_id"))
        batch_op.drop_column("parent_id")
        batch_op.drop_column("autoblock")
        batch_op.drop_column("create_account")
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_key_timestamp", "login_attempt", ["key", "timestamp"])
    op.drop_index(op.f("ix_user_skeleton_skeleton"), table_name="user_skeleton")
    op.drop_table("user_skeleton")
    op.drop_table("login_throttle")
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
