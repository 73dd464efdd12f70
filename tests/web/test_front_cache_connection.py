"""The front cache's own database connection: when the database drops it (a restart, a terminated
session), the next page view opens another instead of answering 500."""

from __future__ import annotations

from tests.api.helpers import ApiClient


def test_a_dropped_connection_is_reopened_within_the_request(app, client):
    from wiki.web import frontcache

    api = ApiClient(client)
    api.edit("Kept one", "First [[Kept two]].")
    api.edit("Kept two", "Second [[Kept one]].")
    assert client.get("/wiki/Kept_one").status_code == 200
    conns = getattr(frontcache._local, "conns", {})
    assert conns, "the view should have used the front cache's connection"
    for conn in conns.values():
        conn.close()  # what a database restart does to it
    view = client.get("/wiki/Kept_two")
    assert view.status_code == 200, view.get_data(as_text=True)[:300]
    assert "Second" in view.get_data(as_text=True)
