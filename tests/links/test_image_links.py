"""Image links through HTTP: missing files link to the upload form (in a 180 px frame for thumbnails,
as MediaWiki draws a missing thumbnail)."""

from tests.links.conftest import content


def test_missing_files_link_to_the_upload_form(admin):
    admin.edit(
        "Gallery page", "[[File:Other.jpg|thumb|A caption]] [[Media:Sound.ogg|listen]] [[:File:Other.jpg]]"
    )
    body = content(admin.view("Gallery page"))
    assert '<div class="thumb tright"><div class="thumbinner" style="width:182px;">' in body
    assert (
        'title=Special:Upload&amp;wpDestFile=Other.jpg" class="new" title="File:Other.jpg">File:Other.jpg</a>'
        in body
    )
    assert '<div class="thumbcaption">A caption</div>' in body
    assert 'wpDestFile=Sound.ogg" class="new" title="Sound.ogg">listen</a>' in body
    assert "title=File:Other.jpg&amp;action=edit&amp;redlink=1" in body  # the file's page: a page link
