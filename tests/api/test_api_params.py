"""One parameter table per module drives parsing, paraminfo and the help page; the list modules
page by key through the services (categorymembers keyset-paged in SQL); opensearch answers JSON."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient
from wiki.api.registry import MODULES, SUBMODULES

OVERRIDE = {
    "cmtitle": "Category:X",
    "iutitle": "File:X.png",
    "leaction": "move/move",
    "cmpageid": None,
    "blpageid": None,
    "auexcludegroup": None,  # MediaWiki refuses it with augroup (invalidparammix)
}
# Parameters MediaWiki refuses together with another of the same module (requireOnlyOneParameter).
OVERRIDE.update({"rcexcludeuser": None, "ucuserids": None, "ucuserprefix": None, "uciprange": None})
SAMPLE = {"integer": "1", "limit": "2", "namespace": "0", "boolean": "1", "timestamp": "20240101000000"}


def _sample(param) -> str:
    if param.enum:
        return param.type[0]
    return SAMPLE.get(param.type, "Main Page")


def test_opensearch_without_format_answers_json_as_mediawiki(client):
    api = ApiClient(client)
    api.edit("Opensearch page", "x")
    resp = client.get("/w/api.php", query_string={"action": "opensearch", "search": "Opensearch"})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.get_json()[:2] == ["Opensearch", ["Opensearch page"]]
    other = client.get("/w/api.php", query_string={"action": "query", "meta": "siteinfo"})
    assert other.mimetype == "text/html"  # every other module keeps jsonfm, MediaWiki's default


@pytest.mark.parametrize("path", sorted(MODULES) + [f"query+{n}" for n in sorted(SUBMODULES)])
def test_paraminfo_lists_exactly_the_declared_table(client, path):
    """paraminfo is made from the table that parses the request: same names, types, defaults."""
    module = ApiClient(client, 2).get(action="paraminfo", modules=path)["paraminfo"]["modules"][0]
    table = MODULES[path].params if path in MODULES else SUBMODULES[path.split("+")[1]].params
    assert [p["name"] for p in module["parameters"]] == [p.name for p in table]
    for described, declared in zip(module["parameters"], table, strict=True):
        if declared.enum:
            assert described["type"] == list(declared.type)
        elif declared.type == "namespace":
            assert "0" in described["type"] and "14" in described["type"]
        else:
            assert described["type"] == declared.type
        assert described.get("default") == declared.default
        assert described.get("multi", False) == declared.multi
        assert described.get("required", False) == declared.required


@pytest.mark.parametrize("name", sorted(set(SUBMODULES) - {"watchlist", "watchlistraw"}))  # accounts only
def test_every_declared_parameter_is_recognised_and_others_warn(client, name):
    sub = SUBMODULES[name]
    api = ApiClient(client)
    params = {"action": "query", sub.group: name, "titles": "Main Page", "nosuchparam": "1"}
    skip = ("timestamp", "continue")
    params.update(
        {sub.prefix + p.name: _sample(p) for p in sub.params if skip[0] != p.type and skip[1] != p.name}
    )
    params.update({k: v for k, v in OVERRIDE.items() if k in params})
    data = api.get(**{k: v for k, v in params.items() if v is not None})
    warning = data.get("warnings", {}).get("main", {}).get("*", "")
    assert warning == "Unrecognized parameter: nosuchparam.", data


def test_a_parameter_that_was_accepted_and_ignored_now_warns(client):
    api = ApiClient(client)
    data = api.edit("Warned", "x", bot="1", ignoredflag="1")
    assert data["edit"]["result"] == "Success"
    # bot is a real parameter of action=edit (mwclient sends it); one nobody declares still warns.
    assert data["warnings"]["main"]["*"] == "Unrecognized parameter: ignoredflag."


def test_help_page_shows_every_modules_table(client):
    html = client.get("/w/api.php").get_data(as_text=True)
    for name, module in MODULES.items():
        assert f"action={name}" in html
        for param in module.params:
            assert f"<code>{module.prefix}{param.name}</code>" in html, (name, param.name)
    for name, sub in SUBMODULES.items():
        assert f'id="query+{name}"' in html
        for param in sub.params:
            assert f"<code>{sub.prefix}{param.name}</code>" in html, (name, param.name)


def test_main_parameters_are_honoured(client):
    data = ApiClient(client).get(
        action="query", meta="siteinfo", requestid="abc", curtimestamp="1", servedby="1", maxlag="5"
    )
    assert data["requestid"] == "abc" and data["curtimestamp"].endswith("Z") and data["servedby"]
    assert "warnings" not in data


def _walk(api, **params) -> list[str]:
    """Titles of every page of a list=categorymembers listing, one request per member."""
    out, cont = [], {}
    for _ in range(30):
        data = api.get(action="query", list="categorymembers", cmlimit="1", **params, **cont)
        out += [m["title"] for m in data["query"]["categorymembers"]]
        if "continue" not in data:
            return out
        cont = {"cmcontinue": data["continue"]["cmcontinue"]}
    raise AssertionError("no end")


def test_categorymembers_pages_by_kind_then_sort_key_in_both_directions(client):
    api = ApiClient(client)
    for title, key in (
        ("Zebra", ""),
        ("apple", ""),
        ("Mango", "|Aardvark"),
        ("Category:Sub b", ""),
        ("Category:Sub a", ""),
        ("File:Pic.png", ""),
    ):
        sortkey = key.replace("|", "|") if key else ""
        api.edit(title, f"[[Category:Fruit{sortkey}]]")
    expected = ["Mango", "Apple", "Zebra", "Category:Sub a", "Category:Sub b", "File:Pic.png"]
    assert _walk(api, cmtitle="Category:Fruit") == expected
    assert _walk(api, cmtitle="Category:Fruit", cmdir="desc") == expected[::-1]
    assert _walk(api, cmtitle="Category:Fruit", cmtype="subcat") == ["Category:Sub a", "Category:Sub b"]
    assert _walk(api, cmtitle="Category:Fruit", cmnamespace="6") == ["File:Pic.png"]
    by_time = _walk(api, cmtitle="Category:Fruit", cmsort="timestamp")
    assert by_time == ["Zebra", "Apple", "Mango", "Category:Sub b", "Category:Sub a", "File:Pic.png"]
    props = api.get(
        action="query",
        list="categorymembers",
        cmtitle="Category:Fruit",
        cmprop="sortkeyprefix|type",
        cmlimit="1",
    )["query"]["categorymembers"]
    assert props == [{"sortkeyprefix": "AARDVARK", "type": "page"}]
    bad = api.get(action="query", list="categorymembers", cmtitle="Category:Fruit", cmcontinue="page|zz|1")
    assert bad["error"]["code"] == "badcontinue"


def test_categorymembers_continuation_reads_only_one_page_of_rows(client, app):
    """Keyset paging: a request deep in a large category fetches limit + 1 rows, not the category."""
    from sqlalchemy import event

    from wiki.extensions import db

    api = ApiClient(client)
    for n in range(12):
        api.edit(f"Member {n:02}", "[[Category:Big]]")
    first = api.get(action="query", list="categorymembers", cmtitle="Category:Big", cmlimit="2")
    fetched: list[int] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        if "category_link" in statement and "LIMIT" in statement.upper():
            fetched.append(1)

    event.listen(engine, "after_cursor_execute", count)
    try:
        more = api.get(
            action="query", list="categorymembers", cmtitle="Category:Big", cmlimit="2", **first["continue"]
        )
    finally:
        event.remove(engine, "after_cursor_execute", count)
    assert [m["title"] for m in more["query"]["categorymembers"]] == ["Member 02", "Member 03"]
    assert fetched, "the members are read with a LIMIT"


def test_backlinks_descending_and_through_redirects(client):
    api = ApiClient(client)
    api.edit("Target", "t")
    api.edit("Via", "#REDIRECT [[Target]]")
    for n in range(3):
        api.edit(f"Linker {n}", "[[Target]]")
    api.edit("Through", "[[Via]]")
    data = api.get(action="query", list="backlinks", bltitle="Target", blredirect="1", bllimit="10")
    items = data["query"]["backlinks"]
    assert [i["title"] for i in items] == ["Via", "Linker 0", "Linker 1", "Linker 2"]
    assert items[0]["redirlinks"] == [
        {"pageid": items[0]["redirlinks"][0]["pageid"], "ns": 0, "title": "Through"}
    ]
    down, cont = [], {}
    while True:
        data = api.get(
            action="query", list="backlinks", bltitle="Target", bldir="descending", bllimit="1", **cont
        )
        down += [i["title"] for i in data["query"]["backlinks"]]
        if "continue" not in data:
            break
        cont = {"blcontinue": data["continue"]["blcontinue"]}
    assert down == ["Linker 2", "Linker 1", "Linker 0", "Via"]


def test_allpages_sizes_direction_and_langlinks(client):
    api = ApiClient(client)
    api.edit("Small", "x")
    api.edit("Large", "x" * 500)

    def titles(**kw) -> list[str]:
        return [p["title"] for p in api.get(action="query", list="allpages", **kw)["query"]["allpages"]]

    assert titles(apminsize="100") == ["Large"]
    assert "Small" in titles(apmaxsize="10") and "Large" not in titles(apmaxsize="10")
    assert titles(apdir="descending", apfrom="Small", aplimit="2") == ["Small", "Large"]
    assert titles(apfilterlanglinks="withlanglinks") == []


def test_links_filters_by_title_and_namespace_also_as_a_generator(client):
    api = ApiClient(client)
    api.edit("Hub", "[[Alpha]] [[Beta]] [[Talk:Gamma]]")
    q = api.get(action="query", prop="links", titles="Hub", pltitles="Beta|Talk:Gamma")["query"]
    assert [link["title"] for link in q["pages"][next(iter(q["pages"]))]["links"]] == ["Beta", "Talk:Gamma"]
    gen = api.get(action="query", generator="links", titles="Hub", gplnamespace="1")["query"]["pages"]
    assert [p["title"] for p in gen.values()] == ["Talk:Gamma"]
