"""Atom and RSS feeds (made with feedgen) of the changes lists: RecentChanges, a page's history, a
user's contributions, new pages and the watchlist. The edges choose the rows (wiki.pages.recentlist,
wiki.pages.changes); this module words them as MediaWiki's feeds do and writes the XML."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import current_app

from wiki import site, titles
from wiki.markup import comments
from wiki.models import Page, RecentChange, Revision
from wiki.pages import logdelete, revdelete, summaries

KINDS = ("atom", "rss")
MAX_ITEMS = 50  # entries in one feed (MediaWiki's $wgFeedLimit)
MIME = {"atom": "application/atom+xml; charset=utf-8", "rss": "application/rss+xml; charset=utf-8"}


@dataclass
class Item:
    title: str
    link: str
    summary_html: str
    author: str
    when: datetime
    ident: str
    talk: str = ""


def absolute(path: str) -> str:
    """A site path (/wiki/X) as a full URL, as feed readers need them."""
    if path.startswith(("http://", "https://")):
        return path
    return str(current_app.config["WIKI_SERVER"]).rstrip("/") + path


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _talk(title: titles.Title) -> str:
    if title.namespace < 0:
        return ""
    talk_ns = title.namespace | 1
    return absolute(site.page_url(titles.Title(talk_ns, title.text, ns_name=site.namespaces().name(talk_ns))))


def _bytes(delta: int | None) -> str:
    if delta is None:
        return ""
    sign = "+" if delta > 0 else ""
    return f"<p>({sign}{delta:,} bytes)</p>"


# Feeds are shared by every reader (and cached): hidden parts are left out for all, as MediaWiki's.
_REMOVED_COMMENT = (
    '<span class="history-deleted comment"> <span class="comment">(edit summary removed)</span></span>'
)


def _comment(row: RecentChange | Revision) -> str:
    return row.comment if revdelete.public(row.deleted, revdelete.COMMENT) else ""


def _user(row: RecentChange | Revision) -> str:
    return (
        row.user_text if revdelete.public(row.deleted, revdelete.USER) else revdelete.REMOVED[revdelete.USER]
    )


def change_items(rows: list[RecentChange], *, link_to_sections: bool = False) -> list[Item]:
    """Feed entries of recent-changes rows (RecentChanges, the watchlist, new pages);
    `link_to_sections`: an edit's link goes to the section its summary names. Logged actions whose
    target is hidden are left out (the entry would name the page)."""
    rows = [r for r in rows if r.type != "log" or logdelete.public(r.deleted or 0, logdelete.ACTION)]
    rows = rows[:MAX_ITEMS]
    pairs = [(_comment(r), _title(r.namespace, r.title)) for r in rows]
    rendered = summaries.html_many(pairs)
    items = []
    for row, (_c, title), html in zip(rows, pairs, rendered, strict=True):
        html = html if revdelete.public(row.deleted, revdelete.COMMENT) else _REMOVED_COMMENT
        if row.type == "log":
            link = site.page_url(f"Special:Log/{row.log_type}")
            words = f"<p>{row.log_type}/{row.log_action}: {html}</p>"
        elif row.type == "new":
            link = site.index_url(title, oldid=row.rev_id)
            words = f"<p>{html}</p>{_bytes(row.new_len)}"
        else:
            link = site.index_url(title, diff=row.rev_id, oldid=row.old_rev_id)
            words = f"<p>{html}</p>{_bytes((row.new_len or 0) - (row.old_len or 0))}"
        if link_to_sections and row.type != "log":
            link += comments.section_fragment(_comment(row) or "")  # a hidden summary names none
        items.append(
            Item(
                title.prefixed_text,
                absolute(link),
                words,
                _user(row),
                row.timestamp,
                absolute(link),
                _talk(title),
            )
        )
    return items


def revision_items(rows: list[tuple[Revision, Page]], parents: dict[int, int]) -> list[Item]:
    """Feed entries of revisions (a page's history, a user's contributions)."""
    rows = rows[:MAX_ITEMS]
    pairs = [(_comment(rev), _title(page.namespace, page.title)) for rev, page in rows]
    rendered = summaries.html_many(pairs)
    items = []
    for (rev, _page), (_c, title), html in zip(rows, pairs, rendered, strict=True):
        html = html if revdelete.public(rev.deleted, revdelete.COMMENT) else _REMOVED_COMMENT
        if rev.parent_id:
            link = site.index_url(title, diff=rev.id, oldid=rev.parent_id)
            delta: int | None = rev.size - parents.get(rev.parent_id, 0)
        else:
            link, delta = site.index_url(title, oldid=rev.id), rev.size
        words = f"<p>{html}</p>{_bytes(delta)}"
        items.append(
            Item(
                title.prefixed_text,
                absolute(link),
                words,
                _user(rev),
                rev.timestamp,
                absolute(link),
                _talk(title),
            )
        )
    return items


def render(kind: str, heading: str, link: str, description: str, items: list[Item]) -> tuple[bytes, str]:
    """The feed's XML and its content type; `kind` is "atom" or "rss"."""
    name = str(current_app.config["WIKI_SITE_NAME"])
    feed = FeedGenerator()
    feed.id(absolute(link))
    feed.title(f"{name} - {heading} [en]")
    feed.link(href=absolute(link), rel="alternate")
    feed.description(description)
    feed.subtitle(description)
    feed.language("en")
    feed.generator(site.GENERATOR)
    feed.updated(_utc(items[0].when) if items else datetime.now(UTC))
    for item in reversed(items):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(item.ident)
        entry.title(item.title)
        if item.link:
            entry.link(href=item.link, rel="alternate")
        if item.author:
            entry.author(name=item.author)
        entry.updated(_utc(item.when))
        entry.published(_utc(item.when))
        entry.description(item.summary_html)
        entry.content(item.summary_html, type="html")
        if item.talk:
            entry.comments(item.talk)
    body = feed.atom_str(pretty=True) if kind == "atom" else feed.rss_str(pretty=True)
    return body, MIME[kind]


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when
