"""Issue 16, "Client addresses and limits", item 2: rate limits as MediaWiki's $wgRateLimits, kept in
the database, bypassed by `noratelimit`; the account creation throttle per address. Answers: HTTP 429
with Retry-After and a clear page in the browser, `ratelimited` (HTTP 200, Retry-After) in the API."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.api.helpers import ApiClient
from tests.conftest import close_app, make_app
from tests.helpers import form_fields

from .conftest import PASSWORD, anonymous, logged_in, make_account
from .protecting import move_form

MESSAGE = "You've exceeded your rate limit. Please wait some time and try again."


@pytest.fixture
def app(database_url, instance_dir):
    """An app with the default limits (a test may set WIKI_RATE_LIMITS in its config), where accounts
    are newbies until 4 days old with 10 edits (as on Wikipedia; MediaWiki's defaults are 0 and 0)."""
    app = make_app(
        database_url, instance_dir, WIKI_RATE_LIMITS="", WIKI_AUTOCONFIRM_DAYS=4, WIKI_AUTOCONFIRM_EDITS=10
    )
    yield app
    close_app(app)


def api(app, ip: str) -> ApiClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return ApiClient(client)


def api_edit(client: ApiClient, title: str, text: str):
    """The raw response of an action=edit (to read its headers)."""
    data = {"action": "edit", "title": title, "text": text, "token": client.token(), "format": "json"}
    return client.client.post("/w/api.php", data=data)


def revisions(app, title: str) -> int:
    """How many revisions the page `title` has (0 when it does not exist)."""
    with app.app_context():
        from wiki import pages, site
        from wiki.extensions import db
        from wiki.models import Revision

        page = pages.get(site.parse_title(title))
        return 0 if page is None else db.session.query(Revision).filter_by(page_id=page.id).count()


def refusals(app, action: str) -> float:
    from wiki import metrics

    return metrics.REFUSALS.labels(action=action)._value.get()


def test_anonymous_editing_is_limited_per_address_and_a_refused_edit_saves_nothing(app):
    visitor = anonymous(app, "192.0.2.10")
    for i in range(8):  # edit: ip 8 per 60 s
        assert visitor.edit("Sandbox", f"edit {i}").status_code == 303
    before = refusals(app, "edit")
    resp = visitor.edit("Sandbox", "one too many")
    assert resp.status_code == 429
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    html = resp.get_data(as_text=True)
    assert "Action throttled" in html and "too many times in a short space of time" in html
    assert refusals(app, "edit") == before + 1
    assert revisions(app, "Sandbox") == 8
    raw = visitor.client.get("/w/index.php?title=Sandbox&action=raw").get_data(as_text=True)
    assert raw == "edit 7"
    other = anonymous(app, "198.51.100.20")
    assert other.edit("Sandbox", "another address").status_code == 303


def test_an_ipv6_64_shares_one_limit_in_the_api(app):
    for i in range(8):
        assert api(app, f"2001:db8:1:2::{i + 1:x}").edit(f"V6 {i}", "text")["edit"]["result"] == "Success"
    resp = api_edit(api(app, "2001:db8:1:2:ffff:ffff:ffff:ffff"), "V6 new", "text")
    assert resp.status_code == 200  # as MediaWiki: the error is in the body
    assert resp.get_json()["error"]["code"] == "ratelimited"
    assert resp.get_json()["error"]["info"] == MESSAGE
    assert resp.headers["MediaWiki-API-Error"] == "ratelimited"
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    assert revisions(app, "V6 new") == 0
    assert api(app, "2001:db8:1:3::1").edit("V6 new", "text")["edit"]["result"] == "Success"


def test_a_new_account_is_limited_but_a_sysop_is_not(app):
    make_account(app, "Newcomer")
    make_account(app, "Admin", "sysop")
    newcomer = logged_in(app, "Newcomer", ip="192.0.2.30")
    admin = logged_in(app, "Admin", ip="192.0.2.31")
    for i in range(8):  # newbie: 8 per 60 s
        assert newcomer.edit("Newcomer page", f"edit {i}").status_code == 303
    assert newcomer.edit("Newcomer page", "more").status_code == 429
    for i in range(20):
        assert admin.edit("Admin page", f"edit {i}").status_code == 303
    assert revisions(app, "Admin page") == 20


def test_an_autoconfirmed_account_has_the_higher_user_limit(app):
    make_account(app, "Veteran")
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import User, utcnow

        user = db.session.query(User).filter_by(name="Veteran").one()
        user.created = utcnow() - timedelta(days=5)
        db.session.commit()
    app.config["WIKI_AUTOCONFIRM_EDITS"] = 3
    veteran = logged_in(app, "Veteran", ip="192.0.2.40")
    for i in range(12):  # the first 3 as a newbie; then autoconfirmed: user 90 per 60 s, no ip limit
        assert veteran.edit("Veteran page", f"edit {i}").status_code == 303, i


def test_moves_by_a_new_account_are_limited(app):
    app.config["WIKI_RATE_LIMITS"] = {"move": {"newbie": [2, 120]}}
    make_account(app, "Mover")
    mover = api(app, "192.0.2.50")
    assert mover.login("Mover", PASSWORD)["result"] == "Success"
    for i in range(3):
        assert mover.edit(f"Move me {i}", "text")["edit"]["result"] == "Success"
    token = mover.token()
    for i in range(2):
        moved = mover.post(action="move", **{"from": f"Move me {i}", "to": f"Moved {i}"}, token=token)
        assert moved["move"]["to"] == f"Moved {i}"
    refused = mover.post(action="move", **{"from": "Move me 2", "to": "Moved 2"}, token=token)
    assert refused["error"]["code"] == "ratelimited"
    assert revisions(app, "Moved 2") == 0 and revisions(app, "Move me 2") == 1


def test_special_movepage_answers_429(app):
    app.config["WIKI_RATE_LIMITS"] = {"move": {"newbie": [1, 120]}}
    make_account(app, "Mover")
    mover = logged_in(app, "Mover", ip="192.0.2.51")
    for i in range(2):
        assert mover.edit(f"Page {i}", "text").status_code == 303

    assert move_form(mover, "Page 0", "Renamed 0").status_code == 200
    resp = move_form(mover, "Page 1", "Renamed 1")
    assert resp.status_code == 429 and 118 <= int(resp.headers["Retry-After"]) <= 120
    assert revisions(app, "Renamed 1") == 0


def test_purge_is_limited(app):
    app.config["WIKI_RATE_LIMITS"] = {"purge": {"ip": [2, 60]}}
    visitor = api(app, "192.0.2.60")
    for _ in range(2):
        assert visitor.post(action="purge", titles="Main Page")["purge"]
    assert visitor.post(action="purge", titles="Main Page")["error"]["code"] == "ratelimited"


def _create(wc, name: str):
    html = wc.client.get("/wiki/Special:CreateAccount").get_data(as_text=True)
    data = {"wpName": name, "wpPassword": PASSWORD, "wpRetype": PASSWORD, **form_fields(html)}
    return wc.client.post("/w/index.php?title=Special:CreateAccount", data=data)


def test_account_creation_from_one_address_stops_after_the_throttle(app):
    for i in range(6):  # $wgAccountCreationThrottle: 6 per day (each sign-up logs its client in)
        assert _create(anonymous(app, "203.0.113.70"), f"Signup {i}").status_code == 303, i
    signer = anonymous(app, "203.0.113.70")
    resp = _create(signer, "Signup 6")
    assert resp.status_code == 429
    assert 86390 <= int(resp.headers["Retry-After"]) <= 86400
    assert "have created 6 accounts in the last 1 day" in resp.get_data(as_text=True)
    bot = api(app, "203.0.113.70")
    token = bot.token("createaccount")
    raw = bot.client.post(
        "/w/api.php",
        data={
            "action": "createaccount",
            "username": "Signup 7",
            "password": PASSWORD,
            "retype": PASSWORD,
            "createreturnurl": "http://localhost/",
            "createtoken": token,
            "format": "json",
        },
    )
    answer = raw.get_json()["createaccount"]
    assert answer["status"] == "FAIL" and answer["messagecode"] == "acct_creation_throttle_hit"
    assert int(raw.headers["Retry-After"]) > 86000
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import User

        assert {u.name for u in db.session.query(User)} == {f"Signup {i}" for i in range(6)}
    assert _create(anonymous(app, "198.51.100.70"), "Elsewhere").status_code == 303


def test_retry_after_is_the_time_left_in_the_window_and_a_new_window_starts_after(app):
    app.config["WIKI_RATE_LIMITS"] = {"edit": {"ip": [1, 120], "subnet": None}}
    visitor = anonymous(app, "192.0.2.80")
    assert visitor.edit("Window", "first").status_code == 303
    resp = visitor.edit("Window", "second")
    assert resp.status_code == 429 and 118 <= int(resp.headers["Retry-After"]) <= 120
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import RateLimit, utcnow

        row = db.session.get(RateLimit, "edit:ip:192.0.2.80")
        row.expires = utcnow() + timedelta(seconds=30)  # as if 90 s had passed
        db.session.commit()
    resp = visitor.edit("Window", "third")
    assert resp.status_code == 429 and 28 <= int(resp.headers["Retry-After"]) <= 30
    with app.app_context():
        row = db.session.get(RateLimit, "edit:ip:192.0.2.80")
        row.expires = utcnow() - timedelta(seconds=1)  # the window has ended
        db.session.commit()
    assert visitor.edit("Window", "fourth").status_code == 303


# A race with 20 threads; the limits one request after another are checked above: `make stress`.
@pytest.mark.stress
def test_parallel_edits_at_the_limit_admit_exactly_the_limit(app):
    make_account(app, "Admin", "sysop")
    admin = logged_in(app, "Admin")
    n = 20
    for i in range(n):
        assert admin.edit(f"Race {i}", "start").status_code == 303
    start = threading.Barrier(n)

    def attempt(i: int) -> str:
        client = api(app, "192.0.2.90")
        token = client.token()
        start.wait(timeout=60)
        answer = client.post(action="edit", title=f"Race {i}", appendtext=" more", token=token)
        return answer["edit"]["result"] if "edit" in answer else answer["error"]["code"]

    with ThreadPoolExecutor(n) as pool:
        outcomes = list(pool.map(attempt, range(n)))
    assert sorted(outcomes).count("Success") == 8, outcomes
    assert outcomes.count("ratelimited") == n - 8, outcomes
    assert sum(revisions(app, f"Race {i}") for i in range(n)) == n + 8


def test_the_setting_is_checked():
    from wiki.access import ratelimit

    merged = ratelimit.merge('{"edit": {"ip": [3, 10], "user": null}, "purge": null}')
    assert merged["edit"]["ip"] == (3, 10) and "user" not in merged["edit"] and "purge" not in merged
    assert merged["move"] == ratelimit.DEFAULTS["move"]
    assert ratelimit.merge("off") == {}
    for bad in ("{", '{"edit": [1, 2]}', '{"edit": {"robot": [1, 2]}}', '{"edit": {"ip": [1]}}'):
        with pytest.raises(ValueError, match="WIKI_RATE_LIMITS"):
            ratelimit.merge(bad)


def test_excluded_addresses_are_never_limited(app):
    """WIKI_RATE_LIMITS_EXCLUDED_IPS ($wgRateLimitsExcludedIPs): a test host or a trusted tool makes
    as many accounts and edits as it needs; every other address keeps its limits."""
    app.config["WIKI_RATE_LIMITS_EXCLUDED_IPS"] = "203.0.113.0/28"
    for i in range(7):
        assert _create(anonymous(app, "203.0.113.9"), f"Lab user {i}").status_code == 303, i
    tool = api(app, "203.0.113.9")
    for i in range(10):
        assert "edit" in api_edit(tool, f"Lab page {i}", "text").get_json(), i
    for i in range(6):
        assert _create(anonymous(app, "203.0.113.99"), f"Other user {i}").status_code == 303, i
    assert _create(anonymous(app, "203.0.113.99"), "Other user 6").status_code == 429


def test_the_servers_own_address_is_trusted_by_default_unless_a_proxy_forwarded_it(
    database_url, instance_dir
):
    """The default WIKI_RATE_LIMITS_EXCLUDED_IPS and WIKI_CAPTCHA_SKIP_IPS are this machine: no rate
    limit, no account creation throttle, no CAPTCHA (what MediaWiki's API test suite needs of `make
    run`). A request an untrusted proxy forwarded, and any other address, still meets all of them."""
    from wiki.config import DEFAULTS

    defaults = {f"WIKI_{k}": DEFAULTS[k] for k in ("RATE_LIMITS_EXCLUDED_IPS", "CAPTCHA_SKIP_IPS")}
    app = make_app(database_url, instance_dir, WIKI_RATE_LIMITS="", **defaults)
    try:

        def signup(client: ApiClient, name: str, **headers) -> dict:
            data = {
                "action": "createaccount",
                "username": name,
                "password": PASSWORD,
                "retype": PASSWORD,
                "createreturnurl": "http://localhost/",
                "createtoken": client.token("createaccount"),
                "format": "json",
            }
            return client.client.post("/w/api.php", data=data, headers=headers).get_json()["createaccount"]

        for i in range(8):  # over the 6 a day of one address
            assert signup(api(app, "127.0.0.1"), f"Local {i}")["status"] == "PASS", i
        local = api(app, "127.0.0.1")
        for i in range(10):  # over the 8 anonymous edits a minute, with a link (no CAPTCHA)
            assert (
                local.edit("Local page", f"[http://example.org/{i} link]")["edit"]["result"] == "Success"
            ), i
        forwarded = signup(api(app, "127.0.0.1"), "Forwarded", **{"X-Forwarded-For": "203.0.113.9"})
        assert forwarded["status"] == "UI" and "captcha" in str(forwarded["requests"])
        assert signup(api(app, "198.51.100.80"), "Remote")["status"] == "UI"
        remote = api(app, "198.51.100.81")
        out = remote.edit("Remote page", "[http://example.org/x link]")["edit"]
        assert out["result"] == "Failure" and out["captcha"]["type"] == "question"
    finally:
        close_app(app)
