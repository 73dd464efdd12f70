"""action=info, Special:Statistics, meta=siteinfo&siprop=statistics and Special:Version."""

from __future__ import annotations

import re

import pytest

from tests.api.helpers import ApiClient, make_user
from tests.conftest import close_app, fresh_database_url, make_app

PASSWORD = "quill-ink-parchment-7"


@pytest.fixture(scope="module")
def app(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("info")
    app = make_app(fresh_database_url(database_template, work), work)
    make_user(app, "Chief", PASSWORD, groups="sysop")
    make_user(app, "Writer", PASSWORD)
    chief = ApiClient(app.test_client())
    assert chief.login("Chief", PASSWORD)["result"] == "Success"
    chief.edit("Template:Infobox", "box")
    chief.edit("Info page", "Links to [[Other]] {{Infobox}}")
    writer = ApiClient(app.test_client())
    assert writer.login("Writer", PASSWORD)["result"] == "Success"
    writer.edit("Info page", "Links to [[Other]] {{Infobox}} more")
    chief.edit("Info redirect", "#REDIRECT [[Info page]]")
    chief.edit("Talk:Info page", "talk")
    chief.post(action="protect", title="Info page", protections="edit=sysop", token=chief.token())
    yield app
    close_app(app)


def row(html: str, row_id: str) -> str:
    match = re.search(
        rf'<tr id="{row_id}"><td>[^<]*(?:<div[^>]*>[^<]*</div>)?</td><td>(.*?)</td></tr>', html, re.S
    )
    assert match, row_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_page_information(app):
    client = app.test_client()
    resp = client.get("/w/index.php?title=Info_page&action=info")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'Information for "Info page"' in html
    assert row(html, "mw-pageinfo-length") == str(len("Links to [[Other]] {{Infobox}} more"))
    assert row(html, "mw-pageinfo-redirects") == "1"
    assert row(html, "mw-pageinfo-firstuser") == "Chief" and row(html, "mw-pageinfo-lastuser") == "Writer"
    assert row(html, "mw-pageinfo-edits") == "2"
    assert row(html, "mw-pageinfo-authors") == "2"
    assert row(html, "mw-restriction-edit").startswith("Allow only administrators")
    assert row(html, "mw-restriction-move") == "Allow all users"
    assert "Template:Infobox" in row(html, "mw-pageinfo-templates")
    assert 'id="mw-pageinfo-watchers"' in html
    assert client.get("/w/index.php?title=No_such_info&action=info").status_code == 404
    assert 'id="t-info"' in client.get("/wiki/Info_page").get_data(as_text=True)


def test_statistics_page_and_api_agree(app):
    client = app.test_client()
    got = ApiClient(client, formatversion=2).get(action="query", meta="siteinfo", siprop="statistics")
    stats = got["query"]["statistics"]
    assert list(stats) == ["pages", "articles", "edits", "images", "users", "activeusers", "admins", "jobs"]
    assert stats["pages"] == 4 and stats["articles"] == 1  # the redirect, template and talk page are not
    assert stats["users"] == 2 and stats["admins"] == 1 and stats["activeusers"] == 2
    assert stats["edits"] >= 5
    html = client.get("/wiki/Special:Statistics").get_data(as_text=True)
    assert re.search(r'mw-statistics-articles">.*?<td class="mw-statistics-numbers">1</td>', html)
    assert re.search(r'mw-statistics-pages">.*?<td class="mw-statistics-numbers">4</td>', html)
    assert re.search(
        rf'mw-statistics-edits">.*?<td class="mw-statistics-numbers">{stats["edits"]}</td>', html
    )
    assert re.search(r'statistics-group-sysop">.*?<td class="mw-statistics-numbers">1</td>', html)


def test_version_lists_the_software(app):
    html = app.test_client().get("/wiki/Special:Version").get_data(as_text=True)
    assert 'id="sv-software"' in html
    for name in ("wikimill", "Python", "Flask", "SQLAlchemy", "mwparserfromhell"):
        assert f"<td>{name}</td>" in html
    assert "<td>SQLite</td>" in html or "<td>PostgreSQL</td>" in html
