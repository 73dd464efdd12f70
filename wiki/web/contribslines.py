"""The lines of Special:Contributions (MediaWiki 1.39's ContribsPager::formatRow), written in
Python from plain rows (wiki.pages.changes.change_lines): the same HTML the template's loop wrote,
without its per-row macro and global calls (a 500-line list made some 5,000 of them). Each page's
URLs and escaped name are made once, however often the list names it."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from wiki import site, titles
from wiki.pages import revdelete, summaries
from wiki.pages import rollback as rollbacks
from wiki.pages.changes import ChangeLine
from wiki.web import dates, permissions
from wiki.web.changeslines import size_change, tag_list
from wiki.web.rollbacklinks import SHOWN_STREAK, rollback_href, rollback_label
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


def days(rows: Sequence[ChangeLine], tags: dict[int, list[str]]) -> list[tuple[str, Markup]]:
    """The <li> of each revision, under the reader's day headings (newest first), with "rollback N
    edits" on a page's current revision and "undo" on every edit for those who may use them."""
    pages = _pages(rows)
    comments = summaries.html_many([(row.comment, page.title) for row, page in zip(rows, pages, strict=True)])
    zone, style = dates.reader()
    may_undo = permissions.denied("edit") is None
    streaks: dict[int, rollbacks.Streak] = {}
    if permissions.denied("rollback") is None:
        streaks = rollbacks.streaks([row.id for row in rows if row.id == row.latest], SHOWN_STREAK)
    grouped = dates.by_day(zip(rows, pages, comments, strict=True), lambda item: item[0].timestamp)
    out = []
    for day, items in grouped:
        html = []
        for row, page, comment in items:
            top = row.id == row.latest
            tools = _tools(row, page, streaks.get(row.page_id) if top else None, may_undo)
            when = dates.format_time(row.timestamp, zone, style)
            html.append(_line(row, page, comment, when, tags.get(row.id, []), tools))
        out.append((day, Markup("".join(html))))
    return out


def _line(row: ChangeLine, page: _Page, comment: str, when: str, tags: list[str], tools: str) -> str:
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
    marks = ("" if row.parent_id else _NEW) + (_MINOR if row.minor else "")
    if row.deleted & revdelete.COMMENT:
        summary = str(rev_summary(row, page.title))  # struck through, or removed for this reader
    else:
        summary = f'<span class="comment">({comment})</span>' if row.comment else ""
    after = (_CURRENT if top else "") + str(tag_list(tags))
    return (
        f'\n<li data-mw-revid="{rev_id}"{_TOP_CLASS if top else ""}>'
        f'<span class="mw-changeslist-links">(<span>{diff}</span> | <span>{page.history}</span>)</span> '
        f'<bdi><a href="{base}&amp;oldid={rev_id}" class="mw-changeslist-date" title="{name}">{when}</a>'
        f"</bdi> . . {size_change(delta, row.size)} . . {marks}{page.link} {summary}{after}{tools}</li>\n"
    )


def _tools(row: ChangeLine, page: _Page, streak: rollbacks.Streak | None, may_undo: bool) -> str:
    """(rollback N edits | undo) after a line, as the page history shows them."""
    parts = []
    if streak is not None and not row.deleted & revdelete.USER:
        href = escape(rollback_href(page.title, streak.user))
        label = rollback_label(streak.count)
        link = f'<a href="{href}" title="Revert edits by {escape(streak.user)}">{label}</a>'
        parts.append(f'<span class="mw-rollback-link">{link}</span>')
    if may_undo and row.parent_id:
        undo = f"{page.base}&amp;action=edit&amp;undoafter={row.parent_id}&amp;undo={row.id}"
        parts.append(f'<span class="mw-history-undo"><a href="{undo}" title="{page.name}">undo</a></span>')
    if not parts:
        return ""
    return f' <span class="mw-changeslist-links mw-history-tools">({" | ".join(parts)})</span>'
