"""Special:Upload through HTTP: real files land whole (file, page, log, links), hostile ones are
refused with a clear message and nothing stored, and warnings let the uploader go on or stop."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.files import images


def _count_files(app) -> int:
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import File

        return db.session.query(File).count()


def test_anonymous_users_cannot_upload(files_app):
    client = files_app.test_client()
    resp = client.get("/wiki/Special:Upload")
    assert resp.status_code == 401
    assert "Log in" in resp.get_data(as_text=True)


def test_an_upload_makes_the_file_its_page_and_log_entry(files_app, uploader):
    resp = uploader.upload(
        images.png(40, 30),
        "red square.PNG",
        description="A red square. [[Category:Squares]]",
        summary="first upload",
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    assert resp.headers["Location"].endswith("/wiki/File:Red_square.png")
    page = uploader.client.get("/wiki/File:Red_square.png").get_data(as_text=True)
    assert "A red square." in page
    assert "40 × 30 pixels" in page and "image/png" in page
    assert 'id="filehistory"' in page and "first upload" in page
    assert "Category:Squares" in page
    original = uploader.client.get(
        "/images/a/a3/Red_square.png" if False else _original_url(files_app, "Red_square.png")
    )
    assert original.status_code == 200
    assert original.headers["Content-Type"] == "image/png"
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in original.headers["Cache-Control"]
    assert original.data == images.png(40, 30)
    log = uploader.client.get("/wiki/Special:Log?type=upload").get_data(as_text=True)
    assert "Red square.png" in log or "Red_square.png" in log


def _original_url(app, name: str) -> str:
    from wiki.markup import filepaths

    return filepaths.original_url("/images", name)


def test_the_destination_name_defaults_to_the_file_name(files_app, uploader):
    resp = uploader.upload(images.jpeg(), "photos/Holiday photo.JPG")
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/wiki/File:Holiday_photo.jpg")


def test_a_thumbnail_is_made_on_first_request_with_exif_orientation(files_app, uploader):
    # Orientation 6: the camera was turned; the stored 64×48 pixels show as 48×64.
    assert (
        uploader.upload(images.jpeg(64, 48, orientation=6, model="Model X"), "Turned.jpg").status_code == 303
    )
    page = uploader.client.get("/wiki/File:Turned.jpg").get_data(as_text=True)
    assert "48 × 64 pixels" in page
    assert "Model X" in page  # EXIF metadata
    from wiki.markup import filepaths

    url = filepaths.thumb_url("/images", "Turned.jpg", 24, "image/jpeg")
    first = uploader.client.get(url)
    assert first.status_code == 200 and first.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(first.data)).size == (24, 32)
    assert "immutable" in first.headers["Cache-Control"]
    again = uploader.client.get(url)
    assert again.data == first.data


def test_absurd_thumbnail_widths_are_refused(files_app, uploader):
    from wiki.markup import filepaths

    uploader.upload(images.png(50, 50), "Widths.png")
    for width in (50, 999999, 0):
        url = filepaths.thumb_url("/images", "Widths.png", width, "image/png")
        assert uploader.client.get(url).status_code in (400, 404), width


def test_svg_is_served_sandboxed_and_thumbnailed_as_png(files_app, uploader):
    assert uploader.upload(images.SVG, "Drawing.svg").status_code == 303
    from wiki.markup import filepaths

    original = uploader.client.get(filepaths.original_url("/images", "Drawing.svg"))
    assert original.headers["Content-Type"].startswith("image/svg+xml")
    assert "sandbox" in original.headers["Content-Security-Policy"]
    thumb = uploader.client.get(filepaths.thumb_url("/images", "Drawing.svg", 100, "image/svg+xml"))
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(thumb.data)).size == (100, 50)


def test_animated_gif_thumbnail_is_its_first_frame(files_app, uploader):
    assert uploader.upload(images.gif_animated(30, 20), "Anim.gif").status_code == 303
    from wiki.markup import filepaths

    thumb = uploader.client.get(filepaths.thumb_url("/images", "Anim.gif", 15, "image/gif"))
    assert thumb.status_code == 200
    assert Image.open(io.BytesIO(thumb.data)).size == (15, 10)


def test_webp_and_pdf_are_accepted(files_app, uploader):
    assert uploader.upload(images.webp(), "Leaf.webp").status_code == 303
    assert uploader.upload(images.PDF, "Paper.pdf").status_code == 303
    from wiki.markup import filepaths

    pdf = uploader.client.get(filepaths.original_url("/images", "Paper.pdf"))
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in pdf.headers["Content-Security-Policy"]
    assert "300 × 144 pixels" in uploader.client.get("/wiki/File:Paper.pdf").get_data(as_text=True)


HOSTILE = [
    ("empty", b"", "Empty.png", "empty"),
    ("html-as-png", b"<html><script>alert(1)</script></html>", "Page.png", "not one of the permitted types"),
    ("png-named-jpg", images.png(), "Liar.jpg", "does not match"),
    ("banned-extension", b"#!/bin/sh\necho hi\n", "Run.sh", "not a permitted file type"),
    ("png-trailing-html", images.png_with_trailing_html(), "Trail.png", "HTML or script"),
    ("gif-html-polyglot", images.gif_html_polyglot(), "Poly.gif", "HTML or script"),
    ("png-bomb", images.png_bomb(20000), "Bomb.png", "pixels"),
    ("truncated-png", images.png()[:60], "Cut.png", "damaged"),
    (
        "pdf-javascript",
        images.PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        "Js.pdf",
        "JavaScript",
    ),
    *[(f"svg-{name}", data, f"Evil {name}.svg", "") for name, data in images.HOSTILE_SVG.items()],
]


@pytest.mark.parametrize(
    ("data", "filename", "message"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_hostile_files_are_refused_and_nothing_is_stored(files_app, uploader, data, filename, message):
    before = _count_files(files_app)
    resp = uploader.upload(data, filename)
    assert resp.status_code == 400, resp.status_code
    html = resp.get_data(as_text=True)
    assert 'class="errorbox"' in html
    assert message in html
    assert _count_files(files_app) == before
    assert uploader.client.get(f"/wiki/File:{filename.replace(' ', '_')}").status_code == 404


@pytest.mark.parametrize("name", ["a/b.png", "..\\x.png", "tab\there.png", "No extension"])
def test_bad_names_are_refused(files_app, uploader, name):
    resp = uploader.upload(images.png(), "x.png", dest=name)
    assert resp.status_code == 400
    assert 'class="errorbox"' in resp.get_data(as_text=True)


def test_a_body_over_the_limit_is_refused_with_413(files_app, uploader):
    files_app.config["WIKI_MAX_UPLOAD_BYTES"] = 2000
    try:
        resp = uploader.upload(b"\x89PNG" + b"0" * (2 * 1024 * 1024), "Big.png")
        assert resp.status_code == 413
        resp = uploader.upload(images.png(200, 200, (1, 2, 3)) + b"\0" * 3000, "Medium.png")
        assert resp.status_code == 413
        assert "larger than the limit" in resp.get_data(as_text=True)
    finally:
        files_app.config["WIKI_MAX_UPLOAD_BYTES"] = 100 * 1024 * 1024


def test_warnings_let_the_uploader_go_on_or_stop(files_app, uploader):
    data = images.png(12, 12, (5, 5, 5))
    assert uploader.upload(data, "Warned.png").status_code == 303
    resp = uploader.upload(data, "Warned copy.png")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "mw-upload-warning-duplicate" in html and "Warned.png" in html
    from tests.helpers import form_fields

    fields = form_fields(html)
    stopped = uploader.client.post(
        "/w/index.php?title=Special:Upload",
        data={**fields, "wpCancelUpload": "1"},
        content_type="multipart/form-data",
    )
    assert "cancelled" in stopped.get_data(as_text=True)
    assert uploader.client.get("/wiki/File:Warned_copy.png").status_code == 404
    html = uploader.upload(data, "Warned copy.png").get_data(as_text=True)
    went_on = uploader.client.post(
        "/w/index.php?title=Special:Upload",
        data={**form_fields(html), "wpUpload": "1"},
        content_type="multipart/form-data",
    )
    assert went_on.status_code == 303
    assert uploader.client.get("/wiki/File:Warned_copy.png").status_code == 200


def test_a_new_version_keeps_the_old_one_in_the_history(files_app, uploader):
    assert uploader.upload(images.png(20, 10), "Versioned.png").status_code == 303
    resp = uploader.upload(images.png(30, 10, (0, 0, 255)), "Versioned.png", summary="bluer")
    assert "mw-upload-warning-exists" in resp.get_data(as_text=True)
    resp = uploader.upload(
        images.png(30, 10, (0, 0, 255)), "Versioned.png", summary="bluer", wpIgnoreWarning="1"
    )
    assert resp.status_code == 303
    page = uploader.client.get("/wiki/File:Versioned.png").get_data(as_text=True)
    assert "30 × 10 pixels" in page and "20 × 10" in page and "bluer" in page
    assert "/images/archive/" in page


def test_a_description_page_written_before_the_file_keeps_its_text(files_app, uploader):
    from tests.helpers import WikiClient

    assert WikiClient(uploader.client).edit("File:Described.png", "Written first.").status_code == 303
    assert (
        uploader.upload(images.png(11, 11, (4, 4, 4)), "Described.png", description="Ignored").status_code
        == 303
    )
    page = uploader.client.get("/wiki/File:Described.png").get_data(as_text=True)
    assert "Written first." in page and "Ignored" not in page and "11 × 11 pixels" in page
