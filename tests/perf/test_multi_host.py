"""Two app servers (separate instance folders, different ports) on one PostgreSQL, as behind a load
balancer: an edit through A is at once visible through B as page, history, red/blue link and search
result. Needs WIKI_TEST_DATABASE_URL (PostgreSQL); uses the PostgreSQL search backend."""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.conftest import PG_URL, LiveServer
from tests.helpers import form_fields

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="several hosts share one PostgreSQL: set WIKI_TEST_DATABASE_URL to run this"
)
RED = r'<a [^>]*class="new"[^>]*>Second topic</a>'


def edit(base: str, title: str, text: str) -> None:
    session = requests.Session()
    form = session.get(f"{base}/w/index.php", params={"title": title, "action": "edit"}, timeout=10)
    fields = {**form_fields(form.text), "wpTextbox1": text, "wpSummary": "from host A", "wpSave": "1"}
    saved = session.post(
        f"{base}/w/index.php",
        params={"title": title, "action": "submit"},
        data=fields,
        timeout=10,
        allow_redirects=False,
    )
    assert saved.status_code == 303, saved.text[:500]


def found(base: str, words: str) -> bool:
    html = requests.get(f"{base}/w/index.php", params={"search": words, "fulltext": "1"}, timeout=10).text
    return "mw-search-result-heading" in html


@pytest.fixture
def hosts(database_url, tmp_path):
    env = {"WIKI_SEARCH_BACKEND": "postgres", "WIKI_SECRET_KEY": "shared-by-every-host"}
    servers = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            servers.append(LiveServer(database_url, folder, env=env).start())
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_an_edit_through_one_host_is_visible_through_the_other(hosts):
    a, b = hosts
    requests.get(f"{b.url}/wiki/Shared_page", timeout=10)  # B has looked before: nothing stale may stay
    edit(a.url, "Shared page", "About quokkazebra habits. See [[Second topic]].")
    view = requests.get(f"{b.url}/wiki/Shared_page", timeout=10)
    assert view.status_code == 200 and "quokkazebra" in view.text
    assert re.search(RED, view.text)
    history = requests.get(
        f"{b.url}/w/index.php", params={"title": "Shared page", "action": "history"}, timeout=10
    )
    assert "from host A" in history.text

    edit(a.url, "Second topic", "Now it exists.")
    view = requests.get(f"{b.url}/wiki/Shared_page", timeout=10)
    assert ">Second topic</a>" in view.text and not re.search(RED, view.text)

    deadline = time.time() + 10  # the outbox is applied right after the commit, off the request path
    while not found(b.url, "quokkazebra") and time.time() < deadline:
        time.sleep(0.1)
    assert found(b.url, "quokkazebra")
    suggestions = requests.get(
        f"{b.url}/w/api.php",
        params={"action": "opensearch", "search": "Shared pa", "format": "json"},
        timeout=10,
    ).json()
    assert "Shared page" in suggestions[1]
