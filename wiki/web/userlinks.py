"""The user links every list shows after a user name, "Name (talk | contribs | block)", and edit
summaries as HTML: one helper each, template globals for every page (history, RecentChanges,
contributions, logs, diffs, the watchlist).

In a template:  {{ user_links(rev.user_text) }}  and  {{ summary(rev.comment, title) }}.
A list first hands every name (or summary) over in one call, so existence is read in one query:
{% set _ = prefetch_user_links(names) %}, {% set _ = prefetch_summaries(pairs) %}; without it each
call looks its own up.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable
from typing import NamedTuple

from flask import Flask, current_app
from markupsafe import Markup, escape

from wiki import site, titles
from wiki.pages import revdelete, summaries
from wiki.web import permissions


def is_ip(name: str) -> bool:
    if not name or not (name[0].isdigit() or ":" in name):  # neither IPv4 nor IPv6: no parse needed
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def user_page_keys(names: Iterable[str]) -> list[tuple[int, str]]:
    """The (namespace, dbkey) of these names' user and user talk pages, for an existence lookup."""
    return [(ns, name.replace(" ", "_")) for name in names if name for ns in (titles.USER, titles.USER_TALK)]


def remember_user_keys(names: Iterable[str], found: set[tuple[int, str]]) -> None:
    """Keep for the request which of these names' user pages exist, from a lookup (by key) that
    asked for all of them (`found`: the keys that exist)."""
    memo = permissions.memo("user_pages")
    if memo is not None:
        for name in names:
            key = name.replace(" ", "_")
            memo[name] = ((titles.USER, key) in found, (titles.USER_TALK, key) in found)


def prefetch_user_links(names: Iterable[str]) -> str:
    """Read which user and user talk pages of these names exist, once for the request."""
    memo = permissions.memo("user_pages")
    wanted = {n for n in names if n} - set(memo or {})
    if wanted:
        remember_user_keys(wanted, site.existing_keys(user_page_keys(wanted)))
    return ""


def remember_user_pages(names: Iterable[str], existing: set[str]) -> str:
    """Take existence from a lookup the page made anyway (its `existing` titles held every
    User: and User talk: page of these names), saving a query."""
    memo = permissions.memo("user_pages")
    if memo is not None:
        for name in names:
            memo[name] = (f"User:{name}" in existing, f"User talk:{name}" in existing)
    return ""


def _exists(name: str) -> tuple[bool, bool]:
    memo = permissions.memo("user_pages")
    if memo is None or name not in memo:
        prefetch_user_links([name])
        memo = permissions.memo("user_pages")
    if memo is None or name not in memo:
        found = site.existing_titles([f"User:{name}", f"User talk:{name}"])
        return f"User:{name}" in found, f"User talk:{name}" in found
    return memo[name]


def _may_block() -> bool:
    memo = permissions.memo("may_block")
    if memo is not None and "answer" in memo:
        return bool(memo["answer"])
    answer = permissions.denied("block") is None
    if memo is not None:
        memo["answer"] = answer
    return answer


def _a(href: str, text: str, cls: str, title: str, exists: bool = True) -> str:
    if not exists:
        cls, title = f"new {cls}".strip(), f"{title} (page does not exist)"
    klass = f' class="{cls}"' if cls else ""
    return f'<a href="{escape(href)}"{klass} title="{escape(title)}">{text}</a>'


class _Paths(NamedTuple):
    article: str  # WIKI_ARTICLE_PATH, "$1" for the title
    index: str  # index.php?title=


def _paths() -> _Paths:
    config = current_app.config
    return _Paths(str(config["WIKI_ARTICLE_PATH"]), f"{config['WIKI_SCRIPT_PATH']}/index.php?title=")


def _parts(name: str) -> tuple[str, str]:
    """The HTML of the user link and of the tool links of `name`."""
    return _made(name, _exists(name), _may_block(), _paths())


@functools.lru_cache(maxsize=4096)
def _made(name: str, exists: tuple[bool, bool], may_block: bool, paths: _Paths) -> tuple[str, str]:
    """The user link and the tool links of `name`, from what the list worked out once for all its
    names (existence of the user pages, the block right, the URL settings): made once per process
    for each such combination, since a list of 250 lines names ~150 editors, mostly the same from
    one request to the next."""
    article, index = paths
    key = titles.url_encode(name.replace(" ", "_"))
    shown = f"<bdi>{escape(name)}</bdi>"
    ip = is_ip(name)
    user_page, talk = exists
    contribs = article.replace("$1", f"Special:Contributions/{key}")
    if ip:
        user = _a(contribs, shown, "mw-userlink mw-anonuserlink", f"Special:Contributions/{name}")
    else:
        href = (
            article.replace("$1", f"User:{key}") if user_page else f"{index}User:{key}&action=edit&redlink=1"
        )
        user = _a(href, shown, "mw-userlink", f"User:{name}", user_page)
    talk_href = (
        article.replace("$1", f"User_talk:{key}") if talk else f"{index}User_talk:{key}&action=edit&redlink=1"
    )
    parts = [_a(talk_href, "talk", "mw-usertoollinks-talk", f"User talk:{name}", talk)]
    if not ip:
        parts.append(_a(contribs, "contribs", "mw-usertoollinks-contribs", f"Special:Contributions/{name}"))
    if may_block:
        block = article.replace("$1", f"Special:Block/{key}")
        parts.append(_a(block, "block", "mw-usertoollinks-block", f"Special:Block/{name}"))
    inner = " | ".join(f"<span>{p}</span>" for p in parts)
    return user, f'<span class="mw-usertoollinks mw-changeslist-links">({inner})</span>'


