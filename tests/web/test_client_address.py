"""WIKI_TRUSTED_PROXIES through the app: X-Forwarded-For is believed only from trusted proxies
(a count, or a list of addresses and networks), and ignored by default. The address is what an
anonymous edit is credited to. (tests/proxy/ runs the same behind a real nginx.)"""

from __future__ import annotations

import pytest

from tests.conftest import close_app, make_app
from tests.helpers import WikiClient, author_query


def _author(client, title: str) -> str:
    data = client.get("/w/api.php", query_string=author_query(title)).get_json()
    return data["query"]["pages"][0]["revisions"][0]["user"]


@pytest.fixture
def app_with(database_url, instance_dir):
    apps = []

    def build(setting: str | None):
        config = {} if setting is None else {"WIKI_TRUSTED_PROXIES": setting}
        apps.append(make_app(database_url, instance_dir, **config))
        return apps[-1]

    yield build
    for app in apps:
        close_app(app)


def _edit_from(app, peer: str, forwarded: str | None, title: str) -> str:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    if forwarded is not None:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    assert WikiClient(client).edit(title, f"Edited from {peer}.").status_code == 303
    return _author(app.test_client(), title)


def test_forwarded_for_is_ignored_by_default(app_with, monkeypatch):
    monkeypatch.delenv("WIKI_TRUSTED_PROXIES", raising=False)
    app = app_with(None)
    assert _edit_from(app, "192.0.2.10", "198.51.100.7", "Default proxies") == "192.0.2.10"


def test_a_count_takes_the_address_the_outermost_proxy_saw(app_with):
    app = app_with("1")
    assert _edit_from(app, "127.0.0.1", "203.0.113.9, 198.51.100.7", "One proxy") == "198.51.100.7"
    app2 = app_with("2")
    assert _edit_from(app2, "127.0.0.1", "203.0.113.9, 198.51.100.7", "Two proxies") == "203.0.113.9"
    # Fewer hops than proxies: nothing to believe, the peer stays.
    assert _edit_from(app2, "127.0.0.1", "198.51.100.8", "Two proxies short") == "127.0.0.1"


def test_an_address_list_skips_trusted_hops_from_the_right(app_with):
    app = app_with("127.0.0.1, 10.0.0.0/8")
    chain = "203.0.113.50, 198.51.100.7, 10.1.2.3"
    assert _edit_from(app, "127.0.0.1", chain, "Listed proxies") == "198.51.100.7"
    # A peer that is not a trusted proxy cannot forge the header.
    assert _edit_from(app, "192.0.2.44", "198.51.100.9", "Untrusted peer") == "192.0.2.44"
    # Garbage in the header is not an address: the last address a trusted proxy vouched for stays.
    assert _edit_from(app, "127.0.0.1", "unknown, 10.9.9.9", "Garbage hop") == "10.9.9.9"


def test_a_bad_setting_fails_at_start_with_its_name(database_url, instance_dir):
    with pytest.raises(ValueError, match='WIKI_TRUSTED_PROXIES: "nginx"'):
        make_app(database_url, instance_dir, WIKI_TRUSTED_PROXIES="127.0.0.1, nginx")
