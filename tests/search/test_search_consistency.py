"""The index follows the database: saves become findable, a busy writer lock never fails a save,
check-index repairs damage, reindex swaps, and a missing or corrupt index is rebuilt while pages serve."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from pathlib import Path

from tests.helpers import WikiClient


def hits(client, query: str) -> list[str]:
    resp = client.get(
        "/w/index.php", query_string={"title": "Special:Search", "search": query, "fulltext": "1"}
    )
    html = resp.get_data(as_text=True)
    return re.findall(r'<div class="mw-search-result-heading"><a [^>]*title="([^"]+)"', html)


def wait_for(predicate, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not true within {timeout} s")


def index_dir(app) -> Path:
    return Path(app.config["WIKI_INDEX_DIR"])


def test_saved_page_is_findable_within_two_seconds(wiki: WikiClient):
    wiki.client.get("/wiki/Special:Search")  # starts the indexer, which builds the empty index
    wait_for(lambda: (index_dir(wiki.client.application) / "CURRENT").exists())
    started = time.monotonic()
    assert wiki.edit("Quokka facts", "The quokka is a small marsupial.").status_code == 303
    wait_for(lambda: hits(wiki.client, "quokka") == ["Quokka facts"], timeout=2.0)
    assert time.monotonic() - started < 2.0
    wiki.edit("Quokka facts", "Renamed the animal to wallaby.")
    wait_for(lambda: hits(wiki.client, "wallaby") == ["Quokka facts"], timeout=2.0)
    assert hits(wiki.client, "quokka") == ["Quokka facts"]  # the title still matches, once
    assert hits(wiki.client, "marsupial") == []


def test_a_held_writer_lock_never_fails_a_save_and_the_update_waits(wiki: WikiClient, app):
    wiki.client.get("/wiki/Special:Search")
    wait_for(lambda: (index_dir(app) / "CURRENT").exists())
    fd = os.open(index_dir(app) / "writer.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another process is writing the index
    try:
        started = time.monotonic()
        assert wiki.edit("Numbat", "A numbat eats termites.").status_code == 303
        assert time.monotonic() - started < 1.0
        time.sleep(0.3)
        assert hits(wiki.client, "numbat") == []
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    wait_for(lambda: hits(wiki.client, "numbat") == ["Numbat"], timeout=3.0)


def test_check_index_repairs_missing_stale_and_extra_documents(wiki: WikiClient, app):
    for name in ("Alpha page", "Beta page", "Gamma page"):
        wiki.edit(name, f"{name} mentions the okapi.")
    wait_for(lambda: len(hits(wiki.client, "okapi")) == 3)
    idx = app.extensions["wiki.search"]
    with app.app_context():
        from wiki.search.base import Document

        ids = {name: page_id for page_id, name in _titles(app).items()}
        stale = Document(ids["Beta page"], 1, 0, "Beta page", "Beta page", "an outdated text")
        extra = Document(99999, 1, 0, "Ghost page", "Ghost page", "the okapi ghost")
        with idx.exclusive(wait=True):
            idx.update([stale, extra], deleted=[ids["Alpha page"]])
    assert sorted(hits(wiki.client, "okapi")) == ["Gamma page", "Ghost page"]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-index"])
    assert result.exit_code == 0, result.output
    assert "3 pages: 1 missing, 1 stale, 1 extra documents." in result.output
    assert "Repaired 3 documents." in result.output
    assert sorted(hits(wiki.client, "okapi")) == ["Alpha page", "Beta page", "Gamma page"]
    again = runner.invoke(args=["check-index"])
    assert "The index agrees with the database." in again.output


def _titles(app) -> dict[int, str]:
    from wiki.extensions import db
    from wiki.models import Page

    return {p.id: p.title.replace("_", " ") for p in db.session.scalars(db.select(Page))}


def test_reindex_builds_a_new_generation_and_swaps_it_in(wiki: WikiClient, app):
    wiki.edit("Wombat", "A wombat digs burrows.")
    wait_for(lambda: hits(wiki.client, "wombat") == ["Wombat"])
    before = (index_dir(app) / "CURRENT").read_text()
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert re.search(r"Indexed 1 pages in [\d.]+ s", result.output)
    assert (index_dir(app) / "CURRENT").read_text() != before
    assert hits(wiki.client, "wombat") == ["Wombat"]


def test_missing_index_serves_pages_says_rebuilding_and_is_rebuilt(wiki: WikiClient, app):
    wiki.edit("Bilby", "The bilby has long ears.")
    wait_for(lambda: hits(wiki.client, "bilby") == ["Bilby"])
    shutil.rmtree(index_dir(app))
    assert wiki.view("Bilby").status_code == 200
    resp = wiki.client.get("/wiki/Special:Search", query_string={"search": "bilby", "fulltext": "1"})
    assert resp.status_code in (200, 503)
    if resp.status_code == 503:
        assert "The search index is being rebuilt" in resp.get_data(as_text=True)
    wait_for(lambda: hits(wiki.client, "bilby") == ["Bilby"], timeout=10.0)


def test_corrupt_index_is_rebuilt_while_pages_serve(wiki: WikiClient, app):
    wiki.edit("Dingo", "The dingo is a wild dog.")
    wait_for(lambda: hits(wiki.client, "dingo") == ["Dingo"])
    live = index_dir(app) / (index_dir(app) / "CURRENT").read_text().strip()
    for toc in live.glob("*.toc"):
        toc.write_bytes(b"\x00garbage" * 10)
    for seg in live.glob("*.seg"):
        seg.write_bytes(b"\x00garbage")
    app.extensions["wiki.search"].store.forget()  # as a fresh worker would open it
    assert wiki.view("Dingo").status_code == 200
    # Title suggestions fall back to the page table while the index cannot be read.
    got = wiki.client.get("/w/api.php?action=opensearch&search=Din&namespace=0&format=json")
    assert got.status_code == 200 and got.get_json()[1] == ["Dingo"], got.get_data(as_text=True)[:300]
    resp = wiki.client.get("/wiki/Special:Search", query_string={"search": "dingo", "fulltext": "1"})
    assert resp.status_code in (200, 503)
    wait_for(lambda: hits(wiki.client, "dingo") == ["Dingo"], timeout=10.0)
