"""Helpers for the protection tests: the API as a logged-in browser's session, the protect form and
Special:MovePage submitted as a browser without JavaScript would."""

from __future__ import annotations

from tests.api.helpers import ApiClient
from tests.helpers import form_fields

from .conftest import token


def api(wc) -> ApiClient:
    """The API with `wc`'s session (same account, same cookies)."""
    return ApiClient(wc.client)


def info(client: ApiClient, title: str) -> dict:
    """prop=info with inprop=protection, and the latest text, of one title."""
    found = client.get(
        action="query", titles=title, prop="info|revisions", inprop="protection", rvprop="content"
    )
    return next(iter(found["query"]["pages"].values()))


def text(client: ApiClient, title: str) -> str | None:
    page = info(client, title)
    return None if "missing" in page else page["revisions"][0]["*"]


def protect_form(wc, title: str, **fields: str):
    """Post the protect form of `title` with `fields` over what the form holds (expiry: infinite)."""
    url = f"/w/index.php?title={title.replace(' ', '_')}&action=protect"
    page = wc.client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    data = {**form_fields(page.get_data(as_text=True)), "mwProtect-expiry": "infinite", **fields}
    return wc.client.post(url, data=data)


def move_form(wc, old: str, new: str):
    """Submit Special:MovePage, leaving a redirect."""
    data = {"wpOldTitle": old, "wpNewTitle": new, "wpLeaveRedirect": "1", "wpEditToken": token(wc)}
    return wc.client.post("/w/index.php?title=Special:MovePage", data=data)
