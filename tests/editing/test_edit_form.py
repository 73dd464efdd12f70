"""The edit form's notices, the post-save notice, redirects after saving, the page creation log."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient, make_user
from tests.conftest import close_app, fresh_database_url, make_app
from tests.helpers import WikiClient

PASSWORD = "quill-ink-parchment-7"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("editform")
    app = make_app(fresh_database_url(database_template, work), work)
    make_user(app, "Former", PASSWORD)
    yield app
    close_app(app)


def test_anonymous_editors_are_told_their_address_is_published(app):
    client = app.test_client()
    html = client.get("/w/index.php?title=Form_page&action=edit").get_data(as_text=True)
    assert "Your IP address will be publicly visible if you make any edits" in html
    assert "Special:UserLogin&amp;returnto=Form+page&amp;returntoquery=action%3Dedit" in html
    assert "Special:CreateAccount&amp;returnto=Form+page" in html
    assert 'id="editpage-copywarn"' in html and "Creative Commons" in html
    assert 'id="wpMinoredit"' in html and "This is a minor edit" in html
    wiki = WikiClient(app.test_client())
    wiki.login("Former", PASSWORD, create=False)
    html = wiki.client.get("/w/index.php?title=Form_page&action=edit").get_data(as_text=True)
    assert "publicly visible" not in html and 'id="editpage-copywarn"' in html


def test_your_edit_was_saved_once(app):
    wiki = WikiClient(app.test_client())
    resp = wiki.edit("Saved notice", "first")
    assert resp.status_code == 303
    first = wiki.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "The page has been created." in first
    again = wiki.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "has been created" not in again and "Your edit was saved" not in again
    wiki.edit("Saved notice", "second")
    assert "Your edit was saved." in wiki.client.get("/wiki/Saved_notice").get_data(as_text=True)


def test_saving_a_redirect_shows_the_redirect_page(app):
    wiki = WikiClient(app.test_client())
    wiki.edit("Redirect target", "target")
    resp = wiki.edit("Saved redirect", "#REDIRECT [[Redirect target]]")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("title=Saved_redirect&redirect=no")
    html = wiki.client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Redirect target" in html and "redirectMsg" in html


def test_page_creation_is_logged(app):
    api = ApiClient(app.test_client())
    api.edit("Logged creation", "one", summary="made it")
    api.edit("Logged creation", "two")
    WikiClient(app.test_client()).edit("Logged browser creation", "x")
    got = api.get(action="query", list="logevents", letype="create", formatversion="2")["query"]["logevents"]
    titles = [e["title"] for e in got]
    assert titles.count("Logged creation") == 1 and "Logged browser creation" in titles
    entry = next(e for e in got if e["title"] == "Logged creation")
    assert entry["type"] == "create" and entry["action"] == "create" and entry["comment"] == "made it"
    html = app.test_client().get("/wiki/Special:Log/create").get_data(as_text=True)
    assert "created page" in html and "Logged creation" in html
