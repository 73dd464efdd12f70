"""Edit summaries as MediaWiki shows them (Linker::formatComment): `/* Section */` becomes a
"→Section" link to the heading (class autocomment), `[[Target|label]]` a link (blue or red),
everything else escaped. Pure: the caller says where each link target goes and whether it exists.

Two steps, so the caller looks up every target of a page of summaries in one query:
`link_targets(comment)` lists the targets, `format_comment(comment, links, page)` writes the HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from wiki.markup.escape import escape_attr, escape_id
from wiki.markup.escape import escape_text as _escape_text

MAX_LINKS = 50  # links made per summary; later [[...]] stay text (a summary is at most 767 bytes)

_AUTO = re.compile(r"/\*\s*(.*?)\s*\*/")
_LINK = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|([^\[\]]*))?\]\]([a-z]*)")


@dataclass(frozen=True)
class LinkTo:
    """Where a link goes: its URL (no fragment), the title text, and whether the page exists
    (a red link goes to `edit_href`)."""

    href: str
    title: str
    exists: bool
    edit_href: str = ""


def escape_text(text: str) -> str:
    """PHP's htmlspecialchars as MediaWiki calls it: & < > " and '."""
    return _escape_text(text).replace("'", "&#039;")


def link_targets(comment: str) -> list[str]:
    """The targets of the `[[...]]` links in a summary, as written (first MAX_LINKS)."""
    return [m.group(1) for m in _LINK.finditer(comment)][:MAX_LINKS]


def _target_and_fragment(target: str) -> tuple[str, str]:
    name, _, fragment = target.lstrip(":").partition("#")
    return name.strip(), fragment.strip()


def _anchor(link: LinkTo, fragment: str, text_html: str) -> str:
    if not link.exists:
        return (
            f'<a href="{escape_attr(link.edit_href or link.href)}" class="new" '
            f'title="{escape_attr(link.title)} (page does not exist)">{text_html}</a>'
        )
    href = link.href + ("#" + escape_id(fragment) if fragment else "")
    return f'<a href="{escape_attr(href)}" title="{escape_attr(link.title)}">{text_html}</a>'


def _links(text: str, links: Mapping[str, LinkTo]) -> str:
    """Escape `text`, making its [[links]] (those the caller resolved) into anchors."""
    if "[[" not in text:
        return escape_text(text)  # most summaries: a list of 500 pays for no regex
    out, pos, made = [], 0, 0
    for m in _LINK.finditer(text):
        link = links.get(m.group(1))
        if link is None or made >= MAX_LINKS:
            continue
        made += 1
        out.append(escape_text(text[pos : m.start()]))
        target, label, trail = m.group(1), m.group(2), m.group(3)
        _name, fragment = _target_and_fragment(target)
        shown = label if label else target.lstrip(":")
        out.append(_anchor(link, fragment, escape_text(shown + trail)))
        pos = m.end()
    out.append(escape_text(text[pos:]))
    return "".join(out)


def _section_plain(section: str) -> str:
    """A section name as the heading's anchor sees it: links reduced to their text."""
    return _LINK.sub(lambda m: (m.group(2) or m.group(1).lstrip(":")) + m.group(3), section)


_LAST_AUTO = re.compile(r"(.*)/\*\s*(.*?)\s*\*/(.*)")


def section_fragment(comment: str) -> str:
    """ "#Anchor" of the last /* section */ of a summary ("" without one), as MediaWiki's watchlist
    feed links to the changed section (linktosections)."""
    match = _LAST_AUTO.match(comment)
    return "#" + escape_id(_section_plain(match.group(2))) if match else ""


def format_comment(comment: str, links: Mapping[str, LinkTo], page: LinkTo | None = None) -> str:
    """The summary as HTML. `links` maps link targets (as written) to where they go; `page` is
    the page the summary belongs to, for its /* section */ links (plain text without it)."""
    match = _AUTO.search(comment)
    if match is None:
        return _links(comment, links)
    pre, section, post = comment[: match.start()], match.group(1), comment[match.end() :]
    # The arrow shows the section as written (brackets kept as text); the anchor drops link syntax.
    arrow = "\u2192\u200e" + escape_text(section).replace("[", "&#91;").replace("]", "&#93;")
    if page is not None:
        href = page.href + "#" + escape_id(_section_plain(section))
        arrow = f'<a href="{escape_attr(href)}" title="{escape_attr(page.title)}">{arrow}</a>'
    sep = ": " if post.strip() else ""
    rest = format_comment(post, links, page)  # later /* sections */ nest, as in MediaWiki
    auto = f'<span dir="auto"><span class="autocomment">{arrow}{sep}</span>{rest}</span>'
    return (_links(pre, links) + auto) if pre else auto
