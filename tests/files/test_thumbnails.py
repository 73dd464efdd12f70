"""Thumbnails: a burst of requests for a missing one makes it once; a lost one is made again."""

from __future__ import annotations

import shutil
import threading

from tests.files import images
from wiki.markup import filepaths


def test_a_burst_of_requests_makes_a_thumbnail_once(files_app, uploader):
    import io
    import os

    from PIL import Image

    big = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    out = io.BytesIO()
    big.save(out, "JPEG", quality=90)
    assert uploader.upload(out.getvalue(), "Burst.jpg").status_code == 303
    from wiki.files import reads, thumbs

    inodes: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def ask() -> None:
        try:
            with files_app.app_context():
                row = reads.get("Burst.jpg")
                start.wait()
                path = thumbs.thumbnail(row, 300)
                inodes.append(path.stat().st_ino)
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=ask) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert len(inodes) == 8 and len(set(inodes)) == 1, "the thumbnail was made more than once"
    with files_app.app_context():
        folder = thumbs.cache_dir("Burst.jpg")
        made = [p.name for p in folder.rglob("*") if p.is_file() and p.name != ".lock"]
    assert made == ["300px-Burst.jpg"]


def test_a_lost_thumbnail_is_made_again(files_app, uploader):
    assert uploader.upload(images.png(120, 60), "Lost.png").status_code == 303
    url = filepaths.thumb_url("/images", "Lost.png", 60, "image/png")
    first = uploader.client.get(url)
    assert first.status_code == 200
    shutil.rmtree(files_app.config["WIKI_UPLOAD_DIR"] + "/thumb")
    again = uploader.client.get(url)
    assert again.status_code == 200 and again.data == first.data


def test_a_tall_svg_is_not_drawn_at_an_absurd_size(files_app, uploader):
    tall = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="90000"><rect width="9"/></svg>'
    assert uploader.upload(tall, "Tall.svg").status_code == 303
    for width, status in ((4000, 400), (20, 400), (3, 200)):  # 20 px: 180,000 px tall, more than Cairo draws
        url = filepaths.thumb_url("/images", "Tall.svg", width, "image/svg+xml")
        assert uploader.client.get(url).status_code == status, width
