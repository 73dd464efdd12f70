"""Title and text helpers the preprocessor shares: title parsing through the site settings,
MediaWiki's wfEscapeWikiText and wfUrlencode, and the name forms of a title (talk page,
subject page, base and sub page) that magic words and parser functions return."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from wiki.markup.context import RenderContext, TitleLike

PHP_WS = " \t\n\r\0\x0b"  # what PHP's trim() removes

# MediaWiki's default $wgNamespacesWithSubpages
DEFAULT_SUBPAGE_NAMESPACES = frozenset({1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15})

_ESCAPES = {
    '"': "&#34;",
    "&": "&#38;",
    "'": "&#39;",
    "<": "&#60;",
    "=": "&#61;",
    ">": "&#62;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "|": "&#124;",
    "}": "&#125;",
    ";": "&#59;",
    "\n#": "\n&#35;",
    "\r#": "\r&#35;",
    "\n*": "\n&#42;",
    "\r*": "\r&#42;",
    "\n:": "\n&#58;",
    "\r:": "\r&#58;",
    "\n ": "\n&#32;",
    "\r ": "\r&#32;",
    "\n\n": "\n&#10;",
    "\r\n": "&#13;\n",
    "\n\r": "\n&#13;",
    "\r\r": "\r&#13;",
    "\n\t": "\n&#9;",
    "\r\t": "\r&#9;",
    "\n----": "\n&#45;---",
    "\r----": "\r&#45;---",
    "__": "_&#95;",
    "://": "&#58;//",
}
for _magic in ("ISBN", "PMID", "RFC"):
    for _ws, _ent in ((" ", "&#32;"), ("\t", "&#9;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\f", "&#12;")):
        _ESCAPES[_magic + _ws] = _magic + _ent
_ESCAPE_RE = re.compile("|".join(re.escape(k) for k in sorted(_ESCAPES, key=len, reverse=True)))
_PROTOCOL_COLON = re.compile(
    r"\b(bitcoin|geo|magnet|mailto|matrix|news|sip|sips|sms|tel|urn|xmpp):", re.IGNORECASE
)


def escape_wikitext(text: str) -> str:
    """MediaWiki's wfEscapeWikiText: make text inert as wikitext, using entities."""
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], "\n" + text)[1:]
    return _PROTOCOL_COLON.sub(r"\1&#58;", text)


def wf_urlencode(text: str) -> str:
    """MediaWiki's wfUrlencode: urlencode, then keep ;@$!*(),/~: readable."""
    return quote_plus(text, safe=";@$!*(),/~:")


def raw_urlencode(text: str) -> str:
    return quote(text, safe="-_.~")


def parse_title(ctx: RenderContext, text: str, default_ns: int = 0) -> TitleLike | None:
    """The title for `text`, or None when MediaWiki would call it invalid."""
    if not text or len(text) > 1000:
        return None
    try:
        title = ctx.site.parse_title(text, default_namespace=default_ns)
    except Exception:  # noqa: BLE001 - a title callback must never break a render
        return None
    if title is not None and title.interwiki in getattr(ctx.site, "self_interwiki", ()):
        rest = text.split(":", 1)[1].lstrip(" _") if ":" in text else ""
        if not rest:
            rest = getattr(ctx.site, "main_page", "Main Page")
        return parse_title(ctx, rest, default_ns) if rest != text else None
    if title is None or (not title.text and not title.interwiki):
        return None
    return title


def ns_text(ctx: RenderContext, ns: int) -> str:
    return ctx.site.namespace_names.get(ns, "")


def prefixed(ctx: RenderContext, ns: int, text: str) -> str:
    name = ns_text(ctx, ns)
    return f"{name}:{text}" if name else text


def url_form(text: str) -> str:
    return wf_urlencode(text.replace(" ", "_"))


def has_subpages(ctx: RenderContext, ns: int) -> bool:
    if ns == 0 and (ctx.site.options or {}).get("subpage"):
        return True
    return ns in getattr(ctx.site, "subpage_namespaces", DEFAULT_SUBPAGE_NAMESPACES)


def subpage_text(ctx: RenderContext, title: TitleLike) -> str:
    if has_subpages(ctx, title.namespace) and "/" in title.text:
        return title.text.rsplit("/", 1)[1]
    return title.text


def base_text(ctx: RenderContext, title: TitleLike) -> str:
    if has_subpages(ctx, title.namespace) and "/" in title.text:
        return title.text.rsplit("/", 1)[0]
    return title.text


def root_text(ctx: RenderContext, title: TitleLike) -> str:
    if has_subpages(ctx, title.namespace) and "/" in title.text:
        return title.text.split("/", 1)[0]
    return title.text


def talk_ns(ns: int) -> int | None:
    return ns | 1 if ns >= 0 else None


def subject_ns(ns: int) -> int:
    return ns & ~1 if ns >= 0 else ns
