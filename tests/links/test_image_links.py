"""Image links through HTTP: missing files link to the upload form, MediaWiki:Bad image list."""

from tests.links.conftest import content


def test_missing_files_link_to_the_upload_form_and_bad_images_are_plain_links(admin):
    admin.edit("MediaWiki:Bad image list", "* [[File:Shock.jpg]] except on [[Allowed page]]")
    admin.edit("Gallery page", "[[File:Shock.jpg]] [[File:Other.jpg|thumb|A caption]]")
    body = content(admin.view("Gallery page"))
    assert "title=Special:Upload&amp;wpDestFile=Other.jpg" in body and '<div class="thumbcaption">' in body
    assert "title=File:Shock.jpg&amp;action=edit&amp;redlink=1" in body  # listed: a link to the page
    assert "wpDestFile=Shock.jpg" not in body
    admin.edit("Allowed page", "[[File:Shock.jpg]]")
    assert "title=Special:Upload&amp;wpDestFile=Shock.jpg" in content(admin.view("Allowed page"))
