"""action=query as MediaWiki answers it: formats, titles, pages, lists, generators, continuation."""

from __future__ import annotations

from tests.api.helpers import ApiClient


def test_siteinfo_and_userinfo_look_like_mediawiki_in_both_format_versions(client):
    api = ApiClient(client)
    q = api.get(
        action="query",
        meta="siteinfo|userinfo|userinfo",
        siprop="general|namespaces|fileextensions",
        uiprop="groups|rights|blockinfo|hasmsg",
    )["query"]
    assert q["general"]["generator"].startswith("MediaWiki 1.39.0-compatible (")
    # Uploads are open (pywikibot refuses to upload otherwise) and FilePage checks names by extension.
    assert q["general"]["uploadsenabled"] == "" and q["general"]["maxuploadsize"] == 100 * 1024 * 1024
    assert {"ext": "png"} in q["fileextensions"] and {"ext": "pdf"} in q["fileextensions"]
    assert q["general"]["case"] == "first-letter" and q["general"]["mainpage"] == "Main Page"
    assert q["namespaces"]["14"] == {
        "id": 14,
        "case": "first-letter",
        "canonical": "Category",
        "*": "Category",
    }
    assert q["namespaces"]["0"]["content"] == ""  # a flag in formatversion 1
    assert (
        q["userinfo"]["anon"] == "" and "read" in q["userinfo"]["rights"] and q["userinfo"]["groups"] == ["*"]
    )
    q2 = ApiClient(client, 2).get(action="query", meta="siteinfo|userinfo", siprop="namespaces")["query"]
    assert q2["namespaces"]["14"]["name"] == "Category" and q2["namespaces"]["0"]["content"] is True
    assert q2["userinfo"]["anon"] is True


def test_titles_are_normalised_with_normalized_entries_and_missing_and_invalid_pages(client):
    api = ApiClient(client)
    api.edit("Hello world", "Hi")
    long = "x" * 256
    q = api.get(action="query", titles=f"hello_world|nope|[[x]]|{long}|Special:RecentChanges", prop="info")[
        "query"
    ]
    assert q["normalized"] == [{"from": "hello_world", "to": "Hello world"}, {"from": "nope", "to": "Nope"}]
    pages = q["pages"]
    page_id = next(k for k in pages if not k.startswith("-"))
    assert (
        pages[page_id]["title"] == "Hello world"
        and pages[page_id]["new"] == ""
        and pages[page_id]["length"] == 2
    )
    by_title = {p["title"]: p for k, p in pages.items() if k.startswith("-")}
    assert by_title["Nope"]["missing"] == ""
    assert by_title["[[x]]"] == {
        "title": "[[x]]",
        "invalidreason": 'The requested page title contains invalid characters: "[".',
        "invalid": "",
    }
    assert "too long" in by_title[long]["invalidreason"]
    assert by_title["Special:RecentChanges"] == {"ns": -1, "title": "Special:RecentChanges", "special": ""}
    pages2 = ApiClient(client, 2).get(action="query", titles="Hello world|Nope")["query"]["pages"]
    assert [p["title"] for p in pages2] == ["Hello world", "Nope"] and pages2[1]["missing"] is True


def test_unknown_parameters_and_values_are_warnings_not_errors(client):
    data = ApiClient(client).get(action="query", titles="A", prop="info|nosuchprop", bogus="1")
    assert data["warnings"]["main"]["*"] == "Unrecognized parameter: bogus."
    assert data["warnings"]["query"]["*"] == 'Unrecognized value for parameter "prop": nosuchprop'
    assert list(data)[:2] == ["batchcomplete", "warnings"]


def test_bad_values_are_mediawiki_errors_with_http_200(client):
    api = ApiClient(client)
    assert api.get(action="nosuch")["error"]["code"] == "badvalue"
    assert api.get(action="query", list="allpages", aplimit="lots")["error"]["code"] == "badinteger"
    assert (
        api.get(action="query", list="recentchanges", rcstart="yesterday")["error"]["code"] == "badtimestamp"
    )
    assert api.get(action="query", titles="A", pageids="1")["error"]["code"] == "invalidparammix"
    assert (
        api.get(action="query", list="categorymembers", cmtitle="Not a category")["error"]["code"]
        == "invalidcategory"
    )
    resp = client.get("/w/api.php", query_string={"action": "query", "format": "xml"})
    assert resp.status_code == 200 and resp.headers["MediaWiki-API-Error"] == "badvalue"


