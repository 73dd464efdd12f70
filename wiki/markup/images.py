"""[[File:…]] and [[Media:…]] links as MediaWiki 1.39's legacy parser writes them.

`Images` (one per render) looks files up through the context's `files` callback (memoized,
batched), reads the bad image list once, records the files used (Rendered.images) and makes the
HTML of Linker::makeImageLink (inline and floated images), makeThumbLink2 (the thumb and frame
boxes) and makeMediaLinkFile ([[Media:]]). Options and sizes: wiki.markup.imagesize.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from wiki.markup import filepaths
from wiki.markup.context import FileFacts, RenderContext, TitleLike
from wiki.markup.escape import escape_attr, escape_text, url_protocols_regex, wf_url_encode
from wiki.markup.html.sanitizer import decode_char_references
from wiki.markup.imagesize import (
    MISSING_THUMB_WIDTH,
    MISSING_UPRIGHT_WIDTH,
    NS_FILE,
    NS_MEDIA,
    NS_SPECIAL,
    PAGED,
    SVG_MAX_SIZE,
    VECTOR,
    Thumb,
    is_url_link,
    parse_bad_image_list,
    parse_options,
    php_number,
    renders_inline,
    responsive,
    split_options,
    transform,
    upright_width,
)
from wiki.markup.links import LinkHolders, fragment_url, interwiki_url, local_url
from wiki.markup.strip import StripState

Params = dict[str, Any]  # MediaWiki's frame and handler parameter arrays
BROKEN_FILE_CATEGORY = "Pages_with_broken_file_links"  # its broken-file-category tracking category
_PROTOCOL = re.compile("(?:" + url_protocols_regex() + ")", re.I)


# --- one render's images ------------------------------------------------------------------------
_TAGS = re.compile(r"<[^>]*>")
_FILE_LINK = re.compile(r"\[\[[ :]*([^\[\]|{}<>\n]+?:[^\[\]|{}<>\n]+?)\s*(?:\||\]\])")
MAX_PREFETCH = 5000  # links read ahead for the one batched file look-up (the rest: asked later)
_WS = re.compile(r"[\t\n\r ]")


class Images:
    """The images of one render: file look-ups, the bad image list, and the HTML."""

    def __init__(self, ctx: RenderContext, holders: LinkHolders, strip: StripState, ext: Any) -> None:
        self.ctx = ctx
        self.holders = holders
        self.strip = strip
        self.ext = ext  # ExternalLinks: link= URLs count as external links
        self.known: dict[str, FileFacts | None] = {}
        self.pending: set[str] = set()
        self.used: list[str] = []
        self.broken = False  # a missing file was shown: the page joins the tracking category
        self._bad: dict[str, frozenset[str]] | None = None

    # files
    def want(self, names: Iterable[str]) -> None:
        """Names to look up with the next look-up (one batch instead of many)."""
        self.pending.update(n for n in names if n not in self.known)

    def prefetch(self, text: str) -> None:
        """Note the files a text's [[File:]] and [[Media:]] links name, for one batched look-up."""
        if "[[" not in text:
            return
        parse = self.ctx.site.parse_title
        names = set()
        for target in _FILE_LINK.findall(text)[:MAX_PREFETCH]:
            title = parse(target, default_namespace=0)
            if title is not None and not title.interwiki and title.namespace in (NS_FILE, NS_MEDIA):
                names.add(title.dbkey)
        self.want(names)

    def facts(self, name: str) -> FileFacts | None:
        if name not in self.known:
            self.pending.add(name)
            batch = sorted(self.pending)
            self.pending.clear()
            found = self.ctx.files(batch)
            for n in batch:
                self.known[n] = found.get(n)
        return self.known[name]

    def existing(self, names: Iterable[str]) -> set[str]:
        names = list(names)
        self.want(names)
        return {n for n in names if self.facts(n) is not None}

    def tracking(self, sort_key: str) -> list[tuple[str, str]]:
        """MediaWiki's broken-file-category, when an image or gallery showed a missing file."""
        return [(BROKEN_FILE_CATEGORY, sort_key)] if self.broken else []

    def use(self, name: str) -> None:
        """Note a file the page shows, for the imagelinks table (never pagelinks, as in MediaWiki)."""
        if name not in self.used:
            self.used.append(name)

    def is_bad(self, name: str) -> bool:
        if self._bad is None:
            text = self.ctx.bad_image_list()
            self._bad = parse_bad_image_list(text, self.ctx.site.parse_title) if text else {}
        if name not in self._bad:
            return False
        return self.ctx.title.prefixed_text not in self._bad[name]

    # text helpers
    def strip_alt(self, html: str) -> str:
        """Parser::stripAltText: the plain text of some HTML (links by their label)."""
        text = self.strip.unstrip_all(self.holders.replace_text(html))
        text = decode_char_references(_TAGS.sub("", text))
        return _WS.sub(" ", text)

    def parse_link(self, value: str) -> tuple[str | None, Any]:
        """Parser::parseLinkParameter: ('no-link', True), ('link-url', url), ('link-title', title)."""
        if value == "":
            return "no-link", True
        if _PROTOCOL.match(value):
            if is_url_link(value):
                self.ext.urls.append(value)
                return "link-url", value
            return None, None
        title = self.ctx.site.parse_title(unquote(value, errors="replace"), default_namespace=0)
        if title is None or (not title.text and not title.interwiki and not title.fragment):
            return None, None
        if not title.interwiki:
            self.holders.links.append(title.prefixed_text)
        return "link-title", title

    def file_title(self, title: TitleLike) -> TitleLike:
        if title.namespace == NS_FILE:
            return title
        return self.ctx.site.parse_title(f"File:{title.text}", default_namespace=NS_FILE) or title

    def upload_url(self, title: TitleLike) -> str:
        special = self.ctx.site.namespace_names.get(NS_SPECIAL, "Special")
        upload = self.ctx.site.parse_title(f"{special}:Upload", default_namespace=0)
        assert upload is not None
        return local_url(self.ctx, upload, "wpDestFile=" + wf_url_encode(title.dbkey))

    def broken_link(self, title: TitleLike, label: str, exists: bool = False) -> str:
        """Linker::makeBrokenImageLinkObj: a missing file links to its upload form."""
        title = self.file_title(title)
        label = escape_text(label or title.prefixed_text)
        tip = escape_attr(title.prefixed_text)
        if exists:
            return f'<a href="{escape_attr(local_url(self.ctx, title))}" title="{tip}">{label}</a>'
        return f'<a href="{escape_attr(self.upload_url(title))}" class="new" title="{tip}">{label}</a>'

    def known_link(self, title: TitleLike, html: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        href = escape_attr(local_url(self.ctx, title))
        return f'<a href="{href}"{attr} title="{escape_attr(title.prefixed_text)}">{html}</a>'

    # [[Media:X]]
    def media_link(self, title: TitleLike, label: str) -> str:
        """Linker::makeMediaLinkFile: a link to the file itself (to its upload form when missing)."""
        name = title.dbkey
        self.use(name)
        facts = self.facts(name)
        if facts is not None:
            href, cls = filepaths.original_url(self.ctx.site.upload_path, name), "internal"
        else:
            href, cls = self.upload_url(title), "new"
        tip = escape_attr(title.text)
        label = label or escape_text(title.text)
        return f'<a href="{escape_attr(href)}" class="{cls}" title="{tip}">{label}</a>'

    # [[File:X|options]]
    def make_image(self, title: TitleLike, options: str) -> str:
        """Parser::makeImage + Linker::makeImageLink: the image (or its frame) as HTML."""
        name = title.dbkey
        self.use(name)
        facts = self.facts(name)
        self.broken = self.broken or facts is None
        parts = split_options(options) if options != "" else []
        params = parse_options(parts, facts, self.strip_alt, self.parse_link)
        frame, handler = params.frame, params.handler
        caption = params.caption
        visible = "framed" in frame or "thumbnail" in frame or "manualthumb" in frame
        if visible:
            if caption == "" and "alt" not in frame:
                frame["alt"] = title.text
        else:
            if "alt" not in frame:
                frame["alt"] = self.strip_alt(caption) if caption != "" else title.text
            frame["title"] = self.strip_alt(caption)
        frame["caption"] = caption
        return self.image_link(self.file_title(title), facts, frame, handler).replace("\n", " ")

    def image_link(self, title: TitleLike, facts: FileFacts | None, frame: Params, handler: Params) -> str:
        site = self.ctx.site
        if facts is not None and not renders_inline(facts):
            return self.known_link(title, escape_text(title.prefixed_text))
        page = int(handler["page"]) if "page" in handler else None
        frame.setdefault("align", "")
        frame.setdefault("alt", "")
        frame.setdefault("title", "")
        frame.setdefault("class", "")
        prefix = postfix = ""
        if frame["align"] == "center":
            prefix, postfix = '<div class="center">', "</div>"
            frame["align"] = "none"
        if facts is not None and "width" not in handler:
            if "height" in handler and facts.mime in VECTOR:
                handler["width"] = SVG_MAX_SIZE
            else:
                handler["width"] = facts.width
            if (
                any(k in frame for k in ("thumbnail", "manualthumb", "framed", "frameless"))
                or not handler["width"]
            ):
                upright = frame.get("upright", False)
                if "upright" in frame and (upright is None or float(upright or 0) == 0):
                    frame["upright"] = upright = site.thumb_upright
                pref = site.thumb_width
                if "upright" in frame:
                    pref = upright_width(site.thumb_width, float(upright))
                if "height" not in handler and (
                    handler["width"] <= 0 or pref < handler["width"] or facts.mime in VECTOR
                ):
                    handler["width"] = pref
        if "thumbnail" in frame or "manualthumb" in frame or "framed" in frame:
            if frame["align"] == "":
                frame["align"] = "right"
            return prefix + self.thumb_link(title, facts, frame, handler, page) + postfix
        if "frameless" in frame and facts is not None:
            if facts.mime not in VECTOR | PAGED and handler["width"] > facts.width:
                handler["width"] = facts.width
        thumb = None
        if facts is not None and "width" in handler:
            thumb = self._sized(facts, handler, page)
        if thumb is None or (facts is not None and self.is_bad(title.dbkey)):
            html = self.broken_link(title, frame["title"], exists=facts is not None)
        else:
            img_class = frame["class"]
            if "border" in frame:
                img_class = (img_class + " " if img_class else "") + "thumbborder"
            html = self.thumb_html(
                title,
                thumb,
                frame,
                alt=frame["alt"],
                tip=frame["title"],
                valign=frame.get("valign", ""),
                img_class=img_class,
            )
        if frame["align"]:
            html = f'<div class="float{frame["align"]}">{html}</div>'
        return prefix + html + postfix

    def _sized(self, facts: FileFacts, handler: Params, page: int | None) -> Thumb | None:
        up = self.ctx.site.upload_path
        lang = handler.get("lang", "")
        thumb = transform(up, facts, handler["width"], handler.get("height"), page, lang)
        if thumb is not None:
            thumb.srcset = responsive(up, facts, thumb, handler["width"], handler.get("height"), page, lang)
        return thumb

    def thumb_link(
        self, title: TitleLike, facts: FileFacts | None, frame: Params, handler: Params, page: int | None
    ) -> str:
        """Linker::makeThumbLink2: the legacy frame (div.thumb > div.thumbinner > image, caption)."""
        up = self.ctx.site.upload_path
        if not handler.get("width"):
            handler["width"] = MISSING_UPRIGHT_WIDTH if "upright" in frame else MISSING_THUMB_WIDTH
        thumb: Thumb | None = None
        manual_title: TitleLike | None = None
        manual = False
        no_scale = False
        if facts is None:
            outer = handler["width"] + 2
        else:
            if "manualthumb" in frame:
                # Title::makeTitleSafe(NS_FILE, value): "thumb=File:X.png" names "File:File:X.png"
                manual_title = self.ctx.site.parse_title(
                    f"File:{frame['manualthumb']}", default_namespace=NS_FILE
                )
                manual_facts = self.facts(manual_title.dbkey) if manual_title is not None else None
                if manual_facts is not None:
                    thumb = transform(up, manual_facts, manual_facts.width, None, page)
                    manual = True
            elif "framed" in frame:
                no_scale = True
                thumb = transform(up, facts, facts.width, None, page, handler.get("lang", ""))
            else:
                if facts.mime not in VECTOR | PAGED and handler["width"] > facts.width:
                    handler["width"] = facts.width
                thumb = self._sized(facts, handler, page)
            outer = (thumb.width if thumb else handler["width"]) + 2
        query = []
        if page:
            query.append(f"page={page}")
        url = local_url(self.ctx, title, "&".join(query)) if query else local_url(self.ctx, title)
        if manual and not any(k in frame for k in ("link-title", "link-url", "no-link")):
            frame["link-title"] = title
        bad = (
            facts is not None
            and thumb is not None
            and self.is_bad(manual_title.dbkey if manual and manual_title else title.dbkey)
        )
        s = f'<div class="thumb t{frame["align"]}"><div class="thumbinner" style="width:{outer}px;">'
        zoom = ""
        if facts is None:
            s += self.broken_link(title, "")
        elif thumb is None:
            s += "Error creating thumbnail: "
        elif bad:
            s += self.broken_link(title, "", exists=True)
        else:
            if no_scale or manual:
                thumb.srcset = ""
            img_class = (frame["class"] + " " if frame["class"] else "") + "thumbimage"
            s += self.thumb_html(
                title, thumb, frame, alt=frame["alt"], tip=frame["title"], img_class=img_class
            )
            if "framed" not in frame:
                zoom = f'<a href="{escape_attr(url)}" class="internal" title="Enlarge"></a>'
                zoom = f'<div class="magnify">{zoom}</div>'
        s += f'  <div class="thumbcaption">{zoom}{frame["caption"]}</div></div></div>'
        return s

    def thumb_html(
        self,
        title: TitleLike,
        thumb: Thumb,
        frame: Params,
        alt: str | None = "",
        tip: str = "",
        valign: str = "",
        img_class: str = "",
        width: int | float | None = None,
        height: int | float | None = None,
    ) -> str:
        """ThumbnailImage::toHtml: the <img>, wrapped in the link the options ask for."""
        attrs = []
        if alt is not None:
            attrs.append(f'alt="{escape_attr(alt)}"')
        attrs.append(f'src="{escape_attr(thumb.url)}"')
        attrs.append('decoding="async"')
        link = self._link_attrs(title, thumb, frame, tip)
        if link is None and tip:
            attrs.append(f'title="{escape_attr(tip)}"')
        w = thumb.width if width is None else width
        h = thumb.height if height is None else height
        attrs.append(f'width="{php_number(w)}" height="{php_number(h)}"')
        if valign:
            attrs.append(f'style="vertical-align: {escape_attr(valign)}"')
        if img_class:
            attrs.append(f'class="{escape_attr(img_class)}"')
        if thumb.srcset:
            attrs.append(f'srcset="{escape_attr(thumb.srcset)}"')
        img = f"<img {' '.join(attrs)} />"
        if link is None:
            return img
        return f"<a {link}>{img}</a>"

    def _link_attrs(self, title: TitleLike, thumb: Thumb, frame: Params, tip: str) -> str | None:
        tip_attr = f' title="{escape_attr(tip)}"' if tip else ""
        if frame.get("link-url"):
            url = frame["link-url"]
            return f'href="{escape_attr(url)}"{tip_attr}{self.ext.attribs(url)}'
        target = frame.get("link-title")
        if target:
            if target.interwiki:
                href = interwiki_url(self.ctx, target)
            else:
                href = local_url(self.ctx, target) + fragment_url(target.fragment)
            label = tip or target.prefixed_text
            return f'href="{escape_attr(href)}" title="{escape_attr(label)}"'
        if frame.get("no-link"):
            return None
        query = []
        if thumb.page and thumb.page != 1:
            query.append(f"page={thumb.page}")
        if thumb.lang:
            query.append(f"lang={wf_url_encode(thumb.lang)}")
        href = local_url(self.ctx, title, "&".join(query)) if query else local_url(self.ctx, title)
        return f'href="{escape_attr(href)}" class="image"{tip_attr}'
