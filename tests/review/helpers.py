"""Accounts for the review tests: a fresh account logged in through the API, as a browser client too."""

from __future__ import annotations

from tests.api.helpers import ApiClient, make_user

PASSWORD = "amber-lantern-93"


def login(app, name: str, groups: str = ""):
    """Make the account and log it in: (the test client with its session, an ApiClient on it)."""
    make_user(app, name, PASSWORD, groups=groups)
    client = app.test_client()
    api = ApiClient(client)
    assert api.login(name, PASSWORD)["result"] == "Success"
    return client, api


def api_client(app, name: str, groups: str = "") -> ApiClient:
    """Make the account and log it in; only its API client."""
    return login(app, name, groups)[1]
