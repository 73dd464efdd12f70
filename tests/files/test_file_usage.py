"""Pages that show files: uploading turns their red file links into images without re-saving them,
the file page lists them (imagelinks), and the special pages list used, unused and wanted files."""

from __future__ import annotations

from tests.files import images
from tests.files.conftest import needs_image_renderer
from tests.helpers import WikiClient


@needs_image_renderer
def test_an_upload_turns_red_file_links_into_images_on_pages_that_use_it(files_app, uploader):
    wiki = WikiClient(uploader.client)
    assert wiki.edit("Uses a picture", "Look: [[File:Later.png|thumb|Later]]").status_code == 303
    before = wiki.view("Uses a picture").get_data(as_text=True)
    assert "wpDestFile=Later.png" in before
    wanted = uploader.client.get("/wiki/Special:WantedFiles").get_data(as_text=True)
    assert "File:Later.png" in wanted
    assert uploader.upload(images.png(300, 200), "Later.png").status_code == 303
    after = wiki.view("Uses a picture").get_data(as_text=True)
    assert "wpDestFile=Later.png" not in after
    assert "/images/thumb/" in after and "Later.png/220px-Later.png" in after
    file_page = uploader.client.get("/wiki/File:Later.png").get_data(as_text=True)
    assert 'class="mw-imagepage-linkstoimage"' in file_page and "Uses a picture" in file_page
    assert "File:Later.png" not in uploader.client.get("/wiki/Special:WantedFiles").get_data(as_text=True)


def test_unused_files_and_the_file_list(files_app, uploader):
    assert (
        uploader.upload(images.png(10, 10, (9, 9, 9)), "Lonely.png", summary="nobody uses me").status_code
        == 303
    )
    assert uploader.upload(images.png(10, 10, (8, 9, 9)), "Lonely too.png").status_code == 303
    unused = uploader.client.get("/wiki/Special:UnusedFiles").get_data(as_text=True)
    assert "Lonely.png" in unused
    listed = uploader.client.get("/wiki/Special:ListFiles?sort=name&limit=1").get_data(as_text=True)
    assert 'class="mw-nextlink"' in listed
    newest = uploader.client.get("/wiki/Special:ListFiles").get_data(as_text=True)
    assert "Lonely.png" in newest and "nobody uses me" in newest
    assert "Lonely.png" in uploader.client.get("/wiki/Special:NewFiles").get_data(as_text=True)
    assert uploader.client.get("/wiki/Special:ListFiles?sort=bogus").status_code == 400
    assert uploader.client.get("/wiki/Special:ListFiles?offset=zz").status_code == 400


def test_file_path_and_redirect_go_to_the_original(files_app, uploader):
    uploader.upload(images.png(8, 8, (1, 1, 1)), "Pointed.png")
    for url in ("/wiki/Special:FilePath/Pointed.png", "/wiki/Special:Redirect/file/Pointed.png"):
        resp = uploader.client.get(url)
        assert resp.status_code == 302
        assert resp.headers["Location"].endswith("/Pointed.png") and "/images/" in resp.headers["Location"]
    assert uploader.client.get("/wiki/Special:FilePath/Nothing_here.png").status_code == 404
