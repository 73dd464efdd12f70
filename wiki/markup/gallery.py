"""<gallery>: MediaWiki 1.39's image galleries (traditional, nolines, packed, packed-hover,
packed-overlay; slideshow as the legacy parser writes it, a traditional list for the script).

One line per image, `File:Name.jpg|option|…|caption` (the namespace may be left out); options are
alt=, link= and the file type's own (page=, lang=); the caption is parsed as wikitext. The HTML
is TraditionalImageGallery::toHTML's, with the sizes of each mode's class.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from wiki.markup.context import FileFacts, TitleLike
from wiki.markup.escape import escape_text
from wiki.markup.html.sanitizer import decode_tag_attributes, encode_attributes, validate_attributes
from wiki.markup.images import Images
from wiki.markup.imagesize import (
    NS_FILE,
    Thumb,
    handler_params,
    match_option,
    parse_width,
    php_intval,
    php_number,
    renders_inline,
    responsive,
    split_options,
    transform,
)

MODES = ("traditional", "nolines", "packed", "packed-hover", "packed-overlay", "slideshow")
MAX_LINES = 1000  # images in one gallery; the rest is dropped
_LINE = re.compile(r"([^|]+)(\|(.*))?", re.S)


@dataclass(frozen=True)
class Layout:
    """The padding of a gallery mode (TraditionalImageGallery and its subclasses)."""

    thumb_padding: int = 30
    gb_padding: int = 5
    gb_borders: int = 8
    scale: float = 1.0  # packed modes fetch 1.5 times the size the script scales down
    overlay: bool = False
    centred: bool = True  # the image is centred vertically in its box (not in nolines)

    @property
    def packed(self) -> bool:
        return self.scale != 1.0


LAYOUTS = {
    "traditional": Layout(),
    "slideshow": Layout(),
    "nolines": Layout(thumb_padding=0, gb_borders=4, centred=False),
    "packed": Layout(thumb_padding=0, gb_padding=2, scale=1.5),
    "packed-hover": Layout(thumb_padding=0, gb_padding=2, scale=1.5, overlay=True),
    "packed-overlay": Layout(thumb_padding=0, gb_padding=2, scale=1.5, overlay=True),
}


@dataclass
class Item:
    title: TitleLike
    facts: FileFacts | None
    label: str = ""
    alt: str | None = None
    frame: dict[str, Any] | None = None
    handler: dict[str, Any] | None = None


def _size(value: str | None, default: int) -> int:
    size = parse_width(value.strip(), with_height=False) if value is not None else {}
    width = size.get("width", 0)
    return width if width > 0 else default


def render_gallery(attrs: str, content: str | None, images: Images, parse: Callable[[str], str]) -> str:
    """The HTML of one <gallery> tag (`parse` is the parser's recursiveTagParse)."""
    ctx = images.ctx
    params = decode_tag_attributes(attrs)
    mode = params.get("mode", "traditional").strip().lower()
    if mode not in MODES:
        mode = "traditional"
    layout = LAYOUTS[mode]
    widths = _size(params.get("widths"), ctx.site.gallery_width)
    heights = _size(params.get("heights"), ctx.site.gallery_height)
    m = re.match(r"\s*(\d+)", params.get("perrow", ""))
    per_row = 0 if layout.packed or not m else php_intval(m.group(1))
    ul = validate_attributes(params, "ul")
    classes = f"gallery mw-gallery-{mode}" + (f" {ul['class']}" if ul.get("class") else "")
    attribs = {"class": classes, **{k: v for k, v in ul.items() if k != "class"}}
    if per_row > 0:
        all_padding = layout.thumb_padding + layout.gb_padding + layout.gb_borders
        attribs["style"] = f"max-width: {per_row * (widths + all_padding)}px;" + ul.get("style", "")
    if mode == "slideshow" and "showthumbnails" in params:
        attribs["data-showthumbnails"] = "1"
    out = [f"<ul{encode_attributes(attribs)}>"]
    if params.get("caption"):
        out.append(f'\n\t<li class="gallerycaption">{parse(params["caption"])}</li>')
    items = _items(content or "", images, parse)
    for item in items:
        out.append(_item_html(item, images, layout, widths, heights, "showfilename" in params))
    out.append("\n</ul>")
    return "".join(out)


def _items(content: str, images: Images, parse: Callable[[str], str]) -> list[Item]:
    ctx = images.ctx
    lines: list[tuple[TitleLike, str | None]] = []
    for line in content.split("\n")[:MAX_LINES]:
        m = _LINE.fullmatch(line)
        if not m:
            continue
        name = unquote(m.group(1), errors="replace") if "%" in m.group(0) else m.group(1)
        title = ctx.site.parse_title(name, default_namespace=NS_FILE)
        if title is None or title.interwiki or not title.text:
            continue
        lines.append((title, m.group(3)))
    images.want(t.dbkey for t, _ in lines if t.namespace == NS_FILE)
    items: list[Item] = []
    for title, options in lines:
        facts = None
        if title.namespace == NS_FILE:
            images.use(title.dbkey)
            facts = images.facts(title.dbkey)
        item = Item(title, facts)
        if options is not None:
            _options(item, parse(options.strip()), images)
        items.append(item)
    return items


def _options(item: Item, text: str, images: Images) -> None:
    """Parser::renderImageGallery's reading of one line's options (the last unknown is the caption)."""
    handler = [p for p in handler_params(item.facts) if p != "width"] if item.facts else []
    frame: dict[str, Any] = {}
    hopts: dict[str, Any] = {}
    has_alt = False
    for part in split_options(text):
        found = match_option(part, handler)
        if found is None or found[0] not in ("alt", "link", *handler):
            item.label = part
            continue
        name, _, value = found
        if name == "alt":
            has_alt = True
            item.alt = images.strip_alt(value or "")
        elif name == "link":
            kind, target = images.parse_link(images.strip_alt(value or ""))
            if kind:
                frame[kind] = target
        else:
            hopts[name] = value
    if not has_alt and item.label != "":
        item.alt = images.strip_alt(item.label)
    frame["title"] = images.strip_alt(item.label)
    item.frame, item.handler = frame, hopts


def _item_html(item: Item, images: Images, layout: Layout, widths: int, heights: int, filename: bool) -> str:
    title, facts = item.title, item.facts
    up = images.ctx.site.upload_path
    box = layout.thumb_padding + heights
    thumb: Thumb | None = None
    if facts is None:
        images.broken = True
        thumbhtml = f'<div class="thumb" style="height: {box}px;">{escape_text(title.text)}</div>'
    elif images.is_bad(title.dbkey):
        link = images.known_link(title, escape_text(title.text))
        thumbhtml = f'<div class="thumb" style="height: {box}px;">{link}</div>'
    else:
        handler = item.handler or {}
        page = int(handler["page"]) if "page" in handler else None
        lang = handler.get("lang", "")
        if layout.packed:
            w, h = int((heights * 10 + 100) * layout.scale), int(heights * layout.scale)
        else:
            w, h = widths, heights
        thumb = transform(up, facts, w, h, page, lang) if renders_inline(facts) else None
        if thumb is None:
            thumbhtml = f'<div class="thumb" style="height: {box}px;"></div>'
        else:
            thumb.srcset = responsive(up, facts, thumb, w, h, page, lang)
            vpad = (layout.thumb_padding + heights - thumb.height / layout.scale) / 2 if layout.centred else 0
            frame = dict(item.frame or {})
            size: dict[str, Any] = {}
            if layout.packed:
                size = {
                    "width": math.ceil(thumb.width / layout.scale),
                    "height": math.ceil(thumb.height / layout.scale),
                }
            alt = item.alt if item.alt is not None else title.text
            img = images.thumb_html(
                images.file_title(title), thumb, frame, alt=alt, tip=frame.get("title", ""), **size
            )
            div = php_number(_thumb_div_width(layout, widths, thumb.width))
            inner = f'<div style="margin:{php_number(vpad)}px auto;">{img}</div>'
            thumbhtml = f'<div class="thumb" style="width: {div}px;">{inner}</div>'
    text = ""
    if filename:
        text = (
            images.known_link(title, escape_text(title.text), "galleryfilename galleryfilename-truncate")
            + "\n"
        )
    text += item.label
    gb = _gb_width(layout, widths, thumb)
    if layout.overlay:
        if text.strip() == "":
            wrapped = ""
        else:
            caption_width = math.ceil(gb - layout.thumb_padding - layout.gb_padding - 20)
            wrapped = (
                f'\n\t\t\t<div class="gallerytextwrapper" style="width: {caption_width}px">'
                f'<div class="gallerytext">\n{text}\n\t\t\t</div></div>'
            )
    else:
        wrapped = f'\n\t\t\t<div class="gallerytext">\n{text}\n\t\t\t</div>'
    width = php_number(gb)
    return (
        f'\n\t\t<li class="gallerybox" style="width: {width}px"><div style="width: {width}px">'
        f"\n\t\t\t{thumbhtml}{wrapped}\n\t\t</div></li>"
    )


def _thumb_div_width(layout: Layout, widths: int, thumb_width: float) -> float:
    if layout.packed:
        return max(thumb_width, 60 * layout.scale) / layout.scale + layout.thumb_padding
    return widths + layout.thumb_padding


def _gb_width(layout: Layout, widths: int, thumb: Thumb | None) -> float:
    if layout.packed:
        width = thumb.width if thumb else widths * layout.scale
        return _thumb_div_width(layout, widths, width) + layout.gb_padding
    return widths + layout.thumb_padding + layout.gb_padding
