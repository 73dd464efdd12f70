"""Issue 15 item 3: a session ends at logout, for every copy of its cookies.

Sessions are rows in the database; the cookies carry a random token. The attack: copy the
`session` (or `remember_token`) cookie of a logged-in user, let them log out, and use the copy
from another address. It must be anonymous."""

from __future__ import annotations

from tests.api.helpers import ApiClient
from tests.helpers import WikiClient, form_fields

from .conftest import PASSWORD, anonymous, logged_in, make_account, token


def _name_shown(wc: WikiClient) -> str | None:
    """The account the wiki says this client is, through the API (None: anonymous)."""
    info = ApiClient(wc.client).get(action="query", meta="userinfo")["query"]["userinfo"]
    return None if "anon" in info else info["name"]


def _copy(wc: WikiClient, ip: str, *names: str) -> WikiClient:
    """Another browser at another address holding copies of `names` cookies of `wc`."""
    thief = anonymous(wc.client.application, ip)
    for name in names:
        cookie = wc.client.get_cookie(name)
        assert cookie is not None, f"no {name} cookie"
        thief.client.set_cookie(name, cookie.value)
    return thief


def _web_logout(wc: WikiClient) -> None:
    fields = form_fields(wc.client.get("/wiki/Special:UserLogout").get_data(as_text=True))
    assert wc.client.post("/w/index.php?title=Special:UserLogout", data=fields).status_code == 303


def test_copied_session_cookie_stops_working_after_web_logout(app):
    make_account(app, "Leaver")
    victim = logged_in(app, "Leaver")
    thief = _copy(victim, "198.51.100.7", "session")
    assert _name_shown(thief) == "Leaver"  # the copy works while the session lasts
    _web_logout(victim)
    assert _name_shown(victim) is None
    assert _name_shown(thief) is None


def test_copied_session_cookie_stops_working_after_api_logout(app):
    make_account(app, "Bot")
    victim = anonymous(app, "127.0.0.9")
    api = ApiClient(victim.client)
    assert api.login("Bot", PASSWORD)["result"] == "Success"
    thief = _copy(victim, "198.51.100.8", "session")
    assert _name_shown(thief) == "Bot"
    assert api.post(action="logout", token=api.token()) == {}
    assert _name_shown(thief) is None
    assert _name_shown(victim) is None


def test_copied_remember_cookie_stops_working_after_logout(app):
    make_account(app, "Keeper")
    victim = anonymous(app, "127.0.0.10")
    data = {"wpName": "Keeper", "wpPassword": PASSWORD, "wpRemember": "1", "wpEditToken": token(victim)}
    assert victim.client.post("/w/index.php?title=Special:UserLogin", data=data).status_code == 303
    thief = _copy(victim, "198.51.100.9", "remember_token")  # no session cookie: remember-me alone
    assert _name_shown(thief) == "Keeper"
    _web_logout(victim)
    fresh = (
        _copy(victim, "198.51.100.10", "remember_token")
        if victim.client.get_cookie("remember_token")
        else None
    )
    assert _name_shown(thief) is None
    assert fresh is None or _name_shown(fresh) is None


def test_logging_in_again_rotates_the_session(app):
    make_account(app, "Rotator")
    wc = logged_in(app, "Rotator")
    before = _copy(wc, "198.51.100.11", "session")
    assert wc.login("Rotator", PASSWORD, create=False).status_code == 303
    assert _name_shown(wc) == "Rotator"
    assert _name_shown(before) is None  # the cookie of the earlier login no longer opens a session


def test_edit_token_fetched_before_login_stays_valid_after_it(app):
    """pywikibot and mwclient fetch the csrf token, log in and keep using it."""
    make_account(app, "Early")
    wc = anonymous(app, "127.0.0.11")
    api = ApiClient(wc.client)
    early = api.token()
    assert api.login("Early", PASSWORD)["result"] == "Success"
    assert api.token() == early
    saved = api.post(action="edit", title="Token test", text="text", token=early)
    assert saved["edit"]["result"] == "Success"


def test_log_out_all_sessions_from_preferences_ends_every_session(app):
    make_account(app, "Everywhere")
    laptop = logged_in(app, "Everywhere", ip="127.0.0.12")
    phone = logged_in(app, "Everywhere", ip="127.0.0.13")
    copied = _copy(phone, "198.51.100.12", "session")
    fields = form_fields(laptop.client.get("/wiki/Special:Preferences").get_data(as_text=True))
    assert "Log out all sessions" in laptop.client.get("/wiki/Special:Preferences").get_data(as_text=True)
    resp = laptop.client.post("/w/index.php?title=Special:Preferences", data={**fields, "wpEndSessions": "1"})
    assert resp.status_code == 303
    assert [_name_shown(wc) for wc in (laptop, phone, copied)] == [None, None, None]
    assert logged_in(app, "Everywhere", ip="127.0.0.14")  # logging in again works


def test_log_out_all_sessions_needs_the_edit_token(app):
    make_account(app, "Careful")
    wc = logged_in(app, "Careful")
    resp = wc.client.post("/w/index.php?title=Special:Preferences", data={"wpEndSessions": "1"})
    assert resp.status_code == 400
    assert _name_shown(wc) == "Careful"


def test_sessions_live_in_the_database(app):
    """Several hosts share one database and nothing else: a session row is what makes a cookie valid."""
    from wiki.extensions import db
    from wiki.models import UserSession

    make_account(app, "Shared")
    wc = logged_in(app, "Shared")
    with app.app_context():
        rows = db.session.scalars(db.select(UserSession)).all()
        assert len(rows) == 1 and rows[0].ip == "127.0.0.1"
        assert wc.client.get_cookie("session").value not in rows[0].id  # only a hash is stored
        db.session.execute(db.delete(UserSession))
        db.session.commit()
    assert _name_shown(wc) is None
