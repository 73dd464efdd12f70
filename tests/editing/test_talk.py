"""Talk pages: the Discussion and Add topic tabs, "You have new messages" (browser and API)."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import ApiClient, make_user
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

PASSWORD = "quill-ink-parchment-7"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("talk")
    app = make_app(fresh_database_url(database_template, work), work)
    make_user(app, "Talker", PASSWORD)
    make_user(app, "Visitor", PASSWORD)
    yield app
    close_app(app)


def logged_in(app, name: str) -> ApiClient:
    api = ApiClient(app.test_client())
    assert api.login(name, PASSWORD)["result"] == "Success"
    return api


def test_discussion_tab_is_red_until_the_talk_page_exists_and_add_topic_on_talk_pages(app):
    client = app.test_client()
    ApiClient(client).edit("Talk tabs", "subject")
    html = client.get("/wiki/Talk_tabs").get_data(as_text=True)
    assert re.search(r'<li id="ca-talk"[^>]*><a href="[^"]*action=edit[^"]*" class="new"', html)
    assert 'id="ca-addsection"' not in html
    ApiClient(client).edit("Talk:Talk tabs", "talk")
    html = client.get("/wiki/Talk_tabs").get_data(as_text=True)
    assert re.search(r'<li id="ca-talk"[^>]*><a href="/wiki/Talk:Talk_tabs" class=""', html)
    talk = client.get("/wiki/Talk:Talk_tabs").get_data(as_text=True)
    assert re.search(r'<li id="ca-nstab" class=""><a href="/wiki/Talk_tabs"', talk)
    assert re.search(r'id="ca-addsection"[^>]*><a href="[^"]*action=edit&amp;section=new"', talk)
    help_page = client.get("/wiki/Help:Talk_tabs").get_data(as_text=True)
    assert "Help_talk:Talk_tabs" in help_page


def test_new_messages_until_the_owner_reads_the_talk_page(app):
    talker, visitor = logged_in(app, "Talker"), logged_in(app, "Visitor")
    hasmsg = dict(action="query", meta="userinfo", uiprop="hasmsg", formatversion="2")
    assert talker.get(**hasmsg)["query"]["userinfo"]["messages"] is False
    talker.edit("User talk:Talker", "my own notes")  # your own edit: no bar
    assert talker.get(**hasmsg)["query"]["userinfo"]["messages"] is False
    visitor.edit("User talk:Talker", "Hello ~~~~", section="new", sectiontitle="Hi")
    assert talker.get(**hasmsg)["query"]["userinfo"]["messages"] is True
    assert visitor.get(**hasmsg)["query"]["userinfo"]["messages"] is False
    page = talker.client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'You have <a href="/wiki/User_talk:Talker">new messages</a>' in page
    assert "new messages" not in visitor.client.get("/wiki/Main_Page").get_data(as_text=True)
    assert talker.client.get("/wiki/User_talk:Talker").status_code == 200
    assert talker.get(**hasmsg)["query"]["userinfo"]["messages"] is False
    assert "new messages" not in talker.client.get("/wiki/Main_Page").get_data(as_text=True)


def test_an_address_gets_new_messages_too(app):
    anon, visitor = ApiClient(app.test_client()), logged_in(app, "Visitor")
    visitor.edit("User talk:127.0.0.1", "Please register")
    got = anon.get(action="query", meta="userinfo", uiprop="hasmsg")["query"]["userinfo"]
    assert got["messages"] == "" and got["anon"] == ""
    WikiClient(anon.client).view("User_talk:127.0.0.1")
    assert "messages" not in anon.get(action="query", meta="userinfo", uiprop="hasmsg")["query"]["userinfo"]
