"""prop=extlinks, list=exturlusage, prop=linkshere, list=prefixsearch and action=parse&revid,
in MediaWiki 1.39's shapes (compared with a real one)."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient
from tests.conftest import close_app, fresh_database_url, make_app

LINKS = (
    "[http://www.Example.com/a?x=1 ex] https://example.org/b [//proto.example.net/c rel] "
    "[mailto:me@example.com m]"
)


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("apilinks")
    # Anonymous edits adding links would meet the CAPTCHA (tests/security/test_spam.py covers it).
    app = make_app(fresh_database_url(database_template, work), work, WIKI_SPAM_DEFENCE=False)
    api = ApiClient(app.test_client())
    api.edit("Ext page", LINKS + " [[Target page]]")
    api.edit("Ext other", "[http://sub.example.com/z z]")
    api.edit("Target page", "target")
    api.edit("Target redirect", "#REDIRECT [[Target page]]")
    api.edit("Talk:Linker", "[[Target page]]")
    for name in ("Prefix one", "Prefix two", "Prefix three", "Template:Prefix tpl"):
        api.edit(name, "x")
    yield app
    close_app(app)


def v2(app) -> ApiClient:
    return ApiClient(app.test_client(), formatversion=2)


def page(got: dict) -> dict:
    return got["query"]["pages"][0]


def test_extlinks_in_index_order_with_protocol_query_and_continuation(app):
    api = v2(app)
    got = page(api.get(action="query", prop="extlinks", titles="Ext page"))
    assert got["extlinks"] == [
        {"url": "http://www.Example.com/a?x=1"},
        {"url": "//proto.example.net/c"},
        {"url": "https://example.org/b"},
        {"url": "mailto:me@example.com"},
    ]
    https = page(
        api.get(action="query", prop="extlinks", titles="Ext page", elprotocol="https", elexpandurl="1")
    )
    assert https["extlinks"] == [{"url": "http://proto.example.net/c"}, {"url": "https://example.org/b"}]
    assert "extlinks" not in page(
        api.get(action="query", prop="extlinks", titles="Ext page", elquery="example.com")
    )
    wild = page(api.get(action="query", prop="extlinks", titles="Ext page", elquery="*.example.com"))
    assert wild["extlinks"] == [{"url": "http://www.Example.com/a?x=1"}]
    first = api.get(action="query", prop="extlinks", titles="Ext page", ellimit="1")
    assert page(first)["extlinks"] == [{"url": "http://www.Example.com/a?x=1"}]
    cont = first["continue"]["elcontinue"]
    assert "|http://net.example.proto./c|" in cont
    rest = api.get(action="query", prop="extlinks", titles="Ext page", ellimit="10", elcontinue=cont)
    assert [x["url"] for x in page(rest)["extlinks"]][0] == "//proto.example.net/c"
    bad = api.get(action="query", prop="extlinks", titles="Ext page", elcontinue="x")
    assert bad["error"]["code"] == "badcontinue"
    assert (
        api.get(action="query", prop="extlinks", titles="Ext page", elprotocol="gopherz")["error"]["code"]
        == "badvalue"
    )
    # formatversion 1 puts the URL under "*", as MediaWiki's content value (exturlusage keeps "url").
    v1 = ApiClient(app.test_client())
    old = v1.get(action="query", prop="extlinks", titles="Ext page", elprotocol="https")["query"]["pages"]
    assert next(iter(old.values()))["extlinks"] == [
        {"*": "//proto.example.net/c"},
        {"*": "https://example.org/b"},
    ]


def test_exturlusage(app):
    api = v2(app)
    got = api.get(action="query", list="exturlusage", euquery="*.example.com")["query"]["exturlusage"]
    assert [(x["title"], x["url"]) for x in got] == [
        ("Ext page", "http://www.Example.com/a?x=1"),
        ("Ext other", "http://sub.example.com/z"),
    ] or [(x["title"], x["url"]) for x in got] == [
        ("Ext other", "http://sub.example.com/z"),
        ("Ext page", "http://www.Example.com/a?x=1"),
    ]
    assert set(got[0]) == {"pageid", "ns", "title", "url"}
    mail = api.get(action="query", list="exturlusage", euprotocol="mailto")["query"]["exturlusage"]
    assert [x["url"] for x in mail] == ["mailto:me@example.com"]
    walked, cont = [], {}
    while True:
        step = api.get(action="query", list="exturlusage", eulimit="2", **cont)
        walked += [x["url"] for x in step["query"]["exturlusage"]]
        if "continue" not in step:
            break
        cont = {"eucontinue": step["continue"]["eucontinue"]}
    assert len(walked) == 5 and len(set(walked)) == 5  # the protocol-relative link once
    gen = api.get(action="query", generator="exturlusage", geuprotocol="https")
    assert [p["title"] for p in gen["query"]["pages"]] == ["Ext page"]
    # A change of the page's text replaces its rows
    ApiClient(app.test_client()).edit("Ext other", "no links now")
    assert (
        api.get(action="query", list="exturlusage", euquery="sub.example.com")["query"]["exturlusage"] == []
    )


def test_linkshere(app):
    api = v2(app)
    got = page(api.get(action="query", prop="linkshere", titles="Target page"))["linkshere"]
    assert [(x["title"], x["redirect"]) for x in got] == [
        ("Ext page", False),
        ("Target redirect", True),
        ("Talk:Linker", False),
    ]
    assert set(got[0]) == {"pageid", "ns", "title", "redirect"}
    only = page(api.get(action="query", prop="linkshere", titles="Target page", lhshow="redirect"))[
        "linkshere"
    ]
    assert [x["title"] for x in only] == ["Target redirect"]
    talk = page(api.get(action="query", prop="linkshere", titles="Target page", lhnamespace="1"))["linkshere"]
    assert [x["title"] for x in talk] == ["Talk:Linker"]
    walked, cont = [], {}
    while True:
        step = api.get(
            action="query", prop="linkshere", titles="Target page", lhlimit="1", lhprop="title", **cont
        )
        walked += [x["title"] for x in page(step).get("linkshere", [])]
        if "continue" not in step:
            break
        cont = {"lhcontinue": step["continue"]["lhcontinue"]}
    assert walked == ["Ext page", "Target redirect", "Talk:Linker"]
    v1 = ApiClient(app.test_client()).get(
        action="query", prop="linkshere", titles="Target page", lhshow="redirect"
    )
    assert next(iter(v1["query"]["pages"].values()))["linkshere"][0]["redirect"] == ""


def test_prefixsearch(app):
    api = v2(app)
    got = api.get(action="query", list="prefixsearch", pssearch="prefix")["query"]["prefixsearch"]
    assert [x["title"] for x in got] == ["Prefix one", "Prefix three", "Prefix two"]
    assert set(got[0]) == {"ns", "title", "pageid"}
    first = api.get(action="query", list="prefixsearch", pssearch="Prefix", pslimit="2")
    assert [x["title"] for x in first["query"]["prefixsearch"]] == ["Prefix one", "Prefix three"]
    assert first["continue"]["psoffset"] == 2
    rest = api.get(action="query", list="prefixsearch", pssearch="Prefix", pslimit="2", psoffset="2")
    assert [x["title"] for x in rest["query"]["prefixsearch"]] == ["Prefix two"] and "continue" not in rest
    tpl = api.get(action="query", list="prefixsearch", pssearch="Template:Pre")["query"]["prefixsearch"]
    assert tpl == [{"ns": 10, "title": "Template:Prefix tpl", "pageid": tpl[0]["pageid"]}]
    assert api.get(action="query", list="prefixsearch")["error"]["code"] == "missingparam"
    assert api.get(action="query", list="prefixsearch", pssearch="P", pslimit="1000")["warnings"]


def test_parse_revid_gives_revision_variables(app):
    api = v2(app)
    rev = api.get(action="query", prop="revisions", titles="Target page", rvprop="ids|user")
    rev_id = page(rev)["revisions"][0]["revid"]
    got = api.get(
        action="parse",
        title="Target page",
        text="{{REVISIONID}}/{{REVISIONUSER}}",
        revid=str(rev_id),
        prop="text",
    )
    assert f"{rev_id}/127.0.0.1" in got["parse"]["text"]
    by_page = api.get(action="parse", page="Target page", prop="text|revid")
    assert by_page["parse"]["revid"] == rev_id


def test_saved_pages_show_their_revision_variables(app):
    api = v2(app)
    api.edit("Rev vars", "id={{REVISIONID}} user={{REVISIONUSER}}")
    rev_id = page(api.get(action="query", prop="revisions", titles="Rev vars", rvprop="ids"))["revisions"][0][
        "revid"
    ]
    html = app.test_client().get("/wiki/Rev_vars").get_data(as_text=True)
    assert f"id={rev_id} user=127.0.0.1" in html


def test_refresh_extlinks_indexes_pages_saved_before_the_table(app):
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import ExternalLink

        db.session.execute(db.delete(ExternalLink))  # as a wiki upgraded from before migration 0012
        db.session.commit()
    api = v2(app)
    assert "extlinks" not in page(api.get(action="query", prop="extlinks", titles="Ext page"))
    result = app.test_cli_runner().invoke(args=["refresh-extlinks", "--batch", "2"])
    assert result.exit_code == 0 and "External links indexed for" in result.output
    assert len(page(api.get(action="query", prop="extlinks", titles="Ext page"))["extlinks"]) == 4