def test_help_page_lists_the_modules(client):
    html = client.get("/w/api.php").get_data(as_text=True)
    wrapped = ApiClient(client).get(action="help")["help"]
    assert wrapped["mime"] == "text/html" and "action=query" in wrapped["help"]
    for module in (
        "action=query",
        "action=edit",
        "action=login",
        "action=parse",
        "action=opensearch",
        "rvcontinue",
    ):
        assert module in html


def test_history_pages_with_rvcontinue_and_reads_old_revisions_by_revids(client):
    api = ApiClient(client)
    ids = [api.edit("Paged", f"version {n}", summary=f"s{n}")["edit"]["newrevid"] for n in range(3)]
    seen, params = (
        [],
        {
            "action": "query",
            "titles": "Paged",
            "prop": "revisions",
            "rvlimit": "1",
            "rvprop": "ids|comment|user|timestamp|flags",
            "continue": "",
        },
    )
    while True:
        data = api.get(**params)
        page = next(iter(data["query"]["pages"].values()))
        seen += [(r["revid"], r["parentid"], r["comment"]) for r in page["revisions"]]
        if "continue" not in data:
            break
        params.update(data["continue"])
    assert seen == [(ids[2], ids[1], "s2"), (ids[1], ids[0], "s1"), (ids[0], 0, "s0")]
    old = api.get(action="query", revids=str(ids[0]), prop="revisions", rvprop="content", rvslots="main")
    revision = next(iter(old["query"]["pages"].values()))["revisions"][0]
    assert revision["slots"]["main"]["*"] == "version 0"
    legacy = api.get(action="query", titles="Paged", prop="revisions", rvprop="content")
    assert next(iter(legacy["query"]["pages"].values()))["revisions"][0]["*"] == "version 2"
    assert "rvslots" in legacy["warnings"]["main"]["*"]
    contribs = api.get(action="query", list="usercontribs", ucuser="127.0.0.1", ucprop="ids|comment|flags")
    assert [(c["revid"], c["comment"]) for c in contribs["query"]["usercontribs"]] == [
        (ids[2], "s2"),
        (ids[1], "s1"),
        (ids[0], "s0"),
    ]
    assert contribs["query"]["usercontribs"][0]["top"] == ""


def test_allpages_generator_continues_with_gapcontinue_and_redirects_resolve(client):
    api = ApiClient(client)
    for name in ("Gen Alpha", "Gen Beta", "Gen Gamma"):
        api.edit(name, f"[[Gen Alpha]] [[Category:Gen]] {name}")
    api.edit("Gen Redirect", "#REDIRECT [[Gen Beta]]")
    titles, params = (
        [],
        {
            "action": "query",
            "generator": "allpages",
            "gapprefix": "Gen ",
            "gaplimit": "1",
            "prop": "info|imageinfo",
            "iiprop": "timestamp|user|url",
            "continue": "",
        },
    )
    while True:
        data = api.get(**params)
        titles += [p["title"] for p in data["query"]["pages"].values()]
        if "continue" not in data:
            break
        params.update(data["continue"])
    assert titles == ["Gen Alpha", "Gen Beta", "Gen Gamma", "Gen Redirect"]
    q = api.get(action="query", titles="Gen Redirect", redirects="1")["query"]
    assert q["redirects"] == [{"from": "Gen Redirect", "to": "Gen Beta"}]
    assert [p["title"] for p in q["pages"].values()] == ["Gen Beta"]
    back = api.get(action="query", list="backlinks", bltitle="Gen Alpha", bllimit="max")["query"]["backlinks"]
    assert sorted(b["title"] for b in back) == ["Gen Alpha", "Gen Beta", "Gen Gamma"]
    members = api.get(action="query", list="categorymembers", cmtitle="Category:Gen", cmlimit="2")
    assert [m["title"] for m in members["query"]["categorymembers"]] == ["Gen Alpha", "Gen Beta"]
    more = api.get(action="query", list="categorymembers", cmtitle="Category:Gen", **members["continue"])
    assert [m["title"] for m in more["query"]["categorymembers"]] == ["Gen Gamma"]
    rc = api.get(action="query", list="recentchanges", rcprop="title|ids|sizes|flags|user", rclimit="2")
    assert [r["title"] for r in rc["query"]["recentchanges"]] == ["Gen Redirect", "Gen Gamma"]
    assert rc["query"]["recentchanges"][0]["new"] == "" and "rccontinue" in rc["continue"]


