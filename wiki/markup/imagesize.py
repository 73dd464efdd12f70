"""Image link options and sizes, as MediaWiki 1.39 reads and computes them (pure functions).

`parse_options` reads the `|`-separated options of an image link (Parser::makeImage: the last
unknown option is the caption, the first alignment and the first of thumb/frame/frameless win),
`transform` sizes a file as its media handler does (a bitmap is never made bigger than its
original, a drawing scales freely; thumbnail URLs from wiki.markup.filepaths), `responsive` adds
the 1.5x and 2x copies, `parse_bad_image_list` reads MediaWiki:Bad image list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from wiki.markup import filepaths
from wiki.markup.context import FileFacts, TitleLike
from wiki.markup.escape import url_protocols_regex

NS_SPECIAL, NS_MEDIA, NS_FILE = -1, -2, 6
SVG_MAX_SIZE = 5120  # $wgSVGMaxSize: a drawing asked with a height only gets this width
# Types a renderer draws at every size (MediaWiki's mustRender): never served as the original.
VECTOR = frozenset({"image/svg+xml"})
PAGED = frozenset({"application/pdf", "image/vnd.djvu", "image/x-djvu"})
BAD_IMAGE_LIST = "MediaWiki:Bad image list"
# Widths of the legacy thumbnail frame when the file is missing (hard-coded in MediaWiki).
MISSING_THUMB_WIDTH, MISSING_UPRIGHT_WIDTH = 180, 130


# --- arithmetic as PHP does it ---------------------------------------------------------------
def php_round(value: float, precision: int = 0) -> float:
    """PHP's round(): halves away from zero (Python's round() goes to even)."""
    factor = 10.0**precision
    return math.copysign(math.floor(abs(value) * factor + 0.5) / factor, value)


def scale_height(src_width: int, src_height: int, width: int) -> int:
    """File::scaleHeight: the height of a `width`-wide copy."""
    return 0 if src_width == 0 else int(php_round(src_height * width / src_width))


def fit_box_width(box_width: int, box_height: int, max_height: int) -> int:
    """ImageHandler::fitBoxWidth: the widest width whose scaled height stays within max_height."""
    ideal = box_width * max_height / box_height
    rounded_up = math.ceil(ideal)
    if php_round(rounded_up * box_height / box_width) > max_height:
        return int(math.floor(ideal))
    return int(rounded_up)


def php_number(value: float) -> str:
    """A number as PHP prints a float (14 significant digits, no trailing '.0')."""
    if value == int(value):
        return str(int(value))
    return f"{value:.14G}"


# --- options ------------------------------------------------------------------------------------
# (parameter, group, synonyms) in MediaWiki's order (Parser::getImageParams): the first that
# matches a whole option wins. "$1" stands for the value.
_INTERNAL: list[tuple[str, str, tuple[str, ...]]] = [
    ("left", "horizAlign", ("left",)),
    ("right", "horizAlign", ("right",)),
    ("center", "horizAlign", ("center", "centre")),
    ("none", "horizAlign", ("none",)),
    ("baseline", "vertAlign", ("baseline",)),
    ("sub", "vertAlign", ("sub",)),
    ("super", "vertAlign", ("super", "sup")),
    ("top", "vertAlign", ("top",)),
    ("text-top", "vertAlign", ("text-top",)),
    ("middle", "vertAlign", ("middle",)),
    ("bottom", "vertAlign", ("bottom",)),
    ("text-bottom", "vertAlign", ("text-bottom",)),
    ("thumbnail", "frame", ("thumb", "thumbnail")),
    ("manualthumb", "frame", ("thumbnail=$1", "thumb=$1")),
    ("framed", "frame", ("frame", "framed", "enframed")),
    ("frameless", "frame", ("frameless",)),
    ("upright", "frame", ("upright", "upright=$1", "upright $1")),
    ("border", "frame", ("border",)),
    ("link", "frame", ("link=$1",)),
    ("alt", "frame", ("alt=$1",)),
    ("class", "frame", ("class=$1",)),
]
_HANDLER: dict[str, tuple[str, ...]] = {
    "width": ("$1px",),
    "page": ("page=$1", "page $1"),
    "lang": ("lang=$1",),
}
_FORMATS = frozenset({"thumbnail", "manualthumb", "framed", "frameless"})
_LANG_TAG = re.compile(r"[a-z]{1,8}(?:-[a-z0-9]{1,8})*", re.I)
_URL_CHARS = r"[^\]\[<>\"\x00-\x20\x7f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]"
_URL_ADDR = r"(?:\[[0-9A-Fa-f:.]+\]|" + _URL_CHARS + ")"


def _word_regex(synonym: str) -> re.Pattern[str]:
    if "$1" in synonym:
        before, after = synonym.split("$1", 1)
        return re.compile(re.escape(before) + "(.*?)" + re.escape(after))
    return re.compile(re.escape(synonym))


_WORDS: list[tuple[str, str, re.Pattern[str], bool]] = [
    (name, group, _word_regex(s), "$1" in s) for name, group, syns in _INTERNAL for s in syns
]
_HANDLER_WORDS: dict[str, list[tuple[re.Pattern[str], bool]]] = {
    name: [(_word_regex(s), "$1" in s) for s in syns] for name, syns in _HANDLER.items()
}


def handler_params(facts: FileFacts | None) -> tuple[str, ...]:
    """The media handler's own options for a file (a missing file still reads its size)."""
    if facts is None:
        return ("width",)
    if facts.mime in VECTOR:
        return ("width", "lang")
    if facts.mime in PAGED:
        return ("width", "page")
    return ("width",)


