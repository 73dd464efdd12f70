"""Concept structure of pages (defining sentence, genus, AKA terms) and the alias keys of search

Revision ID: 0013_concepts
Revises: 0012_uploads
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_concepts"
down_revision = "0012_uploads"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "concept_structure",
        sa.Column("page_id", sa.Integer(), sa.ForeignKey("page.id"), primary_key=True),
        sa.Column("is_concept", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("genus", sa.String(255), nullable=True),
        sa.Column("sentence", sa.Text(), nullable=False, server_default=""),
        sa.Column("dated", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("data", sa.Text(), nullable=False, server_default="{}"),
    )
    op.create_index("ix_concept_structure_genus", "concept_structure", ["genus"])
    op.create_table(
        "concept_alias",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("page_id", sa.Integer(), sa.ForeignKey("page.id"), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_index("ix_concept_alias_page_id", "concept_alias", ["page_id"])
    op.create_index("ix_concept_alias_key", "concept_alias", ["key"])


def downgrade():
    op.drop_table("concept_alias")
    op.drop_table("concept_structure")
