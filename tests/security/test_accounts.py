"""Accounts: slow salted hashes, throttled logins, safe cookies, password change, logout by POST only."""

from __future__ import annotations

import pytest

from tests.helpers import WikiClient, form_fields

from .conftest import PASSWORD, anonymous, logged_in, make_account, token


@pytest.fixture
def app(app):
    """The login throttle on its own: the spam defence's CAPTCHA (after 3 failed logins) would
    answer first; tests/security/test_spam.py covers that."""
    app.config["WIKI_SPAM_DEFENCE"] = False
    return app


def _logged_in_as(wc: WikiClient, name: str) -> bool:
    """The personal tools link to the user's page only for a logged-in session."""
    return f'href="/wiki/User:{name}"' in wc.view("Main_Page").get_data(as_text=True)


def _try_login(wc: WikiClient, name: str, password: str):
    data = {"wpName": name, "wpPassword": password, "wpEditToken": token(wc)}
    return wc.client.post("/w/index.php?title=Special:UserLogin", data=data)


def test_passwords_are_stored_with_a_salted_slow_hash(app, anon):
    resp = anon.login("Newcomer", "s3cret-enough")
    assert resp.status_code == 303
    with app.app_context():
        from wiki.access import accounts

        stored = accounts.find_user("Newcomer").password_hash
    assert stored.startswith(("scrypt:", "pbkdf2:")) and "s3cret" not in stored


def test_sixth_login_in_five_minutes_is_refused_even_with_the_right_password(app):
    make_account(app, "Target")
    attacker = anonymous(app, "192.0.2.10")
    for _ in range(5):
        assert _try_login(attacker, "Target", "wrong password").status_code == 200
    resp = _try_login(attacker, "Target", PASSWORD)
    assert resp.status_code == 429
    assert "too many recent login attempts" in resp.get_data(as_text=True)


def test_wrong_password_answers_200_with_the_error_box_as_mediawiki(app):
    make_account(app, "Typo")
    resp = _try_login(anonymous(app, "192.0.2.12"), "Typo", "not the password")
    assert resp.status_code == 200
    assert 'class="errorbox"' in resp.get_data(as_text=True)
    assert "Incorrect username or password" in resp.get_data(as_text=True)


def test_login_throttle_per_ip_covers_many_accounts(app):
    from wiki.access import throttle

    sprayer = anonymous(app, "192.0.2.20")
    for i in range(throttle.ADDRESS.count):
        assert _try_login(sprayer, f"Person{i}", "guess").status_code == 200
    make_account(app, "Person")
    resp = _try_login(sprayer, "Person", PASSWORD)
    assert resp.status_code == 429 and "from your IP address" in resp.get_data(as_text=True)
    assert _try_login(anonymous(app, "192.0.2.21"), "Person", PASSWORD).status_code == 303


def test_old_failures_expire(app):
    from datetime import timedelta

    from wiki.extensions import db
    from wiki.models import LoginThrottle

    make_account(app, "Patient")
    wc = anonymous(app, "192.0.2.30")
    for _ in range(6):
        _try_login(wc, "Patient", "wrong")
    assert _try_login(wc, "Patient", PASSWORD).status_code == 429
    with app.app_context():
        for row in db.session.scalars(db.select(LoginThrottle)):
            row.started -= timedelta(minutes=6)
        db.session.commit()
    assert _try_login(wc, "Patient", PASSWORD).status_code == 303


def test_session_cookie_is_httponly_and_samesite_lax(app):
    make_account(app, "Cookie")
    wc = anonymous(app)
    resp = _try_login(wc, "Cookie", PASSWORD)
    cookies = [v for k, v in resp.headers.items() if k.lower() == "set-cookie"]
    session = [c for c in cookies if c.startswith("session=")]
    assert session and "HttpOnly" in session[0] and "SameSite=Lax" in session[0]
    assert "Secure" not in session[0]


def test_secure_cookies_setting_marks_them_secure(tmp_path, monkeypatch, database_url):
    from wiki import create_app

    monkeypatch.setenv("WIKI_SECURE_COOKIES", "true")
    app = create_app(
        {"TESTING": True, "WIKI_INSTANCE_DIR": str(tmp_path), "SQLALCHEMY_DATABASE_URI": database_url}
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    make_account(app, "Https")
    resp = _try_login(anonymous(app), "Https", PASSWORD)
    session = [v for k, v in resp.headers.items() if k.lower() == "set-cookie" and v.startswith("session=")]
    assert "Secure" in session[0]
    with app.app_context():
        from wiki.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_password_change_needs_the_old_password_and_then_works(app):
    make_account(app, "Changer")
    wc = logged_in(app, "Changer")
    other = logged_in(app, "Changer", ip="192.0.2.42")
    assert _logged_in_as(other, "Changer")
    fields = form_fields(wc.client.get("/wiki/Special:Preferences").get_data(as_text=True))
    data = {**fields, "wpPassword": "not it", "wpNewPassword": "brand new pass", "wpRetype": "brand new pass"}
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data=data)
    assert resp.status_code == 400 and "incorrect" in resp.get_data(as_text=True)
    data["wpPassword"] = PASSWORD
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data=data)
    assert resp.status_code == 200 and "has been changed" in resp.get_data(as_text=True)
    assert _logged_in_as(wc, "Changer")  # this session goes on
    assert not _logged_in_as(other, "Changer")  # the others end
    fresh = anonymous(app, "192.0.2.40")
    assert _try_login(fresh, "Changer", PASSWORD).status_code == 200  # refused: the error box
    assert _try_login(fresh, "Changer", "brand new pass").status_code == 303


def test_password_change_without_token_changes_nothing(app):
    make_account(app, "Keeper")
    wc = logged_in(app, "Keeper")
    data = {"wpPassword": PASSWORD, "wpNewPassword": "hijacked pass", "wpRetype": "hijacked pass"}
    assert wc.client.post("/w/index.php?title=Special:Preferences", data=data).status_code == 400
    assert _try_login(anonymous(app, "192.0.2.41"), "Keeper", PASSWORD).status_code == 303


def test_preferences_sends_anonymous_readers_to_log_in(anon):
    resp = anon.client.get("/wiki/Special:Preferences")
    assert resp.status_code == 303 and "Special:UserLogin" in resp.headers["Location"]


def test_logout_by_get_or_without_token_keeps_the_session(app):
    make_account(app, "Stayer")
    wc = logged_in(app, "Stayer")
    wc.client.get("/wiki/Special:UserLogout")
    wc.client.post("/w/index.php?title=Special:UserLogout", data={})
    assert _logged_in_as(wc, "Stayer")
    fields = form_fields(wc.client.get("/wiki/Special:UserLogout").get_data(as_text=True))
    assert wc.client.post("/w/index.php?title=Special:UserLogout", data=fields).status_code == 303
    assert not _logged_in_as(wc, "Stayer")


def test_successful_logins_do_not_use_up_the_address_or_name_allowance(app):
    """One address may log people in all day (a school, a proxy, an API test suite): only guesses
    count against the address's and the name's ceilings."""
    from wiki.access import throttle

    make_account(app, "Regular")
    office = anonymous(app, "192.0.2.40")
    for _ in range(throttle.ADDRESS.count + 3):
        assert _try_login(office, "Regular", PASSWORD).status_code == 303
    for i in range(throttle.ADDRESS.count):
        assert _try_login(office, f"Nobody{i}", "guess").status_code == 200
    assert _try_login(office, "Regular", PASSWORD).status_code == 429
