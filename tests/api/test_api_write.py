"""Writing through the API: tokens, edits and conflicts, sections, login, accounts, parse, rights."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient, make_user


def test_write_actions_need_a_post_and_the_session_token(client):
    api = ApiClient(client)
    assert api.post(action="edit", title="Tokenless", text="x", token="+\\")["error"]["code"] == "badtoken"
    assert api.post(action="delete", title="Tokenless", token="nope")["error"]["code"] == "badtoken"
    got = api.get(action="edit", title="Tokenless", text="x", token=api.token())
    assert got["error"]["code"] == "mustpostparams"
    assert api.get(action="query", titles="Tokenless")["query"]["pages"]["-1"]["missing"] == ""


# What MediaWiki 1.39 answers (checked on its lab) for a write module's token: missing or empty is
# missingparam, in the URL mustpostparams (a GET never reaches mustbeposted), wrong is badtoken.
TOKEN_CASES = [
    ("POST", {}, "missingparam"),
    ("POST", {"token": ""}, "missingparam"),
    ("POST", {"token": "abc"}, "badtoken"),
    ("GET", {}, "missingparam"),
    ("GET", {"token": "abc"}, "mustpostparams"),
]
MODULES = [
    {"action": "edit", "title": "Tokenless", "text": "x"},
    {"action": "delete", "title": "Tokenless"},
    {"action": "rollback", "title": "Tokenless", "user": "Someone"},
    {"action": "watch", "titles": "Tokenless"},
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m["action"])
def test_token_errors_come_in_mediawikis_order(client, module):
    api = ApiClient(client)
    for method, token, code in TOKEN_CASES:
        call = api.post if method == "POST" else api.get
        got = call(**module, **token)["error"]
        assert (method, token, got["code"]) == (method, token, code)
    missing = api.post(**module)["error"]["info"]
    assert missing == 'The "token" parameter must be set.'
    in_url = client.post(
        "/w/api.php", query_string={"token": api.token()}, data={"format": "json", **module}
    ).get_json()["error"]
    assert in_url == {
        "code": "mustpostparams",
        "info": "The following parameter was found in the query string, but must be in the POST body: token.",
        "*": in_url["*"],
    }
    assert client.get("/wiki/Tokenless").status_code == 404


def test_a_required_parameter_before_the_token_is_missing_first(client):
    # rollback's "user" is declared before its token: MediaWiki names it even with no token.
    got = ApiClient(client).post(action="rollback", title="Tokenless")["error"]
    assert got["info"] == 'The "user" parameter must be set.'


def test_invalid_and_overlong_titles_are_invalidtitle(client):
    api = ApiClient(client)
    assert api.edit("x" * 256, "text")["error"]["code"] == "invalidtitle"
    assert api.edit("Bad [[title]]", "text")["error"]["code"] == "invalidtitle"
    assert api.edit("Special:Foo", "text")["error"]["code"] == "pagecannotexist"


def test_edit_reports_new_nochange_and_checks_createonly_nocreate(client):
    api = ApiClient(client)
    first = api.edit("Created page", "one", summary="make")["edit"]
    assert first["result"] == "Success" and first["new"] == "" and first["oldrevid"] == 0
    assert api.edit("Created page", "one")["edit"]["nochange"] == ""
    assert api.edit("Created page", "two", createonly="1")["error"]["code"] == "articleexists"
    assert api.edit("Never made", "two", nocreate="1")["error"]["code"] == "missingtitle"
    second = api.edit("Created page", "two", minor="1")["edit"]
    assert second["oldrevid"] == first["newrevid"] and "new" not in second


def test_stale_basetimestamp_from_another_user_is_editconflict(app, client):
    make_user(app, "Other editor", "other-password")
    api, other = ApiClient(client), ApiClient(app.test_client())
    api.edit("Contested", "alpha\n\nBASE\nomega")
    base = api.get(action="query", titles="Contested", prop="revisions", rvprop="timestamp")
    stamp = next(iter(base["query"]["pages"].values()))["revisions"][0]["timestamp"]
    assert other.login("Other editor", "other-password")["result"] == "Success"
    other.edit("Contested", "alpha\n\nTHEIRS\nomega")
    mine = api.edit("Contested", "alpha\n\nMINE\nomega", basetimestamp=stamp, starttimestamp=stamp)
    assert mine["error"]["code"] == "editconflict"
    merged = api.edit("Contested", "ALPHA\n\nBASE\nomega", basetimestamp=stamp)  # apart: merged
    assert merged["edit"]["result"] == "Success"
    text = api.get(action="query", titles="Contested", prop="revisions", rvprop="content", rvslots="*")
    assert (
        next(iter(text["query"]["pages"].values()))["revisions"][0]["slots"]["main"]["*"]
        == "ALPHA\n\nTHEIRS\nomega"
    )


def test_section_edits_replace_one_section_or_add_a_new_one(client):
    api = ApiClient(client)
    api.edit("Sections", "lead\n\n== One ==\nfirst\n\n== Two ==\nsecond")
    api.post(action="edit", title="Sections", section="1", text="== One ==\nFIRST", token=api.token())
    api.post(
        action="edit", title="Sections", section="new", sectiontitle="Three", text="third", token=api.token()
    )
    assert api.post(action="edit", title="Sections", section="9", text="x", token=api.token())["error"][
        "code"
    ] == ("nosuchsection")
    data = api.get(
        action="query", titles="Sections", prop="revisions", rvprop="content|comment", rvslots="main"
    )
    rev = next(iter(data["query"]["pages"].values()))["revisions"][0]
    assert (
        rev["slots"]["main"]["*"] == "lead\n\n== One ==\nFIRST\n\n== Two ==\nsecond\n\n== Three ==\n\nthird"
    )
    assert rev["comment"] == "/* Three */ new section"


def test_login_clientlogin_and_account_creation(app, client):
    make_user(app, "Bot owner", "bot-password-1")
    api = ApiClient(client)
    assert api.post(action="login", lgname="Bot owner", lgpassword="x")["login"]["result"] == "NeedToken"
    assert api.post(action="login", lgname="Bot owner", lgpassword="x", lgtoken="bad+\\")["login"][
        "result"
    ] == ("WrongToken")
    assert api.login("Bot owner", "wrong-password")["result"] == "Failed"
    ok = api.login("bot_owner", "bot-password-1")
    assert ok["result"] == "Success" and ok["lgusername"] == "Bot owner"
    assert api.post(action="edit", title="X", text="y", token=api.token(), **{"assert": "user"})["edit"]
    fresh = ApiClient(app.test_client())
    assert (
        fresh.post(action="edit", title="X", text="z", token=fresh.token(), **{"assert": "user"})["error"][
            "code"
        ]
        == "assertuserfailed"
    )
    failed = fresh.post(
        action="clientlogin",
        username="Bot owner",
        password="nope",
        logintoken=fresh.token("login"),
        loginreturnurl="http://x/",
    )["clientlogin"]
    assert failed["status"] == "FAIL"
    made = fresh.create_account(
        username="New bot",
        password="new-password-1",
        retype="new-password-1",
        createtoken=fresh.token("createaccount"),
        createreturnurl="http://x/",
    )
    assert made == {"status": "PASS", "username": "New bot"}
    assert fresh.get(action="query", meta="userinfo")["query"]["userinfo"]["name"] == "New bot"


def test_rights_decide_delete_and_protected_pages(app, client):
    make_user(app, "Plain user", "plain-password")
    make_user(app, "Admin user", "admin-password", groups="sysop")
    user, admin = ApiClient(client), ApiClient(app.test_client())
    user.login("Plain user", "plain-password")
    admin.login("Admin user", "admin-password")
    user.edit("Doomed", "text")
    assert (
        user.post(action="delete", title="Doomed", token=user.token())["error"]["code"] == "permissiondenied"
    )
    assert (
        "delete" in admin.get(action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]["rights"]
    )
    deleted = admin.post(action="delete", title="Doomed", reason="test", token=admin.token())["delete"]
    assert deleted["title"] == "Doomed" and deleted["logid"]
    assert admin.post(action="delete", title="Doomed", token=admin.token())["error"]["code"] == "missingtitle"
    with app.app_context():
        from wiki import pages, site
        from wiki.access import protection

        user.edit("Guarded", "text")
        protection.protect(site.parse_title("Guarded"), {"edit": "sysop"}, actor=pages.Actor("Admin user", 2))
    assert user.edit("Guarded", "changed")["error"]["code"] == "protectedpage"
    info = user.get(action="query", titles="Guarded", prop="info", inprop="protection")
    assert next(iter(info["query"]["pages"].values()))["protection"][0]["level"] == "sysop"


def test_parse_text_and_pages(client):
    api = ApiClient(client)
    api.edit("Parsed target", "Target body")
    api.edit("Parsed redirect", "#REDIRECT [[Parsed target]]")
    out = api.post(
        action="parse",
        text="* a\n** b\n[[Parsed target]] [[Nowhere]] [[Category:Parsed|k]]",
        title="API",
        prop="text|links|categories",
    )["parse"]
    assert "<ul><li>a" in out["text"]["*"]
    assert out["links"] == [{"ns": 0, "exists": "", "*": "Parsed target"}, {"ns": 0, "*": "Nowhere"}]
    assert out["categories"] == [{"sortkey": "k", "missing": "", "*": "Parsed"}]
    followed = api.post(action="parse", page="Parsed redirect", redirects="1", prop="text")["parse"]
    assert "Target body" in followed["text"]["*"] and followed["title"] == "Parsed target"
    v2 = ApiClient(client, 2).post(action="parse", text="[[Nowhere]]", title="API", prop="text|links")[
        "parse"
    ]
    assert (
        isinstance(v2["text"], str)
        and v2["links"] == [{"ns": 0, "title": "Nowhere", "exists": False}]
        or v2["links"] == [{"ns": 0, "title": "Nowhere"}]
    )
    assert api.post(action="parse", page="No such page")["error"]["code"] == "missingtitle"
    edited = api.edit("Parsed redirect", "New target body", redirect="1")["edit"]
    assert edited["title"] == "Parsed target"


def test_anonymous_callers_get_mediawikis_refusals(app, client):
    api = ApiClient(client)
    api.edit("Anon page", "text")
    moved = api.post(action="move", **{"from": "Anon page"}, to="Elsewhere", token=api.token())
    assert moved["error"]["code"] == "cantmove-anon"
    assert api.get(action="query", list="watchlist")["error"]["code"] == "notloggedin"
    limit = app.config["WIKI_MAX_TEXT_BYTES"]
    assert api.edit("Huge page", "x" * (limit + 1))["error"]["code"] == "contenttoobig"
    assert api.get(action="query", titles="Huge page")["query"]["pages"]["-1"]["missing"] == ""


def test_purge_and_protect(app, client):
    make_user(app, "Protector", "guards-the-gate-1", groups="sysop")
    admin = ApiClient(client)
    admin.login("Protector", "guards-the-gate-1")
    admin.edit("Shielded", "text")
    purged = admin.post(action="purge", titles="Shielded|Not there")["purge"]
    assert purged[0] == {"ns": 0, "title": "Shielded", "purged": ""} and purged[1]["missing"] == ""
    done = admin.post(
        action="protect",
        title="Shielded",
        protections="edit=sysop|move=sysop",
        expiry="infinite",
        reason="vandals",
        token=admin.token(),
    )["protect"]
    assert done["protections"] == [
        {"edit": "sysop", "expiry": "infinite"},
        {"move": "sysop", "expiry": "infinite"},
    ]
    info = admin.get(action="query", titles="Shielded", prop="info", inprop="protection")
    assert [p["type"] for p in next(iter(info["query"]["pages"].values()))["protection"]] == ["edit", "move"]
    anon = ApiClient(app.test_client())
    refused = anon.post(action="protect", title="Shielded", protections="edit=all", token=anon.token())
    assert refused["error"]["code"] == "permissiondenied"
    bad = admin.post(action="protect", title="Shielded", protections="edit=gods", token=admin.token())
    assert bad["error"]["code"] == "protect-invalidlevel"


def test_protect_with_an_expiry_per_kind_is_one_log_entry(app, client):
    make_user(app, "Warden", "keeps-the-keys-1", groups="sysop")
    admin = ApiClient(client)
    admin.login("Warden", "keeps-the-keys-1")
    admin.edit("Walled", "text")
    done = admin.post(
        action="protect",
        title="Walled",
        protections="edit=sysop|move=sysop",
        expiry="1 week|infinite",
        token=admin.token(),
    )["protect"]["protections"]
    assert done[0]["edit"] == "sysop" and done[0]["expiry"] != "infinite"
    assert done[1] == {"move": "sysop", "expiry": "infinite"}
    log = admin.get(action="query", list="logevents", letype="protect", letitle="Walled")["query"][
        "logevents"
    ]
    assert len(log) == 1
    assert [d["type"] for d in log[0]["params"]["details"]] == ["edit", "move"]
    # A bad expiry for one kind protects nothing.
    bad = admin.post(
        action="protect",
        title="Walled",
        protections="edit=|move=",
        expiry="never ever|infinite",
        token=admin.token(),
    )
    assert bad["error"]["code"] == "invalidexpiry"
    info = admin.get(action="query", titles="Walled", prop="info", inprop="protection")
    assert len(next(iter(info["query"]["pages"].values()))["protection"]) == 2