def match_option(part: str, handler: Iterable[str]) -> tuple[str, str, str | None] | None:
    """(parameter, group, value or None) of the first option word matching all of `part`."""
    for name, group, regex, has_value in _WORDS:
        m = regex.fullmatch(part)
        if m:
            return name, group, m.group(1) if has_value else None
    for name in handler:
        for regex, _ in _HANDLER_WORDS[name]:
            m = regex.fullmatch(part)
            if m:
                return name, "handler", m.group(1)
    return None


def parse_width(value: str, with_height: bool = True) -> dict[str, int]:
    """Parser::parseWidthParam: '200', '200px', '200x100', 'x100' (a trailing 'px' allowed)."""
    if value == "":
        return {}
    m = re.fullmatch(r"([0-9]*)x([0-9]*)\s*(?:px)?\s*", value) if with_height else None
    if m:
        return {"width": php_intval(m.group(1)), "height": php_intval(m.group(2))}
    m = re.fullmatch(r"([0-9]*)\s*(?:px)?\s*", value)
    if m:
        return {"width": php_intval(m.group(1))}
    return {}


PHP_INT_MAX = 2**63 - 1


def php_intval(digits: str) -> int:
    """PHP's intval() of a string of digits: 0 when empty, at most PHP_INT_MAX."""
    return min(int(digits or 0), PHP_INT_MAX) if len(digits) < 30 else PHP_INT_MAX


def upright_width(thumb_width: int, factor: float) -> int:
    """The default width scaled by `upright`, rounded to tens (0 when the factor is absurd)."""
    width = thumb_width * factor
    return int(php_round(width, -1)) if math.isfinite(width) and abs(width) < PHP_INT_MAX else 0


def _valid_handler(name: str, value: str, facts: FileFacts | None) -> bool:
    if name == "lang":
        return value != "" and bool(_LANG_TAG.fullmatch(value))
    if name == "page":  # a number, nothing more (else it is probably a caption: "page 3 shows")
        number = value.strip()
        return bool(re.fullmatch(r"[1-9][0-9]*", number))
    return False


_URL_LINK = re.compile("(?:" + url_protocols_regex() + ")" + _URL_ADDR + _URL_CHARS + "*", re.I)


def is_url_link(value: str) -> bool:
    """A link= value that is an external link (a protocol, then URL characters only)."""
    return bool(_URL_LINK.fullmatch(value))


@dataclass
class ImageParams:
    """What the options of one image link say (MediaWiki's frame and handler parameters)."""

    frame: dict[str, Any] = field(default_factory=dict)
    handler: dict[str, Any] = field(default_factory=dict)
    caption: str = ""


def parse_options(
    parts: list[str],
    facts: FileFacts | None,
    strip_alt: Callable[[str], str] = lambda s: s,
    parse_link: Callable[[str], tuple[str | None, Any]] = lambda s: (None, None),
) -> ImageParams:
    """Parser::makeImage's reading of the options: unknown or invalid ones are the caption
    (the last wins); alignment keeps the first; thumb/frame/frameless keep the first seen."""
    params = ImageParams()
    halign: list[str] = []
    valign: list[str] = []
    seen_format = False
    handler = handler_params(facts)
    for raw in parts:
        part = raw.strip()
        found = match_option(part, handler)
        validated = False
        if found is not None:
            name, group, value = found
            if group == "handler" and name == "width":
                size = parse_width(value or "")
                for key in ("width", "height"):
                    if key in size and size[key] > 0:
                        params.handler[key] = size[key]
                        validated = True
            elif group == "handler":
                validated = _valid_handler(name, value or "", facts)
                if validated:
                    params.handler[name] = value
            elif group == "horizAlign":
                validated = True
                if name not in halign:
                    halign.append(name)
            elif group == "vertAlign":
                validated = True
                if name not in valign:
                    valign.append(name)
            elif name in _FORMATS:
                validated = not seen_format
                seen_format = True
                if validated:
                    params.frame[name] = strip_alt(value or "") if name == "manualthumb" else True
            elif name in ("alt", "class"):
                validated = True
                params.frame[name] = strip_alt(value or "")
            elif name == "link":
                kind, target = parse_link(strip_alt(value or ""))
                if kind:
                    validated = True
                    for key in ("link-url", "link-title", "no-link"):
                        params.frame.pop(key, None)
                    params.frame[kind] = target
            else:  # upright, border: no value or a number
                validated = value is None or _is_numeric(value)
                if validated:
                    params.frame[name] = value
        if not validated:
            params.caption = part
    if halign:
        params.frame["align"] = halign[0]
    if valign:
        params.frame["valign"] = valign[0]
    return params


