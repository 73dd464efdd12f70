"""Writing through the REST API (POST /v1/page, PUT /v1/page/{title}): status codes, tokens and
bodies as MediaWiki 1.39's."""

from __future__ import annotations

import pytest

from tests.conftest import close_app, fresh_database_url, make_app
from tests.security.conftest import logged_in, make_account

REST = "/w/rest.php/v1"


@pytest.fixture(scope="module")
def rest_app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("rest_edit")
    app = make_app(fresh_database_url(database_template, work), work)
    yield app
    close_app(app)


@pytest.fixture
def client(rest_app):
    return rest_app.test_client()


def _anon_token(client) -> str:
    return client.get("/w/api.php?action=query&meta=tokens&format=json").get_json()["query"]["tokens"][
        "csrftoken"
    ]


def test_create_then_update_with_merge_and_conflicts(client):
    token = _anon_token(client)
    # MediaWiki gives every logged-out caller one token: a token fetched in another session works
    other = client.application.test_client()
    body = {
        "title": "Rest made/one+two",
        "source": "first line\nmiddle\nlast line",
        "comment": "new",
        "token": token,
    }
    made = other.post(f"{REST}/page", json=body)
    assert made.status_code == 201
    assert made.headers["Location"].endswith("/w/rest.php/v1/page/Rest_made%2Fone%2Btwo")
    page = made.get_json()
    assert list(page) == ["id", "title", "key", "latest", "license", "content_model", "source"]
    assert page["title"] == "Rest made/one+two" and page["source"] == body["source"]
    again = other.post(f"{REST}/page", json=body)
    assert again.status_code == 409 and "messageTranslations" in again.get_json()

    path = f"{REST}/page/Rest_made%2Fone%2Btwo"
    base = page["latest"]["id"]
    theirs = {
        "source": "FIRST LINE\nmiddle\nlast line",
        "comment": "theirs",
        "token": token,
        "latest": {"id": base},
    }
    assert other.put(path, json=theirs).status_code == 200
    mine = {
        "source": "first line\nmiddle\nLAST LINE",
        "comment": "mine",
        "token": token,
        "latest": {"id": base},
    }
    merged = other.put(path, json=mine)
    assert merged.status_code == 200 and merged.get_json()["source"] == "FIRST LINE\nmiddle\nLAST LINE"
    clash = other.put(path, json=mine | {"source": "something else entirely"})
    assert clash.status_code == 409
    now = merged.get_json()
    same = other.put(path, json=mine | {"source": now["source"], "latest": {"id": now["latest"]["id"]}})
    assert same.status_code == 200 and same.get_json()["latest"] == merged.get_json()["latest"]  # no change
    assert other.put(path, json={"source": "x", "comment": "c", "token": token}).status_code == 409
    history = other.get(f"{path}/history").get_json()["revisions"]
    assert [r["comment"] for r in history] == ["mine", "theirs", "new"]
    # restoring an earlier text by hand is a manual revert (MediaWiki's mw-manual-revert tag)
    restore = {
        "source": body["source"],
        "comment": "back",
        "token": token,
        "latest": {"id": now["latest"]["id"]},
    }
    assert other.put(path, json=restore).status_code == 200
    assert other.get(f"{path}/history/counts/reverted").get_json() == {"count": 1, "limit": False}
    assert [r["comment"] for r in other.get(f"{path}/history?filter=reverted").get_json()["revisions"]] == [
        "back"
    ]

    created = other.put(f"{REST}/page/Rest_put_new", json={"source": "x", "comment": "c", "token": token})
    assert created.status_code == 201 and created.get_json()["key"] == "Rest_put_new"
    gone = other.put(
        f"{REST}/page/Rest_put_missing",
        json={"source": "x", "comment": "c", "token": token, "latest": {"id": 99}},
    )
    assert gone.status_code == 404


def test_a_logged_out_token_from_elsewhere_edits_but_cannot_create_an_account(client):
    token = _anon_token(client)
    stranger = client.application.test_client()
    account = {
        "action": "createaccount",
        "username": "Rest forged",
        "password": "Rest-forged-pass-2026",
        "retype": "Rest-forged-pass-2026",
        "createreturnurl": "http://127.0.0.1/",
        "createtoken": token,
        "format": "json",
    }
    assert stranger.post("/w/api.php", data=account).get_json()["error"]["code"] == "badtoken"
    edit = {"action": "edit", "title": "Rest via api", "text": "x", "token": token, "format": "json"}
    assert stranger.post("/w/api.php", data=edit).get_json()["edit"]["result"] == "Success"
    forged = edit | {"text": "y", "token": token[:28] + "0000+\\"}
    assert stranger.post("/w/api.php", data=forged).get_json()["error"]["code"] == "badtoken"
    assert stranger.post("/w/api.php", data=edit | {"token": "+\\"}).get_json()["error"]["code"] == "badtoken"


def test_bad_requests_are_refused_in_mediawikis_order(client):
    token = _anon_token(client)
    good = {"title": "Rest refused", "source": "x", "comment": "c", "token": token}

    def post(body, **kw):
        return client.post(f"{REST}/page", json=body, **kw)

    for field in ("source", "comment", "title"):
        missing = post({k: v for k, v in good.items() if k != field})
        assert missing.status_code == 400 and field in missing.get_json()["messageTranslations"]["en"]
    no_token = post({k: v for k, v in good.items() if k != "token"})
    assert no_token.status_code == 400 and no_token.get_json()["actionModuleErrorCode"] == "missingparam"
    bad_token = post(good | {"token": "BAD"})
    assert bad_token.status_code == 403 and bad_token.get_json()["actionModuleErrorCode"] == "badtoken"
    assert post(good | {"content_model": "nonsense"}).status_code == 400
    assert post(good | {"title": "_|_"}).status_code == 400
    assert post(good | {"title": "Special:Rest"}).status_code == 400
    form = client.post(f"{REST}/page", data=good)
    assert form.status_code == 415
    assert client.put(f"{REST}/page/", json=good).status_code == 400
    assert client.get(f"{REST}/page/Rest_refused").status_code == 404  # nothing was saved


def test_protection_and_logged_in_tokens(client):
    make_account(client.application, "Rest admin", "sysop")
    client = logged_in(client.application, "Rest admin").client
    token = client.get("/w/api.php?action=query&meta=tokens&format=json").get_json()["query"]["tokens"][
        "csrftoken"
    ]
    elsewhere = _anon_token(client.application.test_client())
    made = client.post(
        f"{REST}/page", json={"title": "Rest locked", "source": "x", "comment": "c", "token": token}
    )
    assert made.status_code == 201 and made.get_json()["source"] == "x"
    anon_sent = client.post(
        f"{REST}/page", json={"title": "Rest other", "source": "x", "comment": "c", "token": elsewhere}
    )
    assert anon_sent.status_code == 403  # a logged-in user's token must be their session's
    reply = client.post(
        "/w/api.php",
        data={
            "action": "protect",
            "title": "Rest locked",
            "protections": "edit=sysop",
            "token": token,
            "format": "json",
        },
    ).get_json()
    assert "protect" in reply, reply
    anon = client.application.test_client()
    latest = made.get_json()["latest"]["id"]
    refused = anon.put(
        f"{REST}/page/Rest_locked",
        json={"source": "y", "comment": "c", "token": elsewhere, "latest": {"id": latest}},
    )
    assert refused.status_code == 403
