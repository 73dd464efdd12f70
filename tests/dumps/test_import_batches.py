"""import-dump commits pages in batches: results must be the same as page-by-page imports."""

from __future__ import annotations

import pytest

from tests.api.helpers import ApiClient
from tests.dumps.test_import_dump import FIXTURE, import_dump, mediawiki_revisions, our_revisions
from wiki.dumps import import_ as importing


def _split_first_page(text: str) -> str:
    """The fixture with its first page's history in two <page> elements, the second one last."""
    start = text.index("<page>")
    end = text.index("</page>", start) + len("</page>")
    page = text[start:end]
    first_rev = page.index("<revision>")
    second_rev = page.index("<revision>", page.index("</revision>", first_rev))
    head, early, late = page[:first_rev], page[first_rev:second_rev], page[second_rev:]
    closing = text.rindex("</mediawiki>")
    return text[:start] + head + early + "</page>\n" + text[end:closing] + head + late + "\n" + text[closing:]


@pytest.mark.parametrize("batch", [2, 200])
def test_a_history_split_over_two_page_elements_imports_whole(app, client, tmp_path, monkeypatch, batch):
    monkeypatch.setattr(importing, "BATCH_PAGES", batch)
    path = tmp_path / "split.xml"
    path.write_text(_split_first_page(FIXTURE.read_text(encoding="utf-8")), encoding="utf-8")
    result = import_dump(app, path)
    assert result.exit_code == 0, result.output
    api = ApiClient(client)
    for title, revisions in mediawiki_revisions().items():
        assert our_revisions(api, title) == revisions, title
    again = import_dump(app, path)
    assert "Imported 0 revisions into 0 pages; 7 pages unchanged" in again.output


def test_a_bad_page_in_a_batch_keeps_the_batch_pages_before_it(app, client, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_PAGES", 3)  # Redirect waits in the batch
    path = tmp_path / "bad.xml"
    text = FIXTURE.read_text(encoding="utf-8")
    path.write_text(text.replace("<ns>14</ns>", "<ns>100</ns>"), encoding="utf-8")
    result = import_dump(app, path)
    assert result.exit_code != 0
    assert 'page "Category:Dump fixture" cannot be imported: unknown namespace 100' in result.output
    api = ApiClient(client)
    assert len(our_revisions(api, "Dump fixture Alpha")) == 3
    assert len(our_revisions(api, "Dump fixture Redirect")) == 1
    assert our_revisions(api, "Category:Dump fixture") == []
    assert our_revisions(api, "Dump fixture Ünïcødé 日本語") == []
