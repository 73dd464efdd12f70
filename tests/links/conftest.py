"""Fixtures for the link-graph suite: an editor account and an administrator, each logged in."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from tests.helpers import WikiClient, form_fields

PASSWORD = "correct horse battery"


def account(app, name: str, groups: str = "") -> WikiClient:
    with app.app_context():
        from werkzeug.security import generate_password_hash

        from wiki.extensions import db
        from wiki.models import User

        # A cheap hash keeps the suite fast; logging in checks it like any other.
        db.session.add(
            User(
                name=name, password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"), groups=groups
            )
        )
        db.session.commit()
    wc = WikiClient(app.test_client())
    assert wc.login(name, PASSWORD, create=False).status_code == 303
    return wc


@pytest.fixture
def editor(app) -> WikiClient:
    return account(app, "Editor")


@pytest.fixture
def admin(app) -> WikiClient:
    return account(app, "Admin", "sysop")


def html_of(resp) -> str:
    return resp.get_data(as_text=True)


def content(resp) -> str:
    """The article body (what the renderer made), without the skin around it."""
    html = html_of(resp)
    return html.split('id="mw-content-text"', 1)[-1].split('id="catlinks"', 1)[0]


def link_class(html: str, target: str) -> str | None:
    """The class of the first link whose text is `target` ('' when none, None when no such link)."""
    for attrs, text in re.findall(r"<a ([^>]*)>(.*?)</a>", html):
        if unescape(text) == target:
            match = re.search(r'class="([^"]*)"', attrs)
            return match.group(1) if match else ""
    return None


def move(wc: WikiClient, old: str, new: str, reason: str = "", leave_redirect: bool = True, **extra):
    page = wc.client.get(f"/wiki/Special:MovePage/{old}")
    data = {**form_fields(html_of(page)), "wpNewTitle": new, "wpReason": reason, "wpMove": "1", **extra}
    data.pop("title", None)
    if not leave_redirect:
        data.pop("wpLeaveRedirect", None)
    else:
        data["wpLeaveRedirect"] = "1"
    return wc.client.post("/w/index.php?title=Special:MovePage", data=data)


def delete(wc: WikiClient, title: str):
    page = wc.client.get(f"/w/index.php?title={title}&action=delete")
    data = {**form_fields(html_of(page)), "wpReason": "test"}
    data.pop("title", None)
    return wc.client.post(f"/w/index.php?title={title}&action=delete", data=data)


def search_hits(client, query: str) -> list[str]:
    resp = client.get(
        "/w/index.php", query_string={"title": "Special:Search", "search": query, "fulltext": "1"}
    )
    return re.findall(r'<div class="mw-search-result-heading"><a [^>]*title="([^"]+)"', html_of(resp))


def wait_for(predicate, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"not true within {timeout} s")
