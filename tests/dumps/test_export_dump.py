"""export-dump and Special:Export write MediaWiki's XML (schema 0.11) that import-dump reads back."""

from __future__ import annotations

import gzip
import io
import re

import mwxml

from tests.api.helpers import ApiClient, make_user


def _history(app, client):
    """A small wiki: two accounts, an anonymous edit, a minor edit, a talk page, a redirect."""
    make_user(app, "Writer", "exports-all-pages-1")
    api = ApiClient(client)
    api.edit("Exported page", "First <text> & more", summary="start <here>")
    assert api.login("Writer", "exports-all-pages-1")["result"] == "Success"
    api.edit("Exported page", "Second text\n\n* list", summary="second", minor="1")
    api.edit("Talk:Exported page", "Talk text", summary="talk")
    api.edit("Exported redirect", "#REDIRECT [[Exported page]]", summary="redirect")
    return api


def _read(data: bytes) -> dict[str, list]:
    dump = mwxml.Dump.from_file(io.BytesIO(data))
    return {
        p.title: [(r.user.text, r.comment, bool(r.minor), r.text, r.sha1 is not None) for r in p]
        for p in dump
    }


def test_full_history_export_is_mediawiki_xml_with_every_revision(app, client, tmp_path):
    _history(app, client)
    out = tmp_path / "dump.xml.gz"
    result = app.test_cli_runner().invoke(args=["export-dump", "--full-history", str(out)])
    assert result.exit_code == 0, result.output
    data = gzip.decompress(out.read_bytes())
    assert b'<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"' in data
    assert b'version="0.11"' in data and b"<model>wikitext</model>" in data
    pages = _read(data)
    assert pages["Exported page"] == [
        ("127.0.0.1", "start <here>", False, "First <text> & more", True),
        ("Writer", "second", True, "Second text\n\n* list", True),
    ]
    assert pages["Talk:Exported page"] == [("Writer", "talk", False, "Talk text", True)]
    assert b'<redirect title="Exported page" />' in data
    assert b"<ip>127.0.0.1</ip>" in data and b"<username>Writer</username>" in data


def test_current_only_export_of_one_namespace(app, client, tmp_path):
    _history(app, client)
    out = tmp_path / "talk.xml"
    result = app.test_cli_runner().invoke(args=["export-dump", "--namespace", "1", str(out)])
    assert result.exit_code == 0, result.output
    assert list(_read(out.read_bytes())) == ["Talk:Exported page"]
    out = tmp_path / "main.xml.bz2"
    assert app.test_cli_runner().invoke(args=["export-dump", "--namespace", "0", str(out)]).exit_code == 0
    import bz2

    pages = _read(bz2.decompress(out.read_bytes()))
    assert len(pages["Exported page"]) == 1 and pages["Exported page"][0][3] == "Second text\n\n* list"


def test_export_then_import_into_another_wiki_keeps_every_revision(app, client, tmp_path, database_template):
    _history(app, client)
    out = tmp_path / "dump.xml"
    assert app.test_cli_runner().invoke(args=["export-dump", "--full-history", str(out)]).exit_code == 0
    import shutil

    from wiki import create_app

    if not database_template.startswith("postgresql"):
        other_db = tmp_path / "other.db"
        shutil.copy(database_template, other_db)
        other = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{other_db}",
                "WIKI_INSTANCE_DIR": str(tmp_path / "other"),
                "WIKI_INDEX_DIR": str(tmp_path / "other" / "search"),
            }
        )
        result = other.test_cli_runner().invoke(args=["import-dump", "--quiet", str(out)])
        assert "Imported 4 revisions into 3 pages" in result.output, result.output
        again = tmp_path / "again.xml"
        assert (
            other.test_cli_runner().invoke(args=["export-dump", "--full-history", str(again)]).exit_code == 0
        )
        assert _read(again.read_bytes()) == _read(out.read_bytes())
        with other.app_context():
            from wiki.extensions import db

            db.session.remove()
            db.engine.dispose()


def test_special_export_form_and_download(app, client):
    _history(app, client)
    form = client.get("/wiki/Special:Export")
    assert form.status_code == 200
    assert 'name="pages"' in form.get_data(as_text=True) and 'name="curonly"' in form.get_data(as_text=True)
    resp = client.post(
        "/w/index.php?title=Special:Export&action=submit",
        data={"pages": "Exported page\nNo such page", "curonly": "1", "history": "1", "wpDownload": "1"},
    )
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/xml")
    assert "attachment" in resp.headers["Content-Disposition"]
    assert [len(v) for v in _read(resp.data).values()] == [1]
    full = client.post(
        "/w/index.php?title=Special:Export&action=submit", data={"pages": "Exported page", "history": "1"}
    )
    assert [len(v) for v in _read(full.data).values()] == [2]
    one = client.get("/wiki/Special:Export/Talk:Exported_page")
    assert list(_read(one.data)) == ["Talk:Exported page"]


def test_special_export_adds_the_pages_of_a_category_and_templates(app, client):
    api = ApiClient(client)
    api.edit("Template:Exported box", "box")
    api.edit("Member one", "x {{Exported box}} [[Category:Exports]]")
    with_templates = client.post(
        "/w/index.php?title=Special:Export&action=submit", data={"pages": "Member one", "templates": "1"}
    )
    assert list(_read(with_templates.data)) == ["Member one", "Template:Exported box"]
    html = client.post(
        "/w/index.php?title=Special:Export&action=submit",
        data={"catname": "Exports", "addcat": "1", "pages": ""},
    ).get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*Member one", html)


def test_special_export_of_nothing_existing_says_so(app, client):
    resp = client.post("/w/index.php?title=Special:Export&action=submit", data={"pages": "Nope\n[[bad]]"})
    assert resp.status_code == 400
    assert "None of the titles given is an existing page" in resp.get_data(as_text=True)
