"""Issue 15 items 5 and 11: the login throttle cannot lock an owner out, counts atomically, covers
the old-password check of Preferences; and a login costs one password hash whether or not the
name exists (its timing does not tell which names exist)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.helpers import ApiClient
from tests.helpers import form_fields

from .conftest import PASSWORD, anonymous, logged_in, make_account, token


@pytest.fixture
def app(app):
    """The login throttle on its own: the spam defence's CAPTCHA (after 3 failed logins) would
    answer first; tests/security/test_spam.py covers that."""
    app.config["WIKI_SPAM_DEFENCE"] = False
    return app


def _try_login(wc, name: str, password: str):
    data = {"wpName": name, "wpPassword": password, "wpEditToken": token(wc)}
    return wc.client.post("/w/index.php?title=Special:UserLogin", data=data)


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """Every password hash checked in-process (the slow step an attacker makes us spend)."""
    from wiki.access import passwords

    seen: list[str] = []
    lock = threading.Lock()
    real = passwords.check_password_hash

    def counting(stored: str, password: str) -> bool:
        with lock:
            seen.append(password)
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return seen


def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out(app):
    make_account(app, "Admin2")
    attacker = anonymous(app, "203.0.113.66")
    for _ in range(6):
        _try_login(attacker, "Admin2", "guess guess")
    assert _try_login(attacker, "Admin2", PASSWORD).status_code == 429  # the attacker is throttled
    owner = anonymous(app, "198.51.100.1")
    assert _try_login(owner, "Admin2", PASSWORD).status_code == 303  # the owner is not


def test_a_much_higher_per_name_ceiling_stops_a_guess_spread_over_many_addresses(app):
    from wiki.access import throttle

    make_account(app, "Popular")
    for i in range(throttle.NAME.count):
        resp = _try_login(anonymous(app, f"10.1.{i // 200}.{i % 200 + 1}"), "Popular", "guess guess")
        assert resp.status_code == 200
    resp = _try_login(anonymous(app, "10.9.9.9"), "Popular", PASSWORD)
    assert resp.status_code == 429 and "for this account" in resp.get_data(as_text=True)


def test_concurrent_attempts_check_at_most_five_passwords(app, hashes):
    make_account(app, "Raced")
    attempts = 24
    start = threading.Barrier(attempts)

    def attempt(i: int) -> int:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.24"
        api = ApiClient(client)
        login_token = api.token("login")
        start.wait(timeout=60)
        return api.post(action="login", lgname="Raced", lgpassword=f"guess {i}", lgtoken=login_token)["login"]

    with ThreadPoolExecutor(attempts) as pool:
        results = list(pool.map(attempt, range(attempts)))
    outcomes = sorted(r["result"] for r in results)
    assert outcomes.count("Failed") <= 5 and outcomes.count("Throttled") >= attempts - 5, outcomes
    assert len(hashes) <= 5, len(hashes)


def test_old_password_check_in_preferences_is_throttled(app):
    make_account(app, "Prefs")
    wc = logged_in(app, "Prefs", ip="203.0.113.7")
    fields = form_fields(wc.client.get("/wiki/Special:Preferences").get_data(as_text=True))
    data = {**fields, "wpNewPassword": "a brand new one", "wpRetype": "a brand new one"}
    for i in range(5):
        resp = wc.client.post(
            "/w/index.php?title=Special:Preferences", data={**data, "wpPassword": f"guess {i}"}
        )
        assert "incorrect" in resp.get_data(as_text=True)
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data={**data, "wpPassword": PASSWORD})
    assert "too many recent login attempts" in resp.get_data(as_text=True)
    assert _try_login(anonymous(app, "198.51.100.2"), "Prefs", PASSWORD).status_code == 303  # unchanged


def test_unknown_name_costs_a_password_hash_as_an_existing_one(app, hashes):
    make_account(app, "Existing")
    wc = anonymous(app, "198.51.100.3")
    assert _try_login(wc, "Existing", "wrong password").status_code == 200
    assert len(hashes) == 1
    assert _try_login(wc, "Nobody by this name", "wrong password").status_code == 200
    assert len(hashes) == 2  # the unknown name was hashed too (against a dummy hash)
    assert ApiClient(wc.client).login("Nobody either", "wrong password")["result"] == "Failed"
    assert len(hashes) == 3
