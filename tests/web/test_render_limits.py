"""Render limits through the app: a page over a limit is saved, and viewing it shows MediaWiki's
limit error and tracking category instead of megabytes of HTML."""

import pytest

from tests.conftest import close_app, make_app
from tests.helpers import WikiClient
from tests.links.conftest import content, html_of


@pytest.fixture
def untimed(database_url, instance_dir):
    """The wiki without a render time budget: the size limits alone, whatever the machine's load."""
    app = make_app(database_url, instance_dir, WIKI_RENDER_TIME_LIMIT=None)
    yield WikiClient(app.test_client())
    close_app(app)


def test_page_over_the_html_limit_shows_the_limit_error_and_category(untimed):
    wiki = untimed
    wiki.edit("Template:H", "=a=\n" * 100)
    resp = wiki.edit("Many headings", "{{H}}" * 2_000)
    assert resp.status_code in (200, 302, 303)
    view = wiki.view("Many_headings")
    body = content(view)
    assert view.status_code == 200
    assert '<strong class="error">This page would render to more than' in body
    assert "<h1>" not in body and len(body) < 50_000
    assert "Pages where the HTML size limit is exceeded" in html_of(view)


def test_page_over_the_include_size_shows_mediawikis_category_and_keeps_its_text(untimed):
    wiki = untimed
    wiki.edit("Template:Big", "word " * 100_000)
    wiki.edit("Big user", "Intro. " + "{{Big}}" * 6)
    view = wiki.view("Big_user")
    body = content(view)
    assert "Intro." in body and body.count("word word") > 1000
    assert "<!-- WARNING: template omitted, post-expand include size too large -->" in body
    assert "Pages where template include size is exceeded" in html_of(view)


def test_nested_int_stays_small_through_the_app(wiki):
    text = "x"
    for _ in range(40):
        text = "{{int:" + text + "}}"
    wiki.edit("Nested int", text)
    view = wiki.view("Nested_int")
    assert view.status_code == 200 and len(content(view)) < 20_000


def test_a_render_out_of_time_shows_the_error_and_is_not_kept(database_url, instance_dir):
    from wiki.extensions import db
    from wiki.models import Page, ParserCache

    app = make_app(database_url, instance_dir, WIKI_RENDER_TIME_LIMIT=0.0)  # every budget is spent
    try:
        wiki = WikiClient(app.test_client())
        wiki.edit("Long list", "* item\n" * 5_000)
        body = content(wiki.view("Long_list"))
        assert "longer than 0 seconds to render (the render time limit)" in body
        assert "<li>" not in body
        with app.app_context():
            page = db.session.scalar(db.select(Page).where(Page.title == "Long_list"))
            assert db.session.get(ParserCache, page.id) is None
    finally:
        close_app(app)
