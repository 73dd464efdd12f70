"""Issue 15 item 6: names that impersonate are refused when an account is made (web and API)."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient

from .conftest import anonymous, logged_in, make_account

STRONG = "a perfectly fine password"


def _sign_up(app, name: str, ip: str = "198.51.100.50"):
    return anonymous(app, ip).login(name, STRONG, create=True)


def _exists(app, name: str) -> bool:
    from wiki.extensions import db
    from wiki.models import User

    with app.app_context():
        return db.session.scalar(db.select(User).where(User.name == name)) is not None


@pytest.mark.parametrize(
    "name", ["127.0.0.1", "10.0.0.1", "2001:db8::1", "::1", "192.168.0.xxx", "010.000.000.001"]
)
def test_ip_shaped_names_are_refused(app, name):
    resp = _sign_up(app, name)
    assert resp.status_code == 400 and "looks like an IP address" in resp.get_data(as_text=True)
    assert not _exists(app, name)


@pytest.mark.parametrize(
    "name", ["Eve@example", "Eve:Admin", "Eve=Admin", "Eve>Admin", "Eve/Admin", "Eve|Admin"]
)
def test_names_with_mediawiki_invalid_characters_are_refused(app, name):
    resp = _sign_up(app, name)
    assert resp.status_code == 400
    assert not _exists(app, name)


@pytest.mark.parametrize(
    "hidden",
    [
        "\u200b",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u3164",
        "\u115f",
        "\u1160",
        "\uffa0",
        "\u202e",
        "\u200f",
        "\u2066",
    ],
)
def test_names_with_invisible_or_bidi_characters_are_refused(app, hidden):
    make_account(app, "Admin")
    resp = _sign_up(app, "Admin" + hidden)
    assert resp.status_code == 400
    assert "invisible" in resp.get_data(as_text=True) or "already in use" in resp.get_data(as_text=True)
    resp = _sign_up(app, "Ne" + hidden + "wbie")
    assert resp.status_code == 400 and "invisible" in resp.get_data(as_text=True)
    assert not _exists(app, "Ne" + hidden + "wbie")


@pytest.mark.parametrize(
    "look_alike",
    ["\u0410dmin", "Adm\u0456n", "\uff21\uff44\uff4d\uff49\uff4e", "ADMIN", "Adm1n", "AdmIn", "\u0391dmin"],
    ids=["cyrillic-A", "cyrillic-i", "full-width", "upper-case", "digit-one", "capital-I", "greek-alpha"],
)
def test_look_alikes_of_an_existing_name_are_refused(app, look_alike):
    make_account(app, "Admin")
    resp = _sign_up(app, look_alike)
    assert resp.status_code == 400 and "too similar" in resp.get_data(as_text=True)


def _api_sign_up(api: ApiClient, name: str) -> dict:
    return api.create_account(
        username=name,
        password=STRONG,
        retype=STRONG,
        createtoken=api.token(),
        createreturnurl="http://example.org/",
    )


def test_look_alike_and_ip_names_refused_through_the_api_too(app):
    make_account(app, "Admin")
    api = ApiClient(anonymous(app, "198.51.100.51").client)
    out = _api_sign_up(api, "\u0410dmin")
    assert out["status"] == "FAIL" and out["messagecode"] == "userexists"
    out = _api_sign_up(api, "10.0.0.1")
    assert out["status"] == "FAIL" and out["messagecode"] == "noname"


def test_an_ordinary_name_is_still_accepted(app):
    assert _sign_up(app, "Ordinary person").status_code == 303
    assert _sign_up(app, "Zoë Ångström", ip="198.51.100.52").status_code == 303


def test_names_made_before_the_rules_still_log_in(app):
    """The rules apply to new names: an account called 10.0.0.2 made by an older version keeps working."""
    make_account(app, "10.0.0.2")
    assert logged_in(app, "10.0.0.2")
