"""import-dump fills the index in a forked process beside the import, through one bulk writer."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.dumps.test_import_batches import _dump
from tests.dumps.test_import_dump import import_dump
from tests.search.test_search_consistency import hits
from wiki.extensions import db
from wiki.models import SearchOutbox
from wiki.search import outbox


def test_imported_pages_are_findable_once_even_when_a_page_comes_twice(app, client, tmp_path, monkeypatch):
    # One outbox row per read: the page's second <page> element reaches the bulk writer after its
    # first one, which must be committed first (a writer cannot replace its own document).
    monkeypatch.setattr(outbox, "BATCH", 1)
    path = tmp_path / "twice.xml"
    pages = [(f"Finch {n}", 0, f"Finch number {n} sings.") for n in range(12)]
    pages.insert(3, ("Twice imported", 0, "The zebrafinch sings early."))
    pages.append(("Twice imported", 0, "The zebrafinch sings later, with a wallcreeper."))
    path.write_text(_dump(pages), encoding="utf-8")
    result = import_dump(app, path)
    assert result.exit_code == 0, result.output
    assert hits(client, "zebrafinch") == ["Twice imported"]
    assert hits(client, "wallcreeper") == ["Twice imported"]
    assert len(hits(client, "finch number")) == 12
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    check = app.test_cli_runner().invoke(args=["check-index", "--dry-run"])
    assert "The index agrees with the database." in check.output, check.output
