"""Defence in depth, in Debian's Chromium: even a hostile file that got past the upload checks (put
into the store directly here) runs no script when its URL is opened, because every file is served
with its own type, `nosniff` and a sandboxing Content-Security-Policy."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import CHROMIUM, close_app, make_app, require_browser
from tests.files import images
from wiki.markup import filepaths

MARK = b"document.documentElement.setAttribute('data-pwned','1')"
HOSTILE = {
    "Script.svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="' + MARK.replace(b"'", b"&apos;") + b'">'
        b"<script>" + MARK + b"</script><rect width='9' height='9'/></svg>",
        "image/svg+xml",
    ),
    "Page.gif": (images.gif_html_polyglot().replace(b"alert(document.domain)", MARK), "image/gif"),
    "Html.png": (images.png_with_trailing_html().replace(b"alert(1)", MARK), "image/png"),
}


def _plant(app, tmp_path: Path) -> None:
    """Store the files as a successful upload would, skipping the checks an upload makes."""
    from wiki import pages
    from wiki.files import sniff, upload

    with app.app_context():
        for name, (data, mime) in HOSTILE.items():
            path = tmp_path / name
            path.write_bytes(data)
            facts = sniff.Facts(mime, "BITMAP", 9, 9)
            staged = upload.Staged(path, name, facts, hashlib.sha1(data).hexdigest(), len(data))  # noqa: S324
            upload.publish(staged, pages.Actor("Planter"), text="planted")


def test_hostile_files_run_no_script_when_opened_directly(database_url, instance_dir, live_server, tmp_path):
    require_browser()
    from playwright import sync_api

    app = make_app(database_url, instance_dir)
    try:
        _plant(app, tmp_path)
    finally:
        close_app(app)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name in HOSTILE:
                page = browser.new_page()
                url = live_server.url + filepaths.original_url("/images", name)
                response = page.goto(url)
                assert response is not None and response.status == 200, name
                assert "sandbox" in response.headers["content-security-policy"]
                page.wait_for_timeout(300)
                ran = page.evaluate("document.documentElement.getAttribute('data-pwned')")
                assert ran is None, f"{name}: its script ran"
                page.close()
        finally:
            browser.close()
