"""Issue 15 item 12: passwords follow MediaWiki's $wgPasswordPolicy (8 characters, 10 for sysops,
not a common password, not the user name or containing it, at most 4096 bytes); a sysop whose
password falls short is asked to change it at login."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient
from tests.helpers import form_fields

from .conftest import anonymous, token


def _sign_up(app, name: str, password: str, ip: str = "198.51.100.60"):
    return anonymous(app, ip).login(name, password, create=True)


@pytest.mark.parametrize(
    "password, why",
    [
        ("seven77", "at least 8 characters"),
        ("password123", "most commonly used"),
        ("Qwertyuiop", "most commonly used"),
        ("iloveyou1", "most commonly used"),
        ("Newcomer", "user name"),
        ("newcomer-2026", "user name"),
        ("x" * 4097, "4096 bytes"),
    ],
    ids=["short", "common", "common-any-case", "common-2", "the-name", "containing-the-name", "too-long"],
)
def test_weak_passwords_are_refused_at_sign_up(app, password, why):
    resp = _sign_up(app, "Newcomer", password)
    assert resp.status_code == 400 and why in resp.get_data(as_text=True)
    assert _sign_up(app, "Newcomer", "eight ok", ip="198.51.100.61").status_code == 303


def test_weak_password_refused_through_the_api(app):
    api = ApiClient(anonymous(app, "198.51.100.62").client)
    out = api.create_account(
        username="Botmaker",
        password="password1",
        retype="password1",
        createtoken=api.token(),
        createreturnurl="http://example.org/",
    )
    assert out["status"] == "FAIL" and out["messagecode"] == "passwordpolicy"


def test_new_password_in_preferences_follows_the_policy(app):
    wc = anonymous(app, "198.51.100.63")
    assert wc.login("Changer", "first password").status_code == 303
    fields = form_fields(wc.client.get("/wiki/Special:Preferences").get_data(as_text=True))
    data = {**fields, "wpPassword": "first password", "wpNewPassword": "abc123", "wpRetype": "abc123"}
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data=data)
    assert resp.status_code == 400 and "at least 8 characters" in resp.get_data(as_text=True)


def test_sysop_with_a_short_password_is_asked_to_change_it_at_login(app):
    from werkzeug.security import generate_password_hash

    from wiki.extensions import db
    from wiki.models import User

    with app.app_context():  # eight characters: enough for a user, too short for a sysop
        db.session.add(
            User(name="Oldadmin", password_hash=generate_password_hash("eight ok"), groups="sysop")
        )
        db.session.commit()
    wc = anonymous(app, "198.51.100.64")
    data = {"wpName": "Oldadmin", "wpPassword": "eight ok", "wpEditToken": token(wc), "returnto": "Sandbox"}
    resp = wc.client.post("/w/index.php?title=Special:UserLogin", data=data)
    assert resp.status_code == 303 and "Special:Preferences" in resp.headers["Location"]
    page = wc.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "does not meet this wiki's password policy" in page and "at least 10 characters" in page
    fields = form_fields(page)
    change = {**fields, "wpPassword": "eight ok", "wpNewPassword": "ten or more!", "wpRetype": "ten or more!"}
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data=change)
    assert resp.status_code == 200 and "has been changed" in resp.get_data(as_text=True)
    assert "password policy" not in resp.get_data(as_text=True)


def test_a_user_with_a_good_password_goes_straight_back(app):
    wc = anonymous(app, "198.51.100.65")
    assert wc.login("Gooduser", "a fine password").status_code == 303
    fresh = anonymous(app, "198.51.100.66")
    data = {"wpName": "Gooduser", "wpPassword": "a fine password", "wpEditToken": token(fresh)}
    resp = fresh.client.post("/w/index.php?title=Special:UserLogin", data=data)
    assert resp.status_code == 303 and "Special:Preferences" not in resp.headers["Location"]
