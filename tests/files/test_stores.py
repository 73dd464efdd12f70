"""The two file stores behind one interface, for real: a folder, and chunks in the wiki's database
(PostgreSQL in CI's second run). Both stream: a large file is never held whole in memory."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.files import images
from tests.files.conftest import login
from wiki.markup import filepaths


class Pattern(io.RawIOBase):
    """`size` bytes of a repeating pattern, produced as they are read (nothing held in memory)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return (b"0123456789abcdef" * (n // 16 + 1))[:n]


@pytest.fixture(scope="module", params=["local", "database"])
def store_app(request, database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"store-{request.param}")
    app = make_app(fresh_database_url(database_template, work), work, WIKI_FILE_STORE=request.param)
    yield app
    close_app(app)


def test_put_read_copy_delete(store_app):
    from wiki.extensions import db
    from wiki.files import store as stores

    with store_app.app_context():
        store = stores.current()
        size = 3 * stores.CHUNK + 123
        assert store.put("x/y/file.bin", Pattern(size)) == size
        db.session.commit()
        assert store.exists("x/y/file.bin") and store.size("x/y/file.bin") == size
        blocks = list(store.chunks("x/y/file.bin"))
        assert len(blocks) == 4 and max(len(b) for b in blocks) <= stores.CHUNK
        assert b"".join(blocks) == Pattern(size).read()
        store.copy("x/y/file.bin", "copy/file.bin")
        store.delete("x/y/file.bin")
        db.session.commit()
        assert not store.exists("x/y/file.bin") and store.size("copy/file.bin") == size
        with pytest.raises(FileNotFoundError):
            list(store.chunks("x/y/file.bin"))
        with pytest.raises(stores.BadKey):
            store.put("../escape", io.BytesIO(b"x"))


def test_a_large_file_is_streamed_through_the_store(store_app):
    from wiki.extensions import db
    from wiki.files import store as stores

    with store_app.app_context():
        store = stores.current()
        size = 24 * 1024 * 1024
        tracemalloc.start()
        store.put("big/file.bin", Pattern(size))
        db.session.commit()
        read = sum(len(b) for b in store.chunks("big/file.bin"))
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert read == size
        assert peak < 8 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,}-byte file"
        store.delete("big/file.bin")
        db.session.commit()


def test_uploads_are_served_from_either_store(store_app):
    uploader = login(store_app, "StoreUser", "granite-willow-58")
    data = images.jpeg(80, 60)
    assert uploader.upload(data, "Stored.jpg").status_code == 303
    assert uploader.upload(images.jpeg(90, 60), "Stored.jpg", wpIgnoreWarning="1").status_code == 303
    assert uploader.client.get(filepaths.original_url("/images", "Stored.jpg")).data == images.jpeg(90, 60)
    thumb = uploader.client.get(filepaths.thumb_url("/images", "Stored.jpg", 40, "image/jpeg"))
    assert thumb.status_code == 200 and thumb.data[:3] == b"\xff\xd8\xff"
    page = uploader.client.get("/wiki/File:Stored.jpg").get_data(as_text=True)
    old = page[page.index("/images/archive/") :].split('"', 1)[0]
    assert uploader.client.get(old).data == data
