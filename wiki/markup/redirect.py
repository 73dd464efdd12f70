"""Redirect pages: `#REDIRECT [[Target]]`, the one parser of it that every part of the wiki uses.

It reads the text as MediaWiki 1.39's WikitextContent::getRedirectTargetAndText does:
- leading whitespace is skipped as PHP's ltrim does (space, tab, newlines, NUL, vertical tab;
  not form feed nor other Unicode spaces);
- the magic word `#REDIRECT` in any case (this wiki's content language is English, whose
  only alias it is);
- then, directly after it, optional whitespace, an optional colon, whitespace and the first
  `[[link]]` on that line; a `|label` is ignored and whitespace after `]]` is eaten;
- a target holding `%` is percent-decoded (leading colons dropped first), as links are;
- the target keeps its `#fragment`; a leading colon keeps `[[:Category:X]]` a plain title;
- a title that is not valid, or a special page MediaWiki refuses as a redirect target
  (Userlogout, Filepath, Mypage, Mytalk, Redirect), makes the page no redirect at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from wiki.markup.context import RenderContext, TitleLike
from wiki.markup.escape import escape_text

REDIRECT_WORDS = ("#REDIRECT",)  # MediaWiki's English magic word "redirect"
_MAGIC = re.compile("|".join(re.escape(w) for w in REDIRECT_WORDS), re.I)
_PHP_LTRIM = " \t\n\r\0\x0b"
# PCRE's \s without /u: space, \t, \n, \v, \f, \r (never a Unicode space); "." stops at \n.
_WS = r"[ \t\n\x0b\x0c\r]"
_LINK = re.compile(rf"{_WS}*:?{_WS}*\[\[(.*?)(?:\|.*?)?\]\]{_WS}*")
SPECIAL_NAMESPACE = -1
_INVALID_SPECIAL_TARGETS = frozenset({"userlogout", "filepath", "mypage", "mytalk", "redirect"})


@dataclass(frozen=True)
class RedirectLink:
    """Where a redirect points, as written and as MediaWiki reads it."""

    target: str  # the link target, percent-decoded, #fragment kept
    start: int  # offset of the target as written in the text
    stop: int  # offset just after it (before any "|label" and "]]")
    end: int  # offset where the page's own text resumes after the link


def find(text: str) -> RedirectLink | None:
    """The redirect link at the top of `text` (not yet checked as a title), or None."""
    offset = len(text) - len(text.lstrip(_PHP_LTRIM))
    magic = _MAGIC.match(text, offset)
    if magic is None:
        return None
    link = _LINK.match(text, magic.end())
    if link is None:
        return None
    target = link.group(1)
    if "%" in target:
        target = unquote(target.lstrip(":"), errors="replace")
    return RedirectLink(target, link.start(1), link.end(1), link.end())


def target(text: str, parse_title: Callable[..., TitleLike | None]) -> TitleLike | None:
    """The title `text` redirects to, or None when it is no (valid) redirect."""
    return _title(find(text), parse_title)


def split_redirect(text: str, ctx: RenderContext) -> tuple[TitleLike | None, str]:
    """The redirect target (fragment kept) and the text after the redirect link."""
    link = find(text)
    title = _title(link, ctx.site.parse_title)
    if link is None or title is None:
        return None, text
    return title, text[link.end :]


def _title(link: RedirectLink | None, parse_title: Callable[..., TitleLike | None]) -> TitleLike | None:
    if link is None or not link.target.strip():
        return None
    try:
        title = parse_title(link.target, default_namespace=0)
    except Exception:  # noqa: BLE001 - a title that cannot be read is no redirect
        return None
    if title is None or "\ufffd" in title.text or not (title.text or title.interwiki):
        return None
    if title.namespace == SPECIAL_NAMESPACE and not title.interwiki:
        if title.text.split("/", 1)[0].lower() in _INVALID_SPECIAL_TARGETS:
            return None
    return title


def redirect_header(link_html: str) -> str:
    """MediaWiki's redirect notice (Article::getRedirectHeaderHtml) around the target's link."""
    return (
        '<div class="redirectMsg"><p>Redirect to:</p><ul class="redirectText">'
        f"<li>{link_html}</li></ul></div>\n"
    )


def redirect_label(title: TitleLike) -> str:
    """The link text of the notice: the full title with its fragment, escaped."""
    return escape_text(title.prefixed_text + (f"#{title.fragment}" if title.fragment else ""))