def test_search_and_opensearch(client):
    api = ApiClient(client)
    api.edit("Searchable page", "a zebraword here")
    hits = api.get(action="query", list="search", srsearch="Searchable", srwhat="title")["query"]
    assert [h["title"] for h in hits["search"]] == ["Searchable page"] and hits["searchinfo"][
        "totalhits"
    ] == 1
    resp = client.get(
        "/w/api.php", query_string={"action": "opensearch", "search": "Searcha", "format": "json"}
    )
    body = resp.get_json()
    assert (
        body[0] == "Searcha"
        and body[1] == ["Searchable page"]
        and body[3][0].endswith("/wiki/Searchable_page")
    )


def test_garbage_parameters_never_cause_a_server_error(client):
    api = ApiClient(client)
    api.edit("Garbage target", "[[Garbage target]] [[Category:G]]")
    weird = ["", "-1", "abc|||", "x" * 300, "\x00"]
    modules = {
        "query": [
            "titles",
            "pageids",
            "revids",
            "prop",
            "list",
            "generator",
            "rvlimit",
            "rvcontinue",
            "rvstart",
            "aplimit",
            "apfrom",
            "apcontinue",
            "bltitle",
            "blcontinue",
            "cmtitle",
            "cmcontinue",
            "rcstart",
            "rccontinue",
            "srsearch",
            "sroffset",
            "clcontinue",
            "plcontinue",
            "gapcontinue",
            "rvsection",
        ],
        "parse": ["text", "page", "pageid", "oldid", "section", "prop"],
        "opensearch": ["search", "limit", "namespace"],
        "edit": ["title", "basetimestamp", "undo"],
    }
    base = {
        "query": {
            "prop": "revisions|categories|links|info",
            "list": "allpages|backlinks|categorymembers|search",
            "titles": "Garbage target",
            "bltitle": "Garbage target",
            "cmtitle": "Category:G",
            "srsearch": "garbage",
        }
    }
    for module, names in modules.items():
        for name in names:
            for value in weird:
                params = {**base.get(module, {}), "action": module, name: value, "format": "json"}
                resp = client.post("/w/api.php", data=params)
                assert resp.status_code == 200, (module, name, value)
                body = resp.get_json()
                assert "internal_api_error" not in str(
                    body.get("error", {}) if isinstance(body, dict) else ""
                ), (module, name, value, body)


def test_paraminfo_describes_modules_prefixes_limits_and_posts(client):
    api = ApiClient(client, 2)
    modules = api.get(action="paraminfo", modules="main|query|query+allpages|query+tokens|edit|nosuch")
    by_path = {m["path"]: m for m in modules["paraminfo"]["modules"]}
    action = next(p for p in by_path["main"]["parameters"] if p["name"] == "action")
    assert {"query", "edit", "login", "parse", "paraminfo"} <= set(action["type"])
    generator = next(p for p in by_path["query"]["parameters"] if p["name"] == "generator")
    assert "allpages" in generator["type"] and generator["submodules"]["allpages"] == "query+allpages"
    allpages = by_path["query+allpages"]
    assert allpages["prefix"] == "ap" and allpages["generator"] is True
    limit = next(p for p in allpages["parameters"] if p["name"] == "limit")
    assert (limit["max"], limit["highmax"]) == (500, 5000)
    assert by_path["edit"]["mustbeposted"] is True and by_path["nosuch"]["missing"] is True
    tokens = next(p for p in by_path["query+tokens"]["parameters"] if p["name"] == "type")
    assert {"csrf", "login", "createaccount"} <= set(tokens["type"])
