"""The lines of MediaWiki's legacy changes list (RecentChanges, RecentChangesLinked, the watchlist):
the rows of a window as `Line`s under their day headings, and an edit's <li> written in Python by a
`Writer` made once per list (the reader's time zone, the script path, the user links and summaries
looked up once, not per row: a 500-line list costs a fraction of what the Jinja macros did;
bench/collab_bench.py). Logged actions keep their macro (`_logaction.html`): they are few, and
worded case by case."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from flask import current_app
from markupsafe import Markup, escape

from wiki import site, titles, tokens
from wiki.access.timeformat import format_time
from wiki.extensions import db
from wiki.models import LogEntry
from wiki.pages import revdelete, summaries
from wiki.pages import rollback as rollbacks
from wiki.pages.recentlist import Change
from wiki.web import dates, permissions
from wiki.web.rollbacklinks import SHOWN_STREAK, rollback_label, rollback_query
from wiki.web.special import log as special_log
from wiki.web.userlinks import (
    may_see,
    prefetch_summaries,
    remember_user_keys,
    rev_summary,
    rev_user_links,
    summary,
    user_links_many,
    user_page_keys,
)


@dataclass
class Line:
    """One row of the list, with what its line shows beyond the recentchange row."""

    rc: Change
    title: titles.Title
    tags: list[str]
    log: special_log.LogLine | None = None
    unseen: bool | None = None  # watchlist only: changed since the watcher last saw the page
    expiry: datetime | None = None  # watchlist only: the end of a temporary watch

    @property
    def summary_pair(self) -> tuple[str, titles.Title]:
        return (self.rc.comment, self.title)

    @property
    def delta(self) -> int | None:
        if self.rc.type == "log" or self.rc.new_len is None:
            return None
        return self.rc.new_len - (self.rc.old_len or 0)


def title_of(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def lines_of(rows: Sequence[Change], tags: dict[int, list[str]]) -> tuple[list[Line], set[str]]:
    """The rows as lines, and which of the pages they name exist. One query answers for every page
    the list shows: the titles, their editors' user and talk pages, the pages their summaries link
    to (kept for the request, so the Writer asks nothing more)."""
    log_ids = [r.log_id for r in rows if r.log_id]
    entries = {}
    if log_ids:
        entries = {e.id: e for e in db.session.scalars(db.select(LogEntry).where(LogEntry.id.in_(log_ids)))}
    names = site.namespaces()
    lines = []
    keys: dict[tuple[int, str], str] = {}
    for rc in rows:
        title = titles.Title(rc.namespace, rc.title.replace("_", " "), ns_name=names.name(rc.namespace))
        line = Line(rc, title, tags.get(rc.id, []))
        keys[(rc.namespace, rc.title)] = title.prefixed_text
        entry = entries.get(rc.log_id) if rc.log_id else None
        if entry is not None:
            line.log = special_log.line_of(entry)
            if line.log.destination is not None:
                destination = line.log.destination
                keys[(destination.namespace, destination.dbkey)] = destination.prefixed_text
        lines.append(line)
    editors = {rc.user_text for rc in rows}
    targets = summaries.link_targets(rc.comment for rc in rows)
    linked = summaries.page_keys(targets)
    found = site.existing_keys([*keys, *user_page_keys(editors), *linked])
    remember_user_keys(editors, found)
    prefetch_summaries([line.summary_pair for line in lines], existing=found & linked, targets=targets)
    return lines, {keys[key] for key in found if key in keys}


def days_of(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """The lines under their day headings ("6 December 2026") in the reader's time zone, newest first."""
    return dates.by_day(lines, lambda line: line.rc.timestamp)


