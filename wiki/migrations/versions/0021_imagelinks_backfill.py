"""Files shown by pages saved before the image renderer: copied from page_link into image_link.

Cascading protection now reads image_link only (as MediaWiki reads imagelinks). Pages saved before
the image renderer recorded the files they show in page_link (namespace 6); without this copy their
files would lose the protection their page cascades until the page is saved again. The copy also
takes `[[:File:X]]` links of those pages (page_link cannot tell them apart): a wider protection, not
a narrower one, until the page's next save writes both tables exactly.

Revision ID: 0020_imagelinks
Revises: 0020_rc_new
"""

from alembic import op

revision = "0020_imagelinks"
down_revision = "0020_rc_new"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        INSERT INTO image_link (from_id, title)
        SELECT DISTINCT pl.from_id, pl.title FROM page_link pl
        WHERE pl.namespace = 6
          AND NOT EXISTS (SELECT 1 FROM image_link il WHERE il.from_id = pl.from_id)
        """
    )


def downgrade():
    pass  # the copied rows are what a save of those pages writes again
