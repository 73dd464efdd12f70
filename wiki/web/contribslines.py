"""The lines of Special:Contributions (MediaWiki 1.39's ContribsPager::formatRow), written in
Python from plain rows (wiki.pages.changes.change_lines): the same HTML the template's loop wrote,
without its per-row macro and global calls (a 500-line list made some 5,000 of them). Each page's
URLs and escaped name are made once, however often the list names it."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from wiki import site, titles
from wiki.pages import revdelete, summaries
from wiki.pages.changes import ChangeLine
from wiki.web import dates
from wiki.web.userlinks import rev_summary

_NEW = '<abbr class="newpage" title="This edit created a new page">N</abbr> '
_MINOR = '<abbr class="minoredit" title="This is a minor edit">m</abbr> '
_CURRENT = ' <span class="mw-uctop">current</span>'
_TOP_CLASS = ' class="mw-contributions-current"'


class _Page:
    """A listed page's title and the pieces of its lines that do not change from row to row."""

    __slots__ = ("base", "history", "link", "name", "title")

    def __init__(self, title: titles.Title) -> None:
        self.title = title
        self.name = name = str(escape(str(title)))
        view, base = (str(escape(url)) for url in site.title_urls(title))
        self.base = base  # index.php?title=..., to append parameters to
        self.history = (
            f'<a href="{base}&amp;action=history" class="mw-changeslist-history" title="{name}">hist</a>'
        )
        self.link = f'<bdi><a href="{view}" class="mw-contributions-title" title="{name}">{name}</a></bdi>'


def _pages(rows: Sequence[ChangeLine]) -> list[_Page]:
    """Each row's page, made once per page."""
    names = site.namespaces()
    listed: dict[tuple[int, str], _Page] = {}
    found = []
    for row in rows:
        page = listed.get((row.namespace, row.title))
        if page is None:
            text = row.title.replace("_", " ")
            title = titles.Title(row.namespace, text, ns_name=names.name(row.namespace))
            page = listed[(row.namespace, row.title)] = _Page(title)
        found.append(page)
    return found


def lines(rows: Sequence[ChangeLine], tags: dict[int, list[str]]) -> Markup:
    """The <li> of each revision, in order."""
    pages = _pages(rows)
    comments = summaries.html_many([(row.comment, page.title) for row, page in zip(rows, pages, strict=True)])
    zone, style = dates.reader()
    tags_link = escape(site.page_url("Special:Tags"))
    out = []
    for row, page, comment in zip(rows, pages, comments, strict=True):
        rev_id, base, name = row.id, page.base, page.name
        if row.parent_id:
            delta = row.size - (row.parent_size or 0)
            diff = (
                f'<a href="{base}&amp;diff=prev&amp;oldid={rev_id}" class="mw-changeslist-diff" '
                f'title="{name}">diff</a>'
            )
        else:
            delta, diff = row.size, "diff"
        top = rev_id == row.latest
        when = dates.format_time(row.timestamp, zone, style)
        marks = ("" if row.parent_id else _NEW) + (_MINOR if row.minor else "")
        if row.deleted & revdelete.COMMENT:
            summary = str(rev_summary(row, page.title))  # struck through, or removed for this reader
        else:
            summary = f'<span class="comment">({comment})</span>' if row.comment else ""
        after = (_CURRENT if top else "") + _tags(tags.get(rev_id), tags_link)
        out.append(
            f'\n<li data-mw-revid="{rev_id}"{_TOP_CLASS if top else ""}><span class="mw-changeslist-links">'
            f'(<span>{diff}</span> | <span>{page.history}</span>)</span> <bdi><a href="{base}&amp;oldid='
            f'{rev_id}" class="mw-changeslist-date" title="{name}">{when}</a></bdi> . . {_bytes(delta)} . . '
            f"{marks}{page.link} {summary}{after}</li>\n"
        )
    return Markup("".join(out))


def _bytes(delta: int) -> str:
    """(+12) in MediaWiki's colours, bold beyond 500 bytes either way."""
    cls = "mw-plusminus-pos" if delta > 0 else ("mw-plusminus-neg" if delta < 0 else "mw-plusminus-null")
    tag = "strong" if delta > 500 or delta < -500 else "span"
    return f'<{tag} dir="ltr" class="{cls} mw-diff-bytes">({"+" if delta > 0 else ""}{delta:,})</{tag}>'


def _tags(found: list[str] | None, link: str) -> str:
    """` Tags: mw-undo, mw-rollback` (linked to Special:Tags), or nothing."""
    if not found:
        return ""
    markers = ", ".join(
        f'<span class="mw-tag-marker mw-tag-marker-{escape(t)}">{escape(t)}</span>' for t in found
    )
    head = f'<a href="{link}" title="Special:Tags">Tag{"s" if len(found) > 1 else ""}</a>'
    return f' <span class="mw-tag-markers">{head}: {markers}</span>'
