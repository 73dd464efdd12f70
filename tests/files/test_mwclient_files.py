"""The real mwclient 0.11 against a live server: upload (plain and chunked), image info, download,
page.images() and the allimages listing, the way a bot uses files."""

from __future__ import annotations

import io
import os

import mwclient
import pytest

from tests.api.helpers import make_user
from tests.files import images
from tests.files.conftest import needs_image_renderer


@pytest.fixture
def site(app, live_server):
    make_user(app, "Bot", "violet-harbour-93")
    site = mwclient.Site(f"127.0.0.1:{live_server.port}", path="/w/", scheme="http")
    site.login("Bot", "violet-harbour-93")
    return site


def test_mwclient_uploads_lists_and_downloads_files(site):
    data = images.jpeg(120, 80, model="Bot camera")
    result = site.upload(
        io.BytesIO(data), filename="Bot photo.jpg", description="Taken by a bot.", comment="bot"
    )
    assert result["result"] == "Success"
    image = site.images["Bot photo.jpg"]
    assert image.exists
    assert image.imageinfo["width"] == 120 and image.imageinfo["mime"] == "image/jpeg"
    assert image.imageinfo["sha1"] and image.imageinfo["user"] == "Bot"
    assert image.download() == data
    buffer = io.BytesIO()
    image.download(buffer)
    assert buffer.getvalue() == data

    with pytest.raises(mwclient.errors.FileExists):
        site.upload(io.BytesIO(images.jpeg(60, 40)), filename="Bot photo.jpg", description="again")
    site.upload(io.BytesIO(images.jpeg(60, 40)), filename="Bot photo.jpg", comment="smaller", ignore=True)
    history = list(site.images["Bot photo.jpg"].imagehistory())
    assert [v["width"] for v in history] == [60, 120]

    assert "Bot photo.jpg" in [i.name.split(":", 1)[1] for i in site.allimages()]


@needs_image_renderer
def test_mwclient_sees_which_pages_use_a_file(site):
    site.upload(io.BytesIO(images.png(30, 30)), filename="Used.png", description="x", comment="x")
    page = site.pages["Gallery page"]
    page.edit("[[File:Used.png|thumb|A photo]]", summary="uses the photo")
    assert [i.name for i in page.images()] == ["File:Used.png"]
    assert [p.name for p in site.images["Used.png"].imageusage()] == ["Gallery page"]


# A live server for the stash and filekey that tests/files/test_api_files.py checks in process: `make stress`.
@pytest.mark.stress
def test_mwclient_chunked_upload_of_a_larger_file(site):
    # Over mwclient's 1 MiB chunk size: it sends stash=1 chunks, then publishes the filekey.
    from PIL import Image

    noisy = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    out = io.BytesIO()
    noisy.save(out, "PNG", compress_level=0)
    data = out.getvalue()
    assert len(data) > 1024 * 1024
    result = site.upload(io.BytesIO(data), filename="Noise.png", description="Noise", comment="chunked")
    result = result.get("upload", result)  # mwclient answers a chunked upload's whole reply
    assert result["result"] == "Success", result
    assert site.images["Noise.png"].download() == data