def _is_numeric(value: str) -> bool:
    return bool(re.fullmatch(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*", value))


# --- sizing -------------------------------------------------------------------------------------
@dataclass
class Thumb:
    """A file at a size: the URL to show and the width and height the <img> gets."""

    url: str
    width: int
    height: int
    srcset: str = ""
    page: int | None = None
    lang: str = ""


def renders_inline(facts: FileFacts) -> bool:
    """Files shown as an image (others, such as audio, are linked to)."""
    return facts.width > 0 and (facts.mime.startswith("image/") or facts.mime in PAGED)


def transform(
    upload_path: str,
    facts: FileFacts,
    width: int,
    height: int | None = None,
    page: int | None = None,
    lang: str = "",
) -> Thumb | None:
    """File::transform with the handler's normaliseParams: None when the size is not valid."""
    src_w, src_h = facts.width, facts.height
    if width <= 0 or src_w <= 0:
        return None
    w, h = width, None
    if height is not None and height > 0 and w * src_h > height * src_w:
        w = fit_box_width(src_w, src_h, height) or 1
        h = height
    physical = w
    client_h = h if h is not None else scale_height(src_w, src_h, physical)
    mime = facts.mime
    if mime in PAGED:
        page = min(max(page or 1, 1), max(facts.pages, 1))
        url = filepaths.thumb_url(upload_path, facts.name, w, mime, page)
        return Thumb(url, w, client_h, page=page)
    if mime in VECTOR:
        url = filepaths.thumb_url(upload_path, facts.name, w, mime, lang=lang)
        return Thumb(url, w, client_h, lang=lang)
    if physical >= src_w:  # a bitmap is never made bigger than its original
        return Thumb(filepaths.original_url(upload_path, facts.name), w, client_h)
    return Thumb(filepaths.thumb_url(upload_path, facts.name, physical, mime), w, client_h)


def responsive(
    upload_path: str,
    facts: FileFacts,
    thumb: Thumb,
    width: int,
    height: int | None,
    page: int | None,
    lang: str,
) -> str:
    """The srcset of Linker::processResponsiveImages: 1.5x and 2x copies unless they are the same."""
    seen = [thumb.url]
    out: list[str] = []
    for density, factor in (("1.5", 1.5), ("2", 2.0)):
        h = int(php_round(height * factor)) if height else None
        other = transform(upload_path, facts, int(php_round(width * factor)), h, page, lang)
        if other is not None and other.url not in seen:
            seen.append(other.url)
            out.append(f"{other.url} {density}x")
    return ", ".join(out)


# --- the bad image list -------------------------------------------------------------------------
_LIST_LINK = re.compile(r"\[\[:?(.*?)\]\]")


def parse_bad_image_list(
    text: str, parse_title: Callable[..., TitleLike | None]
) -> dict[str, frozenset[str]]:
    """MediaWiki:Bad image list: '* [[File:X]] except on [[Page]]' lines -> {dbkey: exception pages}."""
    bad: dict[str, frozenset[str]] = {}
    for line in text.split("\n"):
        if not line.startswith("*"):
            continue
        image: str | None = None
        exceptions: set[str] = set()
        for i, target in enumerate(_LIST_LINK.findall(line)):
            title = parse_title(target, default_namespace=0)
            if title is None:
                continue
            if i == 0:
                image = title.dbkey
            else:
                exceptions.add(title.prefixed_text)
        if image is not None:
            bad[image] = frozenset(exceptions)
    return bad


def split_options(text: str) -> list[str]:
    """Split on '|' outside -{ }- (language converter markup), as StringUtils::delimiterExplode."""
    if "-{" not in text:
        return text.split("|")
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("-{", i):
            depth += 1
            current.append("-{")
            i += 2
            continue
        if depth and text.startswith("}-", i):
            depth -= 1
            current.append("}-")
            i += 2
            continue
        c = text[i]
        if c == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return parts
