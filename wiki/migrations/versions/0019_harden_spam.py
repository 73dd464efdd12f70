"""CAPTCHA challenges of the spam defence (wiki.spam.captcha).

Revision ID: 0012_harden
Revises: 0013_concepts
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_harden"
down_revision = "0013_concepts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "captcha_challenge",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("question", sa.String(255), nullable=False),
        sa.Column("answer", sa.String(64), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_captcha_challenge_expires", "captcha_challenge", ["expires"])


def downgrade():
    op.drop_index("ix_captcha_challenge_expires", table_name="captcha_challenge")
    op.drop_table("captcha_challenge")
