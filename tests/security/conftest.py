"""Fixtures for the security suite: accounts in each group, each with its own logged-in client."""

from __future__ import annotations

import pytest

from tests.helpers import WikiClient, form_fields

PASSWORD = "correct horse battery"


def make_account(app, name: str, groups: str = "") -> None:
    """An account with a fast hash, to keep the suite quick (real sign-ups use scrypt; tested apart)."""
    from werkzeug.security import generate_password_hash

    from wiki.access import names
    from wiki.extensions import db
    from wiki.models import User, UserSkeleton

    with app.app_context():
        cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        user = User(name=name, password_hash=cheap, groups=groups)
        db.session.add(user)
        db.session.flush()
        db.session.add(UserSkeleton(user_id=user.id, skeleton=names.skeleton(name)))
        db.session.commit()


def logged_in(app, name: str, ip: str = "127.0.0.1") -> WikiClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    wc = WikiClient(client)
    resp = wc.login(name, PASSWORD, create=False)
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    return wc


def anonymous(app, ip: str = "127.0.0.1") -> WikiClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return WikiClient(client)


def token(wc: WikiClient, path: str = "/wiki/Special:UserLogin") -> str:
    return form_fields(wc.client.get(path).get_data(as_text=True))["wpEditToken"]


@pytest.fixture
def sysop(app) -> WikiClient:
    make_account(app, "Admin", "sysop")
    return logged_in(app, "Admin")


@pytest.fixture
def member(app) -> WikiClient:
    make_account(app, "Member")
    return logged_in(app, "Member", ip="127.0.0.2")


@pytest.fixture
def anon(app) -> WikiClient:
    return anonymous(app, "127.0.0.3")


@pytest.fixture(autouse=True)
def _let_finished_apps_go():
    """Collect each test's app at its end, so its search-indexer thread stops polling the shared
    PostgreSQL database while the next test truncates it (that raced into deadlocks)."""
    yield
    import gc

    gc.collect()
