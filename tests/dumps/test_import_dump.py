"""import-dump with a dump written by the real MediaWiki 1.39 (tests/fixtures/mediawiki_dump.xml,
made by bench/dump_roundtrip.py with dumpBackup.php --full), and with broken files."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import mwxml
import pytest

from tests.api.helpers import ApiClient

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mediawiki_dump.xml"


def mediawiki_revisions() -> dict[str, list[dict]]:
    """The oracle: every revision of the fixture as mwxml reads it."""
    out = {}
    with open(FIXTURE, "rb") as fh:
        for page in mwxml.Dump.from_file(fh):
            prefix = {1: "Talk:", 10: "Template:", 14: "Category:"}.get(page.namespace, "")
            title = page.title if page.title.startswith(prefix) else prefix + page.title
            out[title] = [
                {
                    "timestamp": str(r.timestamp),
                    "user": r.user.text,
                    "comment": r.comment or "",
                    "minor": bool(r.minor),
                    "text": r.text or "",
                }
                for r in page
            ]
    return out


def our_revisions(api: ApiClient, title: str) -> list[dict]:
    data = api.get(
        action="query",
        titles=title,
        prop="revisions",
        rvprop="content|timestamp|user|comment|flags",
        rvslots="main",
        rvlimit="max",
        rvdir="newer",
        formatversion="2",
    )
    page = data["query"]["pages"][0]
    return [
        {
            "timestamp": r["timestamp"],
            "user": r["user"],
            "comment": r["comment"],
            "minor": r.get("minor", False),
            "text": r["slots"]["main"]["content"],
        }
        for r in page.get("revisions", [])
    ]


def import_dump(app, path, *extra):
    return app.test_cli_runner().invoke(args=["import-dump", "--quiet", *extra, str(path)])


def test_mediawiki_dump_imports_with_every_revision_intact(app, client):
    result = import_dump(app, FIXTURE)
    assert result.exit_code == 0, result.output
    want = mediawiki_revisions()
    assert sum(len(v) for v in want.values()) == 9
    api = ApiClient(client)
    for title, revisions in want.items():
        assert our_revisions(api, title) == revisions, title


def test_an_import_adds_nothing_to_recent_changes_or_the_log(app, client):
    """As MediaWiki's importDump.php: revisions come in with their own dates and authors, without
    recent-changes rows or log entries (rebuild-recentchanges lists them afterwards)."""
    api = ApiClient(client)
    before = api.get(action="query", list="recentchanges", rclimit="max")["query"]["recentchanges"]
    logged = api.get(action="query", list="logevents", lelimit="max")["query"]["logevents"]
    assert import_dump(app, FIXTURE).exit_code == 0
    assert api.get(action="query", list="recentchanges", rclimit="max")["query"]["recentchanges"] == before
    assert api.get(action="query", list="logevents", lelimit="max")["query"]["logevents"] == logged
    # The fixture's revisions are of March 2024: past the 90 days of $wgRCMaxAge, the rebuild
    # (as rebuildrecentchanges.php) leaves them out; kept forever (0), it lists them.
    for max_age, listed in ((90, False), (0, True)):
        app.config["WIKI_RC_MAX_AGE_DAYS"] = max_age
        result = app.test_cli_runner().invoke(args=["rebuild-recentchanges"])
        assert result.exit_code == 0, result.output
        rebuilt = api.get(
            action="query", list="recentchanges", rclimit="max", rcdir="newer", rcprop="title|user"
        )
        titles = {rc["title"] for rc in rebuilt["query"]["recentchanges"]}
        assert (set(mediawiki_revisions()) <= titles) is listed
        assert bool(set(mediawiki_revisions()) & titles) is listed


def test_imported_pages_have_links_categories_redirects_and_search(app, client):
    assert import_dump(app, FIXTURE).exit_code == 0
    api = ApiClient(client)
    backlinks = api.get(action="query", list="backlinks", bltitle="Beta")["query"]["backlinks"]
    assert [b["title"] for b in backlinks] == ["Dump fixture Alpha"]
    members = api.get(action="query", list="categorymembers", cmtitle="Category:Dump fixture")["query"]
    assert [m["title"] for m in members["categorymembers"]] == ["Dump fixture Alpha"]
    info = api.get(action="query", titles="Dump fixture Redirect", redirects="1")["query"]
    assert info["redirects"] == [{"from": "Dump fixture Redirect", "to": "Dump fixture Alpha"}]
    hits = api.get(action="query", list="search", srsearch="Ελληνικά", srwhat="text")["query"]["search"]
    assert [h["title"] for h in hits] == ["Dump fixture Ünïcødé 日本語"]
    assert "box" in client.get("/wiki/Dump_fixture_Alpha").get_data(as_text=True)  # the template is used


def test_reimport_skips_revisions_already_present(app, client):
    first = import_dump(app, FIXTURE)
    assert "Imported 9 revisions into 6 pages" in first.output
    second = import_dump(app, FIXTURE)
    assert second.exit_code == 0
    assert (
        "Imported 0 revisions into 0 pages; 6 pages unchanged, 9 revisions already present" in second.output
    )
    api = ApiClient(client)
    assert len(our_revisions(api, "Dump fixture Alpha")) == 3


def test_reimport_adds_only_the_new_revisions_of_a_longer_dump(app, client, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    shorter = tmp_path / "shorter.xml"
    cut = text.index("<revision>", text.index("<revision>", text.index("<revision>") + 1) + 1)
    page_end = text.index("</page>", cut)
    shorter.write_text(
        text[:cut] + text[text.index("</revision>", cut) + len("</revision>") : page_end] + text[page_end:]
    )
    assert "Imported 8 revisions" in import_dump(app, shorter).output
    assert "Imported 1 revisions into 1 pages" in import_dump(app, FIXTURE).output
    assert (
        our_revisions(ApiClient(client), "Dump fixture Alpha") == mediawiki_revisions()["Dump fixture Alpha"]
    )


def _pages_present(client) -> list[str]:
    data = ApiClient(client).get(action="query", list="allpages", aplimit="max", apnamespace="0")
    return [p["title"] for p in data["query"]["allpages"]]


def test_malformed_xml_stops_with_line_and_page_and_keeps_earlier_pages(app, client, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    third = text.index("<page>", text.index("<page>", text.index("<page>") + 1) + 1)
    broken = text[:third] + text[third:].replace("</comment>", "</coment>", 1)
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    result = import_dump(app, path)
    assert result.exit_code != 0
    assert "malformed XML (line" in result.output
    assert 'in page "Template:Dump fixture Box" (not imported' in result.output
    api = ApiClient(client)
    assert len(our_revisions(api, "Dump fixture Alpha")) == 3
    assert len(our_revisions(api, "Talk:Dump fixture Alpha")) == 1
    assert our_revisions(api, "Template:Dump fixture Box") == []


@pytest.mark.parametrize("opener", [gzip.compress, bz2.compress], ids=["gz", "bz2"])
def test_truncated_compressed_dump_stops_with_position_and_leaves_no_half_page(app, client, tmp_path, opener):
    data = opener(FIXTURE.read_bytes())
    suffix = ".xml.gz" if opener is gzip.compress else ".xml.bz2"
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[: len(data) - 200])
    result = import_dump(app, path)
    assert result.exit_code != 0
    assert "the compressed file is truncated" in result.output
    assert f"byte {len(data) - 200:,} of {len(data) - 200:,} (compressed bytes)" in result.output
    api = ApiClient(client)
    for title, revisions in mediawiki_revisions().items():  # each page is complete, or absent
        assert our_revisions(api, title) in ([], revisions), title


def test_complete_gzip_and_bz2_dumps_import(app, client, tmp_path):
    path = tmp_path / "dump.xml.bz2"
    path.write_bytes(bz2.compress(FIXTURE.read_bytes()))
    assert import_dump(app, path).exit_code == 0
    assert len(_pages_present(client)) == 3


def test_unknown_namespace_stops_naming_the_page(app, client, tmp_path):
    path = tmp_path / "ns.xml"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("<ns>1</ns>", "<ns>100</ns>"), encoding="utf-8"
    )
    result = import_dump(app, path)
    assert result.exit_code != 0
    assert 'page "Talk:Dump fixture Alpha" cannot be imported: unknown namespace 100' in result.output
    assert "byte " in result.output
    assert _pages_present(client) == ["Dump fixture Alpha"]


def test_continue_on_error_skips_the_bad_page_and_reports_it(app, client, tmp_path):
    path = tmp_path / "ns.xml"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("<ns>1</ns>", "<ns>100</ns>"), encoding="utf-8"
    )
    result = import_dump(app, path, "--continue-on-error")
    assert result.exit_code == 0, result.output
    assert "Skipped page 'Talk:Dump fixture Alpha': unknown namespace 100" in result.output
    assert "Imported 8 revisions into 5 pages" in result.output
    assert len(_pages_present(client)) == 3


def test_missing_file_is_a_clear_error(app, tmp_path):
    result = import_dump(app, tmp_path / "nope.xml")
    assert result.exit_code != 0
    assert "nope.xml" in result.output and "Traceback" not in result.output
