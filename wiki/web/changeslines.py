"""One edit's line of MediaWiki's legacy changes list (RecentChanges, RecentChangesLinked), written
in Python: the same HTML as the Jinja macros of `_changeslist.html` wrote, at a fraction of their
cost (a 500-line list made 10,000 macro calls; bench/collab_bench.py). Logged actions keep their
macro (`_logaction.html`): they are few, and worded case by case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from wiki import site, titles
from wiki.web.dates import user_time
from wiki.web.userlinks import rev_summary, rev_user_links

if TYPE_CHECKING:
    from wiki.web.special.recentchanges import Line


def edit_line(line: Line, index: int, may_patrol: bool, existing: set[str]) -> Markup:
    """The <li> of an edit or page creation."""
    rc, t = line.rc, line.title
    new = rc.type == "new"
    classes = f"mw-line-{'odd' if index % 2 else 'even'} mw-changeslist-line mw-changeslist-edit"
    classes += (" mw-changeslist-minor" if rc.minor else "") + (" mw-changeslist-bot" if rc.bot else "")
    classes += " mw-changeslist-src-mw-new" if new else ""
    revid = f' data-mw-revid="{rc.rev_id}"' if rc.rev_id else ""
    if new:
        diff = "diff"
    else:
        href = escape(site.index_url(t, curid=rc.page_id, diff=rc.rev_id, oldid=rc.old_rev_id))
        diff = f'<a href="{href}" class="mw-changeslist-diff">diff</a>'
    history = escape(site.index_url(t, curid=rc.page_id, action="history"))
    unpatrolled = may_patrol and rc.patrolled == 0
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
    return Markup(
        f'\n<li class="{classes}" data-mw-ts="{rc.timestamp.strftime("%Y%m%d%H%M%S")}"{revid}>'
        f'<span class="mw-changeslist-links">(<span>{diff}</span> | <span><a href="{history}" '
        f'class="mw-changeslist-history">hist</a></span>)</span> . . {marks}<span class="mw-title">'
        f'{title_link(t, existing)}</span>; <span class="mw-changeslist-date">'
        f"{user_time(rc.timestamp)}</span> . . {size_change(line.delta, rc.new_len)} . . "
        f"{rev_user_links(rc)} {rev_summary(rc, t)}{tag_list(line.tags)}</li>"
    )


def title_link(t: titles.Title, existing: set[str]) -> str:
    """The page's link, red (to its edit form) when it does not exist."""
    name = escape(str(t))
    if t.prefixed_text in existing:
        return f'<a href="{escape(site.page_url(t))}" class="mw-changeslist-title" title="{name}">{name}</a>'
    href = escape(site.index_url(t, action="edit", redlink="1"))
    return (
        f'<a href="{href}" class="mw-changeslist-title new" title="{name} (page does not exist)">{name}</a>'
    )


def size_change(delta: int | None, after: int | None) -> str:
    """(+12) in MediaWiki's colours, bold beyond 500 bytes either way."""
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
