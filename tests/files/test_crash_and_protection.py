"""An upload lands whole or not at all, even when its process is killed at any moment; a protected
file page refuses new versions."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image

from tests.conftest import ROOT, close_app, fresh_database_url, make_app
from tests.files import images


def _big_png() -> bytes:
    img = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=0)
    return out.getvalue()


def _consistent(app) -> dict:
    """Every file row names bytes that exist with its SHA-1, has its page and its log entry."""
    from wiki.extensions import db
    from wiki.files import store as stores
    from wiki.models import File, LogEntry, OldFile, Page

    with app.app_context():
        store = stores.current()
        rows = list(db.session.scalars(db.select(File))) + list(db.session.scalars(db.select(OldFile)))
        for row in rows:
            digest = hashlib.sha1()  # noqa: S324
            for block in store.chunks(row.storage_key):
                digest.update(block)
            assert digest.hexdigest() == row.sha1, row.name
        for row in db.session.scalars(db.select(File)):
            assert db.session.scalar(db.select(Page).where(Page.namespace == 6, Page.title == row.name))
            assert db.session.scalar(
                db.select(LogEntry).where(LogEntry.type == "upload", LogEntry.title == row.name)
            )
        pages = db.session.scalars(db.select(Page.title).where(Page.namespace == 6)).all()
        files = db.session.scalars(db.select(File.name)).all()
        assert sorted(pages) == sorted(files), "a file page without its file, or the reverse"
        return {"files": len(files), "versions": len(rows)}


@pytest.mark.stress  # kills and restarts a live server many times: `make stress`
def test_killing_the_process_mid_upload_never_leaves_half_an_upload(database_template, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(4):
        (folder / f"Big {n}.png").write_bytes(_big_png())
    work = tmp_path / "wiki"
    work.mkdir()
    url = fresh_database_url(database_template, work)
    app = make_app(url, work)
    env = {
        **os.environ,
        "WIKI_DATABASE_URL": url,
        "WIKI_INSTANCE_DIR": str(work),
        "WIKI_INDEX_DIR": str(work / "search"),
    }
    command = [sys.executable, "-m", "flask", "--app", "wiki", "import-images", str(folder), "--overwrite"]

    def start() -> subprocess.Popen:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    try:
        began = time.monotonic()
        start().wait(120)
        whole = time.monotonic() - began  # process start, then four uploads of new versions each later run
        assert _consistent(app) == {"files": 4, "versions": 4}
        counts = []
        for fraction in (0.6, 0.75, 0.9):
            for path in folder.iterdir():
                path.write_bytes(_big_png())  # new bytes: every upload is a new version
            proc = start()
            time.sleep(whole * fraction)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            counts.append(_consistent(app)["versions"])
        assert counts[-1] > 4, counts  # some new versions landed before the kills
    finally:
        close_app(app)


def test_a_protected_file_refuses_new_versions(files_app, uploader, sysop):
    assert uploader.upload(images.png(14, 14, (7, 7, 7)), "Guarded.png").status_code == 303
    with files_app.app_context():
        from wiki import pages, site
        from wiki.access import protection

        title = site.parse_title("File:Guarded.png")
        protection.protect(title, {"edit": "sysop"}, actor=pages.Actor("FileAdmin"), reason="stable")
    resp = uploader.upload(images.png(15, 14, (7, 7, 7)), "Guarded.png", wpIgnoreWarning="1")
    assert resp.status_code == 403
    assert sysop.upload(images.png(15, 14, (7, 7, 7)), "Guarded.png", wpIgnoreWarning="1").status_code == 303
