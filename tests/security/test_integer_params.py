"""Issue 15 item 10: integers the database cannot hold, negative and non-numeric values in EVERY
integer parameter of EVERY API module (found in the modules' own parameter tables, so a new module
or parameter is covered without touching this file) and in the views' integer query parameters:
never a 5xx and never internal_api_error; the API names the parameter (badinteger,
integeroutofrange, badvalue, badcontinue or a warning), the views answer 400."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import close_app, fresh_database_url, make_app
from tests.security.conftest import PASSWORD, make_account

HUGE = "99999999999999999999999"
BAD = [HUGE, "-" + HUGE, "2147483648", "9223372036854775808", "-1", "1e22", "abc", "0x1f", " 7 ", ""]
NOTICED = {HUGE, "1e22", "abc", "2147483648"}  # values every integer parameter must refuse or warn about
PAGE = "Int test"

# The other parameters a module needs before it reads the one under test (with the api prefix).
NEEDS = {
    "edit": {"title": PAGE, "text": "changed"},
    "move": {"from": "Int source", "to": "Int target"},
    "delete": {"title": "Int missing"},
    "protect": {"title": "Int missing", "protections": "edit=sysop"},
    "parse": {"text": "x"},
    "purge": {"titles": PAGE},
    "opensearch": {"search": "Int"},
    "query": {"meta": "siteinfo"},
    "backlinks": {"title": PAGE},
    "categorymembers": {"title": "Category:Int"},
    "search": {"search": "Int"},
    "usercontribs": {"user": "Admin"},
    "feedcontributions": {"user": "Admin"},
    "tag": {"add": "Int tag"},
    "prefixsearch": {"search": "Int"},
    "imageusage": {"title": "File:Int.png"},
    "exturlusage": {},
}


def _integral(param) -> bool:
    return param.type in ("integer", "limit", "namespace") or param.name == "continue"


def api_cases() -> list[tuple[str, dict, object]]:
    """(case id, the request without the parameter under test, the declared parameter + its full name)."""
    import wiki.api  # noqa: F401 - the modules register on import
    from wiki.api import MAIN_PARAMS
    from wiki.api.registry import MODULES, SUBMODULES

    out = []
    for param in MAIN_PARAMS:
        if _integral(param):
            out.append((f"main:{param.name}", {"action": "query", "meta": "siteinfo"}, param, param.name))
    for name, module in sorted(MODULES.items()):
        base = {"action": name, **{module.prefix + k: v for k, v in NEEDS.get(name, {}).items()}}
        for param in module.params:
            if _integral(param):
                out.append((f"{name}:{module.prefix}{param.name}", base, param, module.prefix + param.name))
    for name, sub in sorted(SUBMODULES.items()):
        needs = NEEDS.get(name, {})
        base = {"action": "query", sub.group: name, **{sub.prefix + k: v for k, v in needs.items()}}
        if sub.group == "prop":
            base["titles"] = PAGE
        for param in sub.params:
            if _integral(param):
                out.append((f"{name}:{sub.prefix}{param.name}", base, param, sub.prefix + param.name))
        if sub.generator:
            gen = {
                "action": "query",
                "generator": name,
                **{"g" + sub.prefix + k: v for k, v in needs.items()},
            }
            if sub.group == "prop":
                gen["titles"] = PAGE
            for param in sub.params:
                if _integral(param):
                    full = "g" + sub.prefix + param.name
                    out.append((f"generator={name}:{full}", gen, param, full))
    return out


CASES = api_cases()


@pytest.fixture(scope="module")
def int_app(database_template, tmp_path_factory):
    """One wiki for the module: a sysop, a page with two revisions in a category, a redirect to it."""
    work = tmp_path_factory.mktemp("intparams")
    url = fresh_database_url(database_template, work)
    app = make_app(url, work)
    make_account(app, "Admin", "sysop")
    yield app
    close_app(app)


@pytest.fixture(scope="module")
def api(int_app):
    """A logged-in sysop's API session with a csrf token, over a small wiki."""
    client = int_app.test_client()

    def call(**params):
        resp = client.post("/w/api.php", data={"format": "json", **params})
        return resp, resp.get_data(as_text=True)

    token = client.get("/w/api.php?action=query&meta=tokens&type=login&format=json").get_json()
    login = call(
        action="login", lgname="Admin", lgpassword=PASSWORD, lgtoken=token["query"]["tokens"]["logintoken"]
    )
    assert '"Success"' in login[1], login[1]
    csrf = client.get("/w/api.php?action=query&meta=tokens&format=json").get_json()["query"]["tokens"][
        "csrftoken"
    ]
    for title, text in (
        (PAGE, "first [[Category:Int]]"),
        (PAGE, "second [[Category:Int]] [[Int target]] {{Int template}}"),
        ("Int source", "to be moved"),
        ("Int redirect", f"#REDIRECT [[{PAGE}]]"),
    ):
        resp, body = call(action="edit", title=title, text=text, token=csrf)
        assert '"Success"' in body, body
    call.token = csrf  # type: ignore[attr-defined]
    return call


def _ask(api, base: dict, name: str, value: str):
    from wiki.api.registry import MODULES

    params = {**base, name: value}
    module = MODULES.get(params.get("action", ""))
    if module is not None and (module.token or params["action"] == "logout"):
        params[module.token or "token"] = api.token
    resp, body = api(**params)
    assert resp.status_code < 500, (params, resp.status_code, body[:300])
    assert "internal_api_error" not in body, (params, body[:500])
    return resp.get_json(), body


