"""Deleting a file (sysop) takes its page and every version out of view together; undeleting
brings both back; reverting makes an old version current again as a new version."""

from __future__ import annotations

import re

from tests.files import images
from tests.helpers import form_fields
from wiki.markup import filepaths


def _delete(client, title: str):
    html = client.get(f"/w/index.php?title={title}&action=delete").get_data(as_text=True)
    return client.post(
        f"/w/index.php?title={title}&action=delete", data={**form_fields(html), "wpReason": "gone"}
    )


def test_deleting_and_undeleting_a_file_with_its_versions(files_app, uploader, sysop):
    assert uploader.upload(images.png(20, 20), "Doomed.png", description="Doomed").status_code == 303
    assert uploader.upload(images.png(22, 20), "Doomed.png", wpIgnoreWarning="1").status_code == 303
    original = filepaths.original_url("/images", "Doomed.png")
    assert uploader.client.get(original).data == images.png(22, 20)
    assert _delete(uploader.client, "File:Doomed.png").status_code == 403  # not a sysop
    assert _delete(sysop.client, "File:Doomed.png").status_code == 200
    assert uploader.client.get("/wiki/File:Doomed.png").status_code == 404
    assert uploader.client.get(original).status_code == 404
    # A new upload of the name is possible and does not touch the deleted bytes.
    assert uploader.upload(images.png(5, 5), "Doomed.png", wpIgnoreWarning="1").status_code == 303
    assert _delete(sysop.client, "File:Doomed.png").status_code == 200
    html = sysop.client.get("/wiki/Special:Undelete/File:Doomed.png").get_data(as_text=True)
    fields = form_fields(html)
    ids = re.findall(r'name="ids" value="(\d+)"', html)
    resp = sysop.client.post(
        "/w/index.php?title=Special:Undelete/File:Doomed.png",
        data={**fields, "ids": ids, "wpComment": "back"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)[-1500:]
    page = uploader.client.get("/wiki/File:Doomed.png").get_data(as_text=True)
    assert "Doomed" in page
    assert uploader.client.get(original).status_code == 200


def test_reverting_to_an_old_version(files_app, uploader):
    assert uploader.upload(images.png(30, 30, (1, 2, 3)), "Turncoat.png").status_code == 303
    assert (
        uploader.upload(images.png(31, 30, (3, 2, 1)), "Turncoat.png", wpIgnoreWarning="1").status_code == 303
    )
    page = uploader.client.get("/wiki/File:Turncoat.png").get_data(as_text=True)
    oldimage = re.search(r'name="oldimage" value="([^"]+)"', page).group(1)
    token = re.search(r'name="wpEditToken" value="([^"]+)"', page).group(1)
    resp = uploader.client.post(
        "/w/index.php?title=File:Turncoat.png&action=revert",
        data={"oldimage": oldimage, "wpEditToken": token},
    )
    assert resp.status_code == 303
    original = uploader.client.get(filepaths.original_url("/images", "Turncoat.png"))
    assert original.data == images.png(30, 30, (1, 2, 3))
    page = uploader.client.get("/wiki/File:Turncoat.png").get_data(as_text=True)
    assert "Reverted to version as of" in page
