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


def _dump(pages: list[tuple[str, int, str]]) -> str:
    body = "".join(
        f"<page><title>{title}</title><ns>{ns}</ns><id>{n}</id><revision><id>{n}</id>"
        "<timestamp>2024-01-01T00:00:00Z</timestamp><contributor><username>Dumper</username>"
        "<id>1</id></contributor><model>wikitext</model><format>text/x-wiki</format>"
        f'<text xml:space="preserve">{text}</text></revision></page>\n'
        for n, (title, ns, text) in enumerate(pages, start=1)
    )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="en">'
        '<siteinfo><sitename>X</sitename><namespaces><namespace key="0" case="first-letter" />'
        '<namespace key="10" case="first-letter">Template</namespace></namespaces></siteinfo>\n'
        f"{body}</mediawiki>\n"
    )


def test_a_template_imported_mid_batch_is_used_by_the_pages_after_it(app, client, tmp_path):
    # Templates are read once per batch; one created or replaced in the batch is read again.
    path = tmp_path / "templates.xml"
    path.write_text(
        _dump(
            [
                ("Uses box early", 0, "{{Box}}"),
                ("Template:Box", 10, "[[Box target]]"),
                ("Uses box late", 0, "{{Box}} and {{Box}}"),
                ("Template:Boxalias", 10, "#REDIRECT [[Template:Box]]"),
                ("Uses alias", 0, "{{Boxalias}}"),
            ]
        ),
        encoding="utf-8",
    )
    result = import_dump(app, path)
    assert result.exit_code == 0, result.output
    api = ApiClient(client)
    reply = api.get(action="query", list="backlinks", bltitle="Box target", bllimit="max")
    linking = sorted(p["title"] for p in reply["query"]["backlinks"])
    assert linking == ["Template:Box", "Uses alias", "Uses box late"]