# The full sweep (about 1,800 requests) is `make stress`; `make test` keeps the sampled one below.
@pytest.mark.stress
@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("base", "param", "name"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_integer_parameter_of_every_module_refuses_cleanly(api, base, param, name, value):
    data, body = _ask(api, base, name, value)
    if value not in NOTICED or param.name == "continue" or isinstance(data, list):
        # A continue value may be a title ("abc"); opensearch's bare array has no room for warnings.
        return
    error = data.get("error", {}) if isinstance(data, dict) else {}
    named = (
        name in error.get("info", "") or name in str(data.get("warnings", ""))
        if isinstance(data, dict)
        else False
    )
    assert named or error.get("code") in ("badcontinue",), (name, value, body[:500])
    if error:
        assert error["code"] in ("badinteger", "integeroutofrange", "badvalue"), body[:300]


def test_the_table_covers_the_parameters_the_issue_names():
    names = {c[3] for c in CASES}
    named = "apnamespace apminsize apmaxsize rcnamespace rccontinue lenamespace uccontinue ucnamespace"
    named += " cmnamespace blcontinue blnamespace srnamespace plnamespace tlnamespace pageids revids"
    assert set(named.split()) <= names, set(named.split()) - names


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"list": "allpages", "apnamespace": "1e22"}, "badvalue"),
        ({"list": "allpages", "apminsize": HUGE}, "integeroutofrange"),
        ({"list": "allpages", "apmaxsize": "-" + HUGE}, "integeroutofrange"),
        ({"list": "allpages", "aplimit": "ten"}, "badinteger"),
        ({"list": "recentchanges", "rccontinue": "20240101000000|" + HUGE}, "badcontinue"),
        ({"list": "usercontribs", "ucuser": "Admin", "uccontinue": "x|" + HUGE}, "badcontinue"),
        ({"list": "backlinks", "bltitle": PAGE, "blcontinue": "0|Int_test|" + HUGE}, "badcontinue"),
        ({"list": "categorymembers", "cmtitle": "Category:Int", "cmcontinue": "page|zz|1"}, "badcontinue"),
        ({"list": "logevents", "lenamespace": HUGE}, "badvalue"),
        ({"pageids": HUGE}, "integeroutofrange"),
        ({"revids": "1|" + HUGE}, "integeroutofrange"),
        ({"pageids": "abc"}, "badinteger"),
    ],
)
def test_named_parameters_answer_mediawikis_codes(api, params, code):
    data, body = _ask(api, {"action": "query"}, "format", "json")
    data, body = _ask(api, {"action": "query", **params}, "format", "json")
    assert data["error"]["code"] == code, body


def test_multi_value_namespaces_warn_and_drop_the_bad_value(api):
    data, _ = _ask(api, {"action": "query", "list": "recentchanges"}, "rcnamespace", f"0|{HUGE}")
    assert f'"rcnamespace": {HUGE}' in data["warnings"]["recentchanges"]["*"]
    assert data["query"]["recentchanges"], "the good namespace is still listed"


def test_a_huge_revision_in_parse_and_undo_is_refused(api):
    data, _ = _ask(api, {"action": "parse"}, "oldid", HUGE)
    assert data["error"]["code"] == "integeroutofrange"
    data, _ = _ask(api, {"action": "parse"}, "oldid", "2147483647")
    assert data["error"]["code"] == "nosuchrevid"
    data, _ = _ask(api, {"action": "edit", "title": PAGE}, "undo", "2147483647")
    assert data["error"]["code"] == "nosuchrevid"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    case=st.sampled_from(CASES),
    value=st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.text(alphabet="0123456789-+e.x |", max_size=30),
    ),
)
def test_any_value_of_any_integer_parameter_never_crashes(api, case, value):
    _ask(api, case[1], case[3], value)


# --- views -------------------------------------------------------------------------------------

VIEWS = [
    "/wiki/Int_test?oldid={v}",
    "/w/index.php?title=Int_test&action=raw&oldid={v}",
    "/w/index.php?title=Int_test&action=edit&oldid={v}",
    "/w/index.php?title=Int_test&action=edit&undo={v}",
    "/w/index.php?title=Int_test&action=edit&undo=1&undoafter={v}",
    "/w/index.php?title=Int_test&diff={v}",
    "/w/index.php?title=Int_test&diff=prev&oldid={v}",
    "/w/index.php?title=Int_test&action=history&limit={v}&offset={v}",
    "/wiki/Special:RecentChanges?namespace={v}",
    "/wiki/Special:RecentChanges?limit={v}&days={v}",
    "/wiki/Special:Undelete?target=Int_test&timestamp={v}",
    "/wiki/Special:WhatLinksHere/Int_test?from={v}&namespace={v}&limit={v}",
    "/wiki/Special:AllPages?namespace={v}&limit={v}",
    "/wiki/Special:PrefixIndex?prefix=Int&namespace={v}",
    "/wiki/Special:Log?offset={v}&limit={v}",
    "/wiki/Special:Search?search=Int&fulltext=1&limit={v}&offset={v}",
    "/wiki/Category:Int?limit={v}",
    "/wiki/Special:WantedPages?limit={v}&offset={v}",
]
REVISION_VIEWS = [v for v in VIEWS if "oldid={v}" in v or "undo" in v or "diff={v}" in v or "timestamp" in v]


@pytest.fixture(scope="module")
def sysop_web(int_app, api):
    from tests.helpers import WikiClient

    client = WikiClient(int_app.test_client())
    assert client.login("Admin", PASSWORD, create=False).status_code == 303
    return client


@pytest.mark.stress
@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("url", VIEWS)
def test_views_answer_400_never_500_for_bad_integers(sysop_web, url, value):
    resp = sysop_web.client.get(url.replace("{v}", value))
    assert resp.status_code < 500, (url, value, resp.status_code)
    if url in REVISION_VIEWS and value in (HUGE, "2147483648", "9223372036854775808"):
        assert resp.status_code == 400, (url, value, resp.status_code)
