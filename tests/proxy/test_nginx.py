"""Behind Debian's nginx (deploy/nginx.conf) with WIKI_TRUSTED_PROXIES=1, the wiki sees each
client's own address: one client's failed logins lock out that client, not everyone behind the
proxy, and anonymous edits are credited to the client, not to nginx. Straight to gunicorn without
the setting, a forged X-Forwarded-For changes nothing. Clients are told apart by connecting from
different loopback addresses."""

from __future__ import annotations

import requests

from tests.helpers import author_query
from tests.proxy.conftest import anonymous_edit as _anonymous_edit
from tests.proxy.conftest import client_at
from tests.proxy.conftest import login as _login
from tests.security.conftest import PASSWORD, make_account

ATTACKER, BYSTANDER = "127.0.0.2", "127.0.0.3"


def _author(base: str, title: str) -> str:
    data = requests.get(f"{base}/w/api.php", params=author_query(title), timeout=10).json()
    return data["query"]["pages"][0]["revisions"][0]["user"]


def test_failed_logins_lock_out_only_the_client_that_made_them(app, proxied):
    _server, nginx = proxied
    make_account(app, "Bystander")
    attacker, bystander = client_at(ATTACKER), client_at(BYSTANDER)
    # Password spraying from one address, past any per-address allowance.
    answers = [_login(attacker, nginx.url, f"Guess {n}", "wrong password").status_code for n in range(31)]
    assert 303 not in answers
    assert answers[-1] == 429  # the attacker's address is throttled ...
    assert _login(attacker, nginx.url, "Bystander", PASSWORD).status_code == 429
    # ... and a client at another address behind the same nginx is not.
    resp = _login(bystander, nginx.url, "Bystander", PASSWORD)
    assert resp.status_code == 303, resp.text[:500]


def test_anonymous_edits_through_nginx_are_credited_to_the_client(proxied):
    _server, nginx = proxied
    _anonymous_edit(client_at(ATTACKER), nginx.url, "Proxied edit", "From the first client.")
    assert _author(nginx.url, "Proxied edit") == ATTACKER
    # A client's own X-Forwarded-For is kept by nginx but not believed: the last hop is nginx's.
    _anonymous_edit(
        client_at(BYSTANDER),
        nginx.url,
        "Proxied edit",
        "From the second client.",
        **{"X-Forwarded-For": "203.0.113.66"},
    )
    assert _author(nginx.url, "Proxied edit") == BYSTANDER


def test_forged_forwarded_for_is_ignored_without_trusted_proxies(direct):
    forged = {"X-Forwarded-For": "203.0.113.77"}
    _anonymous_edit(requests.Session(), direct.url, "Direct edit", "Straight to gunicorn.", **forged)
    assert _author(direct.url, "Direct edit") == "127.0.0.1"
    # Nor does a fresh forged address per attempt escape the login throttle.
    codes = [
        _login(
            requests.Session(), direct.url, "Anyone", "wrong", **{"X-Forwarded-For": f"203.0.113.{n}"}
        ).status_code
        for n in range(6)
    ]
    assert codes[-1] == 429, codes
