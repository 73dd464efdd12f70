"""Fixtures for the users-and-rights suite: one wiki per module, accounts made with a cheap hash and
logged in through the real forms, API clients."""

from __future__ import annotations

import itertools

import pytest

from tests.api.helpers import ApiClient
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

PASSWORD = "correct horse battery"
_ips = itertools.count(10)


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("rights")
    app = make_app(fresh_database_url(database_template, work), work)
    yield app
    close_app(app)


def make(app, name: str, groups: str = "") -> None:
    with app.app_context():
        from werkzeug.security import generate_password_hash

        from wiki.extensions import db
        from wiki.models import User

        if db.session.execute(db.select(User).where(User.name == name)).scalar_one_or_none() is None:
            hashed = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
            db.session.add(User(name=name, password_hash=hashed, groups=groups))
            db.session.commit()


def browser(app, name: str | None = None, groups: str = "") -> WikiClient:
    """A browser from its own address, logged in as `name` (made first) unless None."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{next(_ips) % 250}"
    wc = WikiClient(client)
    if name is not None:
        make(app, name, groups)
        assert wc.login(name, PASSWORD, create=False).status_code == 303
    return wc


def api(app, name: str | None = None, groups: str = "", formatversion: int = 2) -> ApiClient:
    """An API client logged in as `name` (made first) unless None."""
    return ApiClient(browser(app, name, groups).client, formatversion)
