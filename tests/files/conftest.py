"""One wiki per test module for the file tests, with an uploader logged in over HTTP."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

TOKEN = re.compile(r'name="wpEditToken" value="([^"]*)"')


class Uploader:
    """A logged-in user driving Special:Upload as a browser would."""

    def __init__(self, client) -> None:
        self.client = client

    def token(self) -> str:
        html = self.client.get("/wiki/Special:Upload").get_data(as_text=True)
        return unescape(TOKEN.search(html).group(1))

    def upload(self, data: bytes, filename: str, dest: str = "", **fields):
        form = {
            "wpUploadFile": (io.BytesIO(data), filename),
            "wpDestFile": dest,
            "wpUploadDescription": fields.pop("description", ""),
            "wpSummary": fields.pop("summary", ""),
            "wpEditToken": self.token(),
            **fields,
        }
        return self.client.post(
            "/w/index.php?title=Special:Upload", data=form, content_type="multipart/form-data"
        )


@pytest.fixture(scope="module")
def files_app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("files")
    app = make_app(fresh_database_url(database_template, work), work)
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def uploader(files_app) -> Uploader:
    return login(files_app, "Uploader", "lantern-orchid-42")


def login(app, name: str, password: str, groups: str = "") -> Uploader:
    from tests.api.helpers import make_user

    make_user(app, name, password, groups=groups)
    client = app.test_client()
    resp = WikiClient(client).login(name, password, create=False)
    assert resp.status_code == 303, resp.get_data(as_text=True)[-1500:]
    return Uploader(client)


@pytest.fixture(scope="module")
def sysop(files_app) -> Uploader:
    return login(files_app, "FileAdmin", "copper-meadow-77", groups="sysop")


def renderer_reports_images() -> bool:
    """Whether the renderer fills Rendered.images ([[File:]] and <gallery>): the image renderer is
    a separate piece of work (issue 18); until it is in, a page's uses of files cannot be seen."""
    from wiki.markup import SiteSettings, render
    from wiki.markup.context import RenderContext
    from wiki.titles import Namespaces, Title, try_parse

    names = Namespaces.for_site("Project")
    site = SiteSettings(
        parse_title=lambda text, default_namespace=0: try_parse(
            text, names, default_namespace=default_namespace
        ),
        namespace_names=dict(names.names),
    )
    return bool(render("[[File:X.png]]", RenderContext(title=Title(0, "T"), site=site)).images)


needs_image_renderer = pytest.mark.skipif(
    not renderer_reports_images(), reason="the renderer does not fill Rendered.images yet (media branch)"
)
