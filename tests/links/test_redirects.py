"""Redirects through HTTP: following one hop, redirect=no, double, self, looping and broken redirects."""

import re

from tests.links.conftest import content, html_of, link_class


def test_redirect_shows_target_under_its_title_with_redirected_from(wiki):
    wiki.edit("Target page", "The target text.")
    wiki.edit("Old name", "#REDIRECT [[Target page]]")
    resp = wiki.view("Old_name")
    html = html_of(resp)
    assert resp.status_code == 200
    assert '<h1 id="firstHeading" class="firstHeading">Target page</h1>' in html
    assert "The target text." in content(resp)
    assert "(Redirected from" in html
    assert 'href="/w/index.php?title=Old_name&amp;redirect=no"' in html
    # The address bar shows the target (a script does it; the canonical link says it without one).
    assert 'data-target-url="/wiki/Target_page"' in html
    assert '<link rel="canonical" href="/wiki/Target_page">' in html
    assert re.search(r'<script src="/static/redirect[.\w]*\.js" defer>', html)


def test_redirect_syntax_is_case_insensitive_with_optional_colon(wiki):
    wiki.edit("Target page", "The target text.")
    wiki.edit("Lower", "#redirect: [[target page]]")
    html = html_of(wiki.view("Lower"))
    assert "The target text." in html and "(Redirected from" in html


def test_redirect_fragment_is_handed_to_the_page(wiki):
    wiki.edit("Sections", "Intro\n\n== Second part ==\nBody")
    wiki.edit("To section", "#REDIRECT [[Sections#Second part]]")
    html = html_of(wiki.view("To_section"))
    assert 'data-fragment="Second_part"' in html
    assert 'id="Second_part"' in html


def test_redirect_no_shows_the_redirect_page_itself(wiki):
    wiki.edit("Target page", "The target text.")
    wiki.edit("Old name", "#REDIRECT [[Target page]]")
    resp = wiki.client.get("/w/index.php?title=Old_name&redirect=no")
    html = html_of(resp)
    assert resp.status_code == 200
    assert '<h1 id="firstHeading" class="firstHeading">Old name</h1>' in html
    assert 'class="redirectMsg"' in html and 'href="/wiki/Target_page"' in html
    assert "The target text." not in html
    assert "title=Old_name&amp;action=history" in html and "title=Old_name&amp;action=edit" in html


def test_double_redirect_is_not_followed(wiki):
    wiki.edit("Final", "Final text.")
    wiki.edit("Middle", "#REDIRECT [[Final]]")
    wiki.edit("First", "#REDIRECT [[Middle]]")
    resp = wiki.view("First")
    html = html_of(resp)
    assert resp.status_code == 200
    assert '<h1 id="firstHeading" class="firstHeading">Middle</h1>' in html
    assert "(Redirected from" in html and "title=First&amp;redirect=no" in html
    assert "Final text." not in html
    assert "mw-redirect-note-double" in html and "only one redirect is followed" in html
    double = html_of(wiki.client.get("/wiki/Special:DoubleRedirects"))
    assert re.search(r">First</a>.*>Middle</a>.*>Final</a>", double, re.S)


def test_redirect_to_itself_shows_the_redirect_page(wiki):
    wiki.edit("Selfish", "#REDIRECT [[Selfish]]")
    resp = wiki.view("Selfish")
    html = html_of(resp)
    assert resp.status_code == 200
    assert '<h1 id="firstHeading" class="firstHeading">Selfish</h1>' in html
    assert "(Redirected from" not in html and "redirects to itself" in html


def test_redirect_loop_stops_after_one_hop(wiki):
    wiki.edit("Ping", "#REDIRECT [[Pong]]")
    wiki.edit("Pong", "#REDIRECT [[Ping]]")
    html = html_of(wiki.view("Ping"))
    assert '<h1 id="firstHeading" class="firstHeading">Pong</h1>' in html
    assert "mw-redirect-note-double" in html


def test_redirect_to_missing_page_shows_redirect_page_with_red_link(wiki):
    wiki.edit("Dangling", "#REDIRECT [[Nowhere yet]]")
    resp = wiki.view("Dangling")
    html = html_of(resp)
    assert resp.status_code == 200
    assert '<h1 id="firstHeading" class="firstHeading">Dangling</h1>' in html
    assert link_class(html, "Nowhere yet") == "new"
    assert "title=Nowhere_yet&amp;action=edit&amp;redlink=1" in html
    broken = html_of(wiki.client.get("/wiki/Special:BrokenRedirects"))
    assert ">Dangling</a>" in broken and link_class(broken, "Nowhere yet") == "new"
    wiki.edit("Nowhere yet", "Now it exists.")
    assert "Now it exists." in html_of(wiki.view("Dangling"))
    assert ">Dangling</a>" not in html_of(wiki.client.get("/wiki/Special:BrokenRedirects"))


def test_list_redirects_shows_each_redirect_and_its_target(wiki):
    wiki.edit("Target page", "x")
    wiki.edit("Alias one", "#REDIRECT [[Target page]]")
    wiki.edit("Alias two", "#REDIRECT [[Missing target]]")
    html = html_of(wiki.client.get("/wiki/Special:ListRedirects"))
    assert re.search(r">Alias one</a> → <a href=\"/wiki/Target_page\"", html)
    assert link_class(html, "Missing target") == "new"
    assert html_of(wiki.client.get("/wiki/Special:ListRedirects?limit=1")).count("</li>") >= 1
    assert wiki.client.get("/wiki/Special:ListRedirects?limit=0").status_code == 400


def test_editing_a_redirect_into_an_article_stops_redirecting(wiki):
    wiki.edit("Target page", "x")
    wiki.edit("Turncoat", "#REDIRECT [[Target page]]")
    wiki.edit("Turncoat", "Now a real article.")
    html = html_of(wiki.view("Turncoat"))
    assert "Now a real article." in html and "(Redirected from" not in html
    assert ">Turncoat</a>" not in html_of(wiki.client.get("/wiki/Special:ListRedirects"))


def test_following_a_redirect_costs_two_indexed_queries_more_than_a_direct_link(app, wiki):
    import threading

    from sqlalchemy import event

    from wiki.extensions import db

    wiki.edit("Target page", "The target text with [[a link]].")
    wiki.edit("Shortcut", "#REDIRECT [[Target page]]")
    statements: list[str] = []

    def count(url: str) -> int:
        wiki.view(url)  # warm the parser cache
        statements.clear()
        assert wiki.view(url).status_code == 200
        return len(statements)

    with app.app_context():
        engine = db.engine
    me = threading.get_ident()  # the search indexer's thread queries too: not part of the request

    def record(_conn, _cursor, statement, *_args):
        if threading.get_ident() == me:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        direct, redirected = count("Target_page"), count("Shortcut")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert redirected <= direct + 2, (direct, redirected)