def user_links_many(names: Iterable[str]) -> dict[str, str]:
    """user_links of every one of these names, the memos and settings read once (a list of 250
    lines names ~150 editors; asked one by one, the request's memo lookups cost more than the HTML)."""
    wanted = set(names)
    prefetch_user_links(wanted)
    pages = permissions.memo("user_pages") or {}
    may_block, paths = _may_block(), _paths()
    out = {}
    for name in wanted:
        exists = pages.get(name)
        user, tools = _made(name, exists if exists is not None else _exists(name), may_block, paths)
        out[name] = f"{user} {tools}"
    return out


def user_link(name: str) -> Markup:
    """The name alone, linked to the user page (or, for an IP, to its contributions)."""
    return Markup(_parts(name)[0])


def tool_links(name: str) -> Markup:
    """(talk | contribs | block) after a user name; IPs have no contribs link (the name is one)."""
    return Markup(_parts(name)[1])


def user_links(name: str) -> Markup:
    """MediaWiki's user link and tool links: `Name (talk | contribs | block)` (made once per name
    and request: a list repeats its editors)."""
    memo = permissions.memo("user_links_html")
    if memo is not None and name in memo:
        return Markup(memo[name])
    user, tools = _parts(name)
    html = Markup(f"{user} {tools}")
    if memo is not None:
        memo[name] = str(html)
    return html


def prefetch_summaries(
    items: Iterable[tuple[str, titles.Title | None] | str],
    page: titles.Title | None = None,
    existing: set[tuple[int, str]] | None = None,
    targets: dict[str, titles.Title] | None = None,
) -> str:
    """Render these summaries (one existence query for their links, none when `existing` answers
    for them: summaries.html_many) for the rest of the request: (summary, page) pairs, or
    summaries of one `page`."""
    memo = permissions.memo("summaries")
    pairs = [(item, page) if isinstance(item, str) else item for item in items]
    todo = [(c, t) for c, t in pairs if c and (memo is None or (c, str(t)) not in memo)]
    if todo and memo is not None:
        for (comment, title), out in zip(todo, summaries.html_many(todo, existing, targets), strict=True):
            memo[(comment, str(title))] = out
    return ""


def summary(comment: str, title: titles.Title | None = None) -> Markup:
    """An edit summary as MediaWiki shows it in lists: ` (summary)` in a span of class comment."""
    if not comment:
        return Markup("")
    memo = permissions.memo("summaries")
    html = memo.get((comment, str(title))) if memo is not None else None
    if html is None:
        html = summaries.html(comment, title)
    return Markup(f'<span class="comment">({html})</span>')


def _bits(row: object) -> int:
    return int(getattr(row, "deleted", 0) or 0)


def _suppressed(bits: int) -> str:
    return " mw-history-suppressed" if bits & revdelete.RESTRICTED else ""


def may_see(row: object, part: int) -> bool:
    """Whether the reader may see this part (revdelete.TEXT, COMMENT, USER) of a revision or its
    recent-changes row."""
    return revdelete.can_see(_bits(row), part, permissions.reader_rights())


def rev_user_links(row) -> Markup:
    """The editor of a revision (or its recent-changes row) with tool links, as MediaWiki's
    revUserTools: struck through when hidden, "(username removed)" to readers without the right."""
    bits = _bits(row)
    if not bits & revdelete.USER:
        return user_links(row.user_text)
    if not may_see(row, revdelete.USER):
        return Markup(
            f'<span class="history-deleted{_suppressed(bits)} mw-userlink">(username removed)</span>'
        )
    return Markup(
        f'<span class="history-deleted">{user_link(row.user_text)}</span> {tool_links(row.user_text)}'
    )


def rev_user_name(row) -> str:
    """The editor's name as plain text, or "(username removed)"."""
    return row.user_text if may_see(row, revdelete.USER) else "(username removed)"


def rev_summary(row, title: titles.Title | None = None) -> Markup:
    """A revision's edit summary as MediaWiki's revComment: struck through when hidden,
    "(edit summary removed)" to readers without the right."""
    bits = _bits(row)
    if not bits & revdelete.COMMENT:
        return summary(row.comment, title)
    if not may_see(row, revdelete.COMMENT):
        return Markup(
            f'<span class="history-deleted{_suppressed(bits)} comment"> '
            '<span class="comment">(edit summary removed)</span></span>'
        )
    return Markup(f'<span class="history-deleted">{summary(row.comment, title)}</span>')


def visible_names(rows: Iterable) -> list[str]:
    """The editors of these rows the reader may see (for prefetch_user_links)."""
    return [row.user_text for row in rows if row is not None and may_see(row, revdelete.USER)]


def revdel_changes(added: int, removed: int) -> str:
    """ "content hidden, edit summary hidden and username hidden" (MediaWiki's listToText)."""
    words = revdelete.changes(int(added), int(removed))
    return words[0] if len(words) < 2 else f"{', '.join(words[:-1])} and {words[-1]}"


def init(app: Flask) -> None:
    app.jinja_env.globals.update(
        user_links=user_links,
        user_link=user_link,
        tool_links=tool_links,
        prefetch_user_links=prefetch_user_links,
        remember_user_pages=remember_user_pages,
        summary=summary,
        prefetch_summaries=prefetch_summaries,
        rev_user_links=rev_user_links,
        rev_user_name=rev_user_name,
        rev_summary=rev_summary,
        may_see=may_see,
        visible_names=visible_names,
        REVDEL=revdelete,
        reader_rights=permissions.reader_rights,
        revdel_changes=revdel_changes,
    )
