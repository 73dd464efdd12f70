"""The wiki names the address it is served on: with WIKI_SERVER unset, the full URLs in siteinfo, the
OpenSearch description and opensearch results come from WIKI_HOST and WIKI_PORT, as `make run` binds
them (`WIKI_PORT=8101 make run` used to advertise :8000)."""

from __future__ import annotations

import subprocess

import requests

from tests.conftest import ROOT, LiveServer
from tests.search.test_search_live import Editor, wait_for


def _make(*args: str) -> str:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_make_run_binds_and_hands_the_app_the_port_asked_for():
    command = _make("-n", "run", "WIKI_PORT=8101").splitlines()[-1]
    assert "-c python:wiki.gunicorn_conf" in command and "--bind 127.0.0.1:8101" in command
    # the recipe's environment carries the port, so the app's WIKI_SERVER default agrees with the bind
    shown = _make("WIKI_PORT=8101", "--eval", "shown-port: ; @echo $$WIKI_HOST:$$WIKI_PORT", "shown-port")
    assert shown.strip() == "127.0.0.1:8101"


def test_full_urls_name_the_served_port_when_wiki_server_is_unset(database_url, instance_dir):
    server = LiveServer(database_url, instance_dir, env={"WIKI_SERVER": ""})
    server.env.update(WIKI_HOST="127.0.0.1", WIKI_PORT=str(server.port))
    server.start()
    try:
        base = server.url  # http://127.0.0.1:<port>, the socket gunicorn serves
        siteinfo = requests.get(
            f"{base}/w/api.php", params={"action": "query", "meta": "siteinfo", "format": "json"}, timeout=10
        ).json()
        assert siteinfo["query"]["general"]["server"] == base

        description = requests.get(f"{base}/w/opensearch_desc.php", timeout=10).text
        assert f'template="{base}/w/' in description.replace("&amp;", "&")
        assert "127.0.0.1:8000" not in description

        assert Editor(base).save(base, "Xylophone", "A percussion instrument.") == 303

        def suggested() -> list[str]:
            params = {"action": "opensearch", "search": "Xylo", "format": "json"}
            return requests.get(f"{base}/w/api.php", params=params, timeout=10).json()[3]

        wait_for(lambda: suggested() != [], 10)
        assert suggested() == [f"{base}/wiki/Xylophone"]
    finally:
        server.stop()
