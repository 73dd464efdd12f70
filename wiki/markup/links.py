"""Internal links: [[Target|text]]trail, self links, red links, interwiki, categories.

Each link becomes a holder comment (`<!--LINK'" 7-->`) that later passes leave alone; once
the block pass is done, `LinkHolders.replace` asks the site in one batch which targets
exist and puts the finished `<a>` elements in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from wiki.markup.context import RenderContext, TitleLike
from wiki.markup.escape import escape_attr, escape_id, url_protocols_regex, wf_url_encode
from wiki.markup.html.sanitizer import decode_char_references
from wiki.markup.limits import UNLIMITED, Budget
from wiki.markup.preprocessor.textfunctions import SPECIAL_ALIASES
from wiki.markup.quotes import do_quotes

_LEGAL = r" %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\x80-\U0010ffff+#"
_E1 = re.compile(rf"^([{_LEGAL}]+)(?:\|(.+?))?]](.*)$", re.S)
_E1_IMG = re.compile(rf"^([{_LEGAL}]+)\|(.*)$", re.S)
_TRAIL = re.compile(r"^([a-z]+)(.*)$", re.S)
_HOLDER = re.compile(r"<!--LINK'\" (\d+)-->")
_PROTO = re.compile(r"^(?:" + url_protocols_regex() + ")", re.I)
NS_SPECIAL, NS_MEDIA, NS_FILE, NS_CATEGORY = -1, -2, 6, 14


def split_trail(trail: str) -> tuple[str, str]:
    m = _TRAIL.match(trail)
    return (m.group(1), m.group(2)) if m else ("", trail)


def local_url(ctx: RenderContext, title: TitleLike, query: str = "") -> str:
    key = wf_url_encode(title.prefixed_text.replace(" ", "_"))
    if query:
        return f"{ctx.site.script}?title={key}&{query}"
    return ctx.site.article_path.replace("$1", key)


def canonical_special(ctx: RenderContext, title: TitleLike) -> TitleLike:
    """A special page under its canonical name (Special:Prefixindex/X is Special:PrefixIndex/X), as
    MediaWiki's links resolve aliases; unknown names stay as written."""
    base, slash, sub = title.text.partition("/")
    name = SPECIAL_ALIASES.get(base.replace(" ", "_").lower())
    if name is None or name == base:
        return title
    text = f"{ctx.site.namespace_names.get(NS_SPECIAL, 'Special')}:{name}{slash}{sub}"
    if title.fragment:
        text += "#" + title.fragment
    return ctx.site.parse_title(text, default_namespace=0) or title


def fragment_url(fragment: str) -> str:
    return "#" + escape_id(fragment) if fragment else ""


def interwiki_url(ctx: RenderContext, title: TitleLike) -> str:
    pattern = ctx.site.interwiki.get(title.interwiki.lower(), "")
    key = wf_url_encode(title.prefixed_text.split(":", 1)[1].replace(" ", "_"))
    return pattern.replace("$1", key) + fragment_url(title.fragment)