class Writer:
    """Writes the edit lines of one list; what every line shares is worked out once."""

    def __init__(self, lines: list[Line], *, may_patrol: bool, existing: set[str]):
        self.may_patrol = may_patrol
        self.existing = existing
        self.zone: tzinfo
        self.zone, self.style = dates.reader()
        self.index = f"{current_app.config['WIKI_SCRIPT_PATH']}/index.php?title="
        self.article = str(current_app.config["WIKI_ARTICLE_PATH"])
        self.users = user_links_many({line.rc.user_text for line in lines})
        prefetch_summaries([line.summary_pair for line in lines])
        self.summaries = permissions.memo("summaries") or {}
        self.streaks: dict[int, rollbacks.Streak] = {}
        self.token = ""
        if permissions.denied("rollback") is None:  # "rollback N edits" on each page's top edit
            edits = [rc.rev_id for rc in (line.rc for line in lines) if rc.type == "edit" and rc.rev_id]
            self.streaks = rollbacks.streaks([rev for rev in edits if rev is not None], SHOWN_STREAK)
            self.token = tokens.edit_token() if self.streaks else ""  # one for every link

    def _summary(self, comment: str, title: titles.Title) -> str:
        if not comment:
            return ""
        html = self.summaries.get((comment, title.prefixed_text))
        if html is None:
            return str(summary(comment, title))
        return f'<span class="comment">({html})</span>'

    def _user_of(self, rc: Change) -> str:
        """The editor, or what revision deletion leaves of it (wiki.pages.revdelete)."""
        return str(rev_user_links(rc)) if rc.deleted else self.users[rc.user_text]

    def _summary_of(self, rc: Change, title: titles.Title) -> str:
        return str(rev_summary(rc, title)) if rc.deleted else self._summary(rc.comment, title)

    def _rollback(self, rc: Change, base: str) -> str:
        """[rollback N edits] on a page's top edit; `base` is the page's index.php address."""
        found = self.streaks.get(rc.page_id or 0)
        if rc.type != "edit" or found is None or found.latest != rc.rev_id:
            return ""
        if not may_see(rc, revdelete.USER):
            return ""  # the link would name the hidden editor
        href = f"{base}&amp;{escape(rollback_query(found.user, self.token))}"
        link = (
            f'<a href="{href}" title="Revert edits by {escape(found.user)}">{rollback_label(found.count)}</a>'
        )
        return f' <span class="mw-rollback-link">[{link}]</span>'

    def day(self, lines: list[Line], log_line: Callable[[Line, int], str]) -> Markup:
        """A day's lines: edits written here, logged actions by `log_line` (the template's macro)."""
        return Markup(
            "".join(
                self.edit(line, index) if line.rc.type != "log" else "\n" + log_line(line, index)
                for index, line in enumerate(lines)
            )
        )

    def edit(self, line: Line, index: int) -> Markup:
        """The <li> of an edit or page creation."""
        rc, t = line.rc, line.title
        new = rc.type == "new"
        classes = f"mw-line-{'odd' if index % 2 else 'even'} mw-changeslist-line mw-changeslist-edit"
        classes += (" mw-changeslist-minor" if rc.minor else "") + (" mw-changeslist-bot" if rc.bot else "")
        classes += " mw-changeslist-src-mw-new" if new else ""
        if line.unseen is not None:
            classes += " mw-changeslist-line-watched" if line.unseen else " mw-changeslist-line-not-watched"
        revid = f' data-mw-revid="{rc.rev_id}"' if rc.rev_id else ""
        key = titles.url_encode(t.prefixed_dbkey)
        address = f"{self.index}{key}"
        base = address + (f"&amp;curid={rc.page_id}" if rc.page_id is not None else "")
        if new:
            diff = "diff"
        else:
            revs = f"&amp;diff={rc.rev_id}" if rc.rev_id is not None else ""
            revs += f"&amp;oldid={rc.old_rev_id}" if rc.old_rev_id is not None else ""
            diff = f'<a href="{base}{revs}" class="mw-changeslist-diff">diff</a>'
        unpatrolled = self.may_patrol and rc.patrolled == 0
        marks = (
            ('<abbr class="newpage" title="This edit created a new page">N</abbr>' if new else "")
            + ('<abbr class="minoredit" title="This is a minor edit">m</abbr>' if rc.minor else "")
            + ('<abbr class="botedit" title="This edit was performed by a bot">b</abbr>' if rc.bot else "")
            + (
                '<abbr class="unpatrolled" title="This edit has not yet been patrolled">!</abbr>'
                if unpatrolled
                else ""
            )
        )
        if new or rc.minor or rc.bot or unpatrolled:
            marks += " "
        name = escape(t.prefixed_text)
        if t.prefixed_text in self.existing:
            href = self.article.replace("$1", key)
            link = f'<a href="{href}" class="mw-changeslist-title" title="{name}">{name}</a>'  # URL-safe
        else:
            href = f"{self.index}{key}&amp;action=edit&amp;redlink=1"
            link = (
                f'<a href="{href}" class="mw-changeslist-title new" title="{name} (page does not exist)">'
                f"{name}</a>"
            )
        if line.unseen:
            link = f"<strong>{link}</strong>"
        when = format_time(rc.timestamp, self.zone, self.style, "time")
        expiry = ""
        if line.expiry is not None:
            until = format_time(line.expiry, self.zone, self.style)
            expiry = f' <span class="mw-watchlist-expiry" title="Watched until {until}">'
            expiry += "(temporarily watched)</span>"
        return Markup(
            f'\n<li class="{classes}" data-mw-ts="{rc.timestamp.strftime("%Y%m%d%H%M%S")}"{revid}>'
            f'<span class="mw-changeslist-links">(<span>{diff}</span> | <span><a '
            f'href="{base}&amp;action=history" class="mw-changeslist-history">hist</a></span>)</span> . . '
            f'{marks}<span class="mw-title">'
            f'{link}</span>; <span class="mw-changeslist-date">{when}</span> . . '
            f"{size_change(line.delta, rc.new_len)} . . {self._user_of(rc)} "
            f"{self._summary_of(rc, t)}{tag_list(line.tags)}{self._rollback(rc, address)}{expiry}</li>"
        )


def size_change(delta: int | None, after: int | None) -> str:
    """(+12) in MediaWiki's colours, bold beyond 500 bytes either way."""
    if delta is None:
        return ""
    cls = "mw-plusminus-pos" if delta > 0 else ("mw-plusminus-neg" if delta < 0 else "mw-plusminus-null")
    tag = "strong" if delta > 500 or delta < -500 else "span"
    plural = "" if after == 1 else "s"
    return (
        f'<{tag} dir="ltr" class="{cls} mw-diff-bytes" title="{after or 0:,} byte{plural} after change">'
        f"({'+' if delta > 0 else ''}{delta:,})</{tag}>"
    )


def tag_list(tags: list[str]) -> Markup:
    """Tags: mw-undo, mw-rollback (linked to Special:Tags), or nothing."""
    if not tags:
        return Markup("")
    markers = ", ".join(
        f'<span class="mw-tag-marker mw-tag-marker-{escape(tag)}">{escape(tag)}</span>' for tag in tags
    )
    link = escape(site.page_url("Special:Tags"))
    plural = "s" if len(tags) > 1 else ""
    head = f'<a href="{link}" title="Special:Tags">Tag{plural}</a>'
    return Markup(f' <span class="mw-tag-markers">{head}: {markers}</span>')
