"""Uploaded files: file, old_file, file_archive, image_link and the database file store's chunks

Revision ID: 0012_uploads
Revises: 0013_watch
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_uploads"
down_revision = "0013_watch"
branch_labels = None
depends_on = None


def _version_columns():
    return [
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("storage_key", sa.String(512), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("media_type", sa.String(16), nullable=False),
        sa.Column("sha1", sa.String(40), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("comment", sa.String(767), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_text", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.DateTime(), nullable=False),
    ]


def upgrade():
    op.create_table(
        "file",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_version_columns(),
        sa.UniqueConstraint("name", name="uq_file_name"),
    )
    op.create_index("ix_file_sha1", "file", ["sha1"])
    op.create_index("ix_file_timestamp_id", "file", ["timestamp", "id"])
    op.create_index("ix_file_size_id", "file", ["size", "id"])
    op.create_table(
        "old_file",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_version_columns(),
        sa.Column("archive_name", sa.String(255), nullable=False),
    )
    op.create_index("ix_old_file_name_timestamp", "old_file", ["name", "timestamp"])
    op.create_index("ix_old_file_sha1", "old_file", ["sha1"])
    op.create_table(
        "file_archive",
        sa.Column("id", sa.Integer(), primary_key=True),
        *_version_columns(),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("archive_name", sa.String(255), nullable=False),
        sa.Column("deleted_timestamp", sa.DateTime(), nullable=False),
        sa.Column("deleted_by", sa.String(255), nullable=False),
    )
    op.create_index("ix_file_archive_name", "file_archive", ["name"])
    op.create_table(
        "image_link",
        sa.Column("from_id", sa.Integer(), sa.ForeignKey("page.id"), primary_key=True),
        sa.Column("title", sa.String(255), primary_key=True),
    )
    op.create_index("ix_image_link_title", "image_link", ["title"])
    op.create_table(
        "file_chunk",
        sa.Column("key", sa.String(512), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade():
    op.drop_table("file_chunk")
    op.drop_index("ix_image_link_title", table_name="image_link")
    op.drop_table("image_link")
    op.drop_index("ix_file_archive_name", table_name="file_archive")
    op.drop_table("file_archive")
    op.drop_index("ix_old_file_sha1", table_name="old_file")
    op.drop_index("ix_old_file_name_timestamp", table_name="old_file")
    op.drop_table("old_file")
    for name in ("ix_file_size_id", "ix_file_timestamp_id", "ix_file_sha1"):
        op.drop_index(name, table_name="file")
    op.drop_table("file")