@dataclass
class LinkHolders:
    """Internal links waiting for the one existence check of the render."""

    ctx: RenderContext
    entries: list[tuple[TitleLike, str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    titles: dict[str, TitleLike | None] = field(default_factory=dict)  # parse cache
    existing: set[str] | None = None  # answer of the one existence check, once asked
    budget: Budget = UNLIMITED  # the links' HTML counts against the render's output budget
    least: int = 0  # the least HTML the links made so far will become
    # The render's images (wiki.markup.images.Images): [[File:]] and [[Media:]] links, and which
    # files exist (a link to the page of an uploaded file is blue even without a description page).
    media: Any = None

    def __post_init__(self) -> None:
        self._path = max(0, len(self.ctx.site.article_path) - 2)

    def make(self, title: TitleLike, text: str, fragment: str = "") -> str:
        self.entries.append((title, text, fragment))
        # The least HTML the link becomes, <a href="URL" title="TITLE">TEXT</a>, counts now:
        # a page of many links is stopped before its links are looked up and written out.
        name = len(title.prefixed_text)
        self.least += 24 + self._path + 2 * name + len(text) if name else 15 + len(text)
        self.budget.check_size(self.least)
        self.budget.tick()
        return f"<!--LINK'\" {len(self.entries) - 1}-->"

    def replace(self, text: str) -> str:
        if not self.entries:
            return text
        existing = self._existing()
        done: dict[tuple[int, str, str], str] = {}  # pages repeat their links
        entries = self.entries
        budget = self.budget
        made = [len(text)]

        def sub(m: re.Match[str]) -> str:
            title, label, fragment = entries[int(m.group(1))]
            key = (id(title), label, fragment)
            html = done.get(key)
            if html is None:
                html = done[key] = self.render(title, label, existing, fragment)
            made[0] += len(html)
            budget.check_size(made[0])
            budget.tick()
            return html

        return _HOLDER.sub(sub, text)

    def _existing(self) -> set[str]:
        """Which targets exist: asked once per render, for every holder made so far."""
        if self.existing is None:
            wanted = {e[0].prefixed_text for e in self.entries if not e[0].interwiki and e[0].text}
            wanted = {w for w in wanted if not w.startswith(self._special_prefix())}
            self.existing = set(self.ctx.existing_titles(sorted(wanted))) if wanted else set()
            if self.media is not None:
                files = {e[0].dbkey: e[0].prefixed_text for e in self.entries if e[0].namespace == NS_FILE}
                files = {k: v for k, v in files.items() if v not in self.existing}
                self.existing.update(files[k] for k in self.media.existing(files))
        return self.existing

    def replace_text(self, text: str) -> str:
        """Holders replaced by their plain label (for TOC lines and anchors)."""
        return _HOLDER.sub(lambda m: self.entries[int(m.group(1))][1], text)

    def _special_prefix(self) -> str:
        return self.ctx.site.namespace_names.get(NS_SPECIAL, "Special") + ":"

    def render(self, title: TitleLike, label: str, existing: set[str], fragment: str = "") -> str:
        ctx = self.ctx
        fragment = fragment or title.fragment
        if title.interwiki:
            href = escape_attr(interwiki_url(ctx, title))
            tip = escape_attr(title.prefixed_text)
            return f'<a href="{href}" class="extiw" title="{tip}">{label}</a>'
        if not title.text:
            return f'<a href="{escape_attr(fragment_url(fragment))}">{label}</a>'
        if title.namespace == NS_SPECIAL:
            title = canonical_special(ctx, title)
        name = title.prefixed_text
        tip = escape_attr(name)
        if title.namespace == NS_SPECIAL:
            base = title.text.split("/", 1)[0]
            if base.lower() in ctx.site.special_pages:
                href = escape_attr(local_url(ctx, title) + fragment_url(fragment))
                return f'<a href="{href}" title="{tip}">{label}</a>'
            href = escape_attr(local_url(ctx, title))
            return f'<a href="{href}" class="new" title="{tip} (page does not exist)">{label}</a>'
        if name in existing:
            href = escape_attr(local_url(ctx, title) + fragment_url(fragment))
            return f'<a href="{href}" title="{tip}">{label}</a>'
        href = escape_attr(local_url(ctx, title, "action=edit&redlink=1"))
        return f'<a href="{href}" class="new" title="{tip} (page does not exist)">{label}</a>'


@dataclass
class LinkResult:
    categories: list[tuple[str, str]] = field(default_factory=list)
    language_links: list[str] = field(default_factory=list)


def _strip_local_prefixes(link: str, ctx: RenderContext) -> tuple[str, bool]:
    """Remove interwiki prefixes that point at this wiki ('local:', 'mi:')."""
    local = False
    prefixes = ctx.site.self_interwiki
    while prefixes and ":" in link:
        head, rest = link.split(":", 1)
        if head.strip().lower() not in prefixes:
            break
        link, local = rest.lstrip(" "), True
    return link, local


def _same_page(a: TitleLike, b: TitleLike) -> bool:
    return (a.namespace, a.text, a.interwiki) == (b.namespace, b.text, b.interwiki)


def handle_internal_links(
    text: str, ctx: RenderContext, holders: LinkHolders, result: LinkResult, default_sort: str
) -> str:
    """Replace every well-formed [[...]] by a link holder (or drop it: categories...)."""
    if "[[" not in text:
        return text
    parts = text.split("[[")
    out: list[str] = [parts[0]]
    rest = iter(parts[1:])
    for line in rest:
        if "]]" not in line and "|" not in line:
            out.append("[[" + line)  # neither [[a]] nor an unclosed [[a|b
            continue
        rendered = _one_link(line, ctx, holders, result, out, default_sort, rest)
        if rendered is None:
            out.append("[[" + line)
        else:
            out.append(rendered)
    return "".join(out)


def _image_text(label: str, rest: Iterator[str]) -> tuple[str, str | None]:
    """An unclosed [[File:X|... may close after links in its caption: (text, trail) or None."""
    text = label
    for next_line in rest:
        pieces = next_line.split("]]", 2)
        if len(pieces) == 3:
            return f"{text}[[{pieces[0]}]]{pieces[1]}", pieces[2]
        if len(pieces) == 2:
            text += f"[[{pieces[0]}]]{pieces[1]}"
        else:
            return text + "[[" + next_line, None
    return text, None


def _one_link(
    line: str,
    ctx: RenderContext,
    holders: LinkHolders,
    result: LinkResult,
    out: list[str],
    default_sort: str,
    rest: Iterator[str] | None = None,
) -> str | None:
    m = _E1.match(line)
    if m:
        target, label, trail = m.group(1), m.group(2), m.group(3)
        if label and trail[:1] == "]" and "[" in label:
            label += "]"
            trail = trail[1:]
        might_be_img = False
    else:
        m = _E1_IMG.match(line)
        if not m:
            return None
        target, label, trail = m.group(1), m.group(2), ""
        might_be_img = True
    if "%" in target:
        target = _rawurldecode(target).replace("<", "&lt;").replace(">", "&gt;")
    orig = target.lstrip(" ")
    if _PROTO.match(orig):
        return None
    link, was_local = _strip_local_prefixes(orig, ctx)
    title = _parse(ctx, link, holders.titles) if link.strip() else None
    if title is None and was_local and not link.strip(" :"):
        title = ctx.site.parse_title(ctx.site.main_page, default_namespace=0)
    if title is None or (not title.text and not title.interwiki and link.split("#")[0].strip(" :")):
        return None
    media = holders.media
    noforce = not link.startswith(":") and not orig.startswith(":")
    if might_be_img:  # unclosed: only an image could be
        if media is None or title.namespace != NS_FILE or not noforce or title.interwiki or rest is None:
            return f"[[{link}|{label}"
        label, closed = _image_text(label, rest)
        if closed is None:  # never closed: text, with the links of what was read
            return f"[[{link}|" + handle_internal_links(label, ctx, holders, result, default_sort)
        trail = closed
    decoded = decode_char_references(link) if "&" in link else link  # "&#x5d0;" holds no fragment
    fragment = decoded.split("#", 1)[1] if "#" in decoded else ""
    fragment = fragment.replace("_", " ")
    wasblank = not label
    if wasblank:
        label = orig[1:] if orig.startswith(":") else orig
    else:
        label = do_quotes(label)
    if noforce and not was_local:
        iw = title.interwiki.lower()
        if iw and iw in ctx.site.local_interwiki and ctx.title.namespace % 2 == 0:
            result.language_links.append(title.prefixed_text)
            _rtrim_out(out)
            return trail
        if media is not None and not iw and title.namespace == NS_FILE:
            caption = "" if wasblank else media.ext.replace_bracketed(label)
            caption = handle_internal_links(caption, ctx, holders, result, default_sort)
            return str(media.make_image(title, caption)) + trail
        if title.namespace == NS_CATEGORY and not iw:
            _rtrim_out(out)
            sortkey = default_sort if wasblank else label
            sortkey = decode_char_references(sortkey).replace("\n", "")
            result.categories.append((title.text.replace(" ", "_"), sortkey))
            return trail
    if media is not None and title.namespace == NS_MEDIA and not title.interwiki:
        return str(media.media_link(title, label)) + trail
    if not title.interwiki:
        holders.links.append(title.prefixed_text)
    inside, trail = split_trail(trail)
    if (
        title.namespace != NS_SPECIAL
        and not fragment
        and not title.interwiki
        and _same_page(title, ctx.title)
    ):
        return f'<a class="mw-selflink selflink">{label}{inside}</a>{trail}'
    return holders.make(title, label + inside, fragment) + trail


def _parse(ctx: RenderContext, link: str, cache: dict[str, TitleLike | None]) -> TitleLike | None:
    """parse_title, remembered for the render (pages repeat their links)."""
    if link not in cache:
        title = ctx.site.parse_title(link, default_namespace=0)
        if title is not None and "\ufffd" in title.text:
            title = None  # invalid UTF-8 made it in: MediaWiki rejects such titles
        cache[link] = title
    return cache[link]


def _rtrim_out(out: list[str]) -> None:
    while out:
        stripped = out[-1].rstrip()
        if stripped:
            out[-1] = stripped
            return
        out.pop()


def _rawurldecode(text: str) -> str:
    from urllib.parse import unquote

    return unquote(text, errors="replace")
