"""action=block, unblock, undelete and compare, shaped as MediaWiki 1.39 answers them."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.api.helpers import make_user
from tests.review.helpers import PASSWORD, api_client
from tests.security.consistency import app_for


def test_block_and_unblock_an_address_through_the_api(app):
    admin = api_client(app, "Blockadmin", "sysop")
    done = admin.post(
        action="block", user="10.9.8.7", expiry="1 week", reason="test", nocreate=1, token=admin.token()
    )
    block = done["block"]
    assert block["user"] == "10.9.8.7" and block["userID"] == 0 and block["reason"] == "test"
    assert block["expiry"].endswith("Z") and "nocreate" in block
    again = admin.post(action="block", user="10.9.8.7", token=admin.token())
    assert again["error"]["code"] == "alreadyblocked"
    assert "block" in admin.post(action="block", user="10.9.8.7", reblock=1, reason="r2", token=admin.token())
    lifted = admin.post(action="unblock", user="10.9.8.7", reason="done", token=admin.token())
    assert lifted["unblock"]["user"] == "10.9.8.7" and lifted["unblock"]["reason"] == "done"
    assert (
        admin.post(action="unblock", user="10.9.8.7", token=admin.token())["error"]["code"] == "cantunblock"
    )
    log = admin.get(action="query", list="logevents", letype="block")["query"]["logevents"]
    assert [e["action"] for e in log][:3] == ["unblock", "block", "block"]


def test_block_refusals(app):
    admin, plain = api_client(app, "Blockadmin2", "sysop"), api_client(app, "Plainblocker")
    assert (
        admin.post(action="block", user="NoSuchUserXyz", token=admin.token())["error"]["code"] == "nosuchuser"
    )
    assert (
        admin.post(action="block", user="10.1.1.1", expiry="garbage", token=admin.token())["error"]["code"]
        == "invalidexpiry"
    )
    assert (
        plain.post(action="block", user="10.1.1.1", token=plain.token())["error"]["code"]
        == "permissiondenied"
    )
    assert admin.post(action="block", token=admin.token())["error"]["code"] == "missingparam"
    assert admin.post(action="unblock", id=99999, token=admin.token())["error"]["code"] == "cantunblock"


def test_undelete_restores_every_revision(app):
    admin = api_client(app, "Undeleter", "sysop")
    admin.edit("Undel page", "a")
    admin.edit("Undel page", "ab")
    assert "delete" in admin.post(action="delete", title="Undel page", token=admin.token())
    done = admin.post(action="undelete", title="Undel page", reason="back", token=admin.token())
    assert done["undelete"] == {"title": "Undel page", "revisions": 2, "fileversions": 0, "reason": "back"}
    assert (
        admin.post(action="undelete", title="Undel page", token=admin.token())["error"]["code"]
        == "cantundelete"
    )


def test_compare_revisions_and_relative(app):
    admin = api_client(app, "Comparer", "sysop")
    first = admin.edit("Compared", "a")["edit"]["newrevid"]
    second = admin.edit("Compared", "ab")["edit"]["newrevid"]
    out = admin.get(action="compare", fromtitle="Compared", torelative="prev")["compare"]
    assert (out["fromrevid"], out["torevid"], out["totitle"]) == (first, second, "Compared")
    assert 'class="diff-addedline"' in out["*"]
    out = admin.get(action="compare", fromrev=first, torev=second, formatversion=2)["compare"]
    assert "body" in out
    assert admin.get(action="compare", fromrev=10**8, torev=second)["error"]["code"] == "nosuchrevid"
    assert admin.get(action="compare", fromrev=first)["error"]["code"] == "missingparam"


# A race on a live server; test_block_refusals checks alreadyblocked one request at a time: `make stress`.
@pytest.mark.stress
def test_concurrent_blocks_of_one_target_make_one_block(live_server):
    """Of simultaneous blocks without reblock, one wins and the others answer alreadyblocked."""
    side = app_for(live_server.env)
    make_user(side, "Raceblocker", PASSWORD, groups="sysop")
    api = f"{live_server.url}/w/api.php"
    http = requests.Session()
    token = http.get(api, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"})
    login = {"lgname": "Raceblocker", "lgpassword": PASSWORD, "format": "json"}
    login["lgtoken"] = token.json()["query"]["tokens"]["logintoken"]
    assert http.post(api, data={"action": "login", **login}).json()["login"]["result"] == "Success"
    csrf = http.get(api, params={"action": "query", "meta": "tokens", "format": "json"})
    data = {"action": "block", "user": "2001:db8::7", "format": "json"}
    data["token"] = csrf.json()["query"]["tokens"]["csrftoken"]
    answers: list[dict] = []
    gate = threading.Barrier(4)

    def one() -> None:
        gate.wait()
        answers.append(http.post(api, data=data, timeout=60).json())

    threads = [threading.Thread(target=one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted("block" if "block" in a else a["error"]["code"] for a in answers) == [
        "alreadyblocked",
        "alreadyblocked",
        "alreadyblocked",
        "block",
    ]
