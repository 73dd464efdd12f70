"""Redirect pages: `#REDIRECT [[Target]]` (any case, optional colon) at the top of the text."""

from __future__ import annotations

import re
from urllib.parse import unquote

from wiki.markup.context import RenderContext, TitleLike
from wiki.markup.escape import escape_attr, escape_text

_REDIRECT = re.compile(r"^\s*#REDIRECT\s*:?\s*\[\[([^\]\n]*?)(?:\|[^\n]*?)?\]\]\s*", re.I)


def split_redirect(text: str, ctx: RenderContext) -> tuple[TitleLike | None, str]:
    """The redirect target (fragment kept) and the text after the redirect link."""
    m = _REDIRECT.match(text)
    if not m:
        return None, text
    target = m.group(1)
    if "%" in target:
        target = unquote(target)
    if target.startswith(":"):
        target = target[1:]
    title = ctx.site.parse_title(target, default_namespace=0) if target.strip() else None
    if title is None:
        return None, text
    return title, text[m.end() :]


def redirect_header(target: TitleLike, ctx: RenderContext) -> str:
    from wiki.markup.links import fragment_url, interwiki_url, local_url

    if target.interwiki:
        href = interwiki_url(ctx, target)
    else:
        href = local_url(ctx, target) + fragment_url(target.fragment)
    label = target.prefixed_text + (f"#{target.fragment}" if target.fragment else "")
    return (
        '<div class="redirectMsg"><p>Redirect to:</p><ul class="redirectText"><li>'
        f'<a href="{escape_attr(href)}" title="{escape_attr(target.prefixed_text)}">'
        f"{escape_text(label)}</a></li></ul></div>\n"
    )
