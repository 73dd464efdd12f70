"""What an uploaded file really is, read from its bytes, and the reasons to refuse it.

The type comes from magic numbers, confirmed by Pillow for images (which also gives the size and
EXIF), by a hardened XML parse for SVG (defusedxml: no DTD, no entities) and by the header for PDF;
it must agree with the extension. Refused, each with a MediaWiki error code and a sentence: empty
files, extensions not on the list, a content type the name does not match, HTML or script hidden
in a file (polyglots: the whole file is scanned), SVG that could run script or load anything,
PDF with JavaScript or launch actions, and images with more pixels than WIKI_MAX_IMAGE_PIXELS.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from PIL import Image, UnidentifiedImageError

# Extension -> the MIME type its content must have.
EXTENSION_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "jpe": "image/jpeg",
    "webp": "image/webp",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
# The extension a MIME type is given when the name has the wrong one.
PREFERRED_EXTENSION = {
    "image/png": "png",
    "image/gif": "gif",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/svg+xml": "svg",
    "application/pdf": "pdf",
}
MEDIA_TYPES = {"image/svg+xml": "DRAWING", "application/pdf": "OFFICE"}
PILLOW_FORMATS = {"PNG": "image/png", "GIF": "image/gif", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Markup a browser would run if it ever took the file for HTML (MediaWiki's detectScript list,
# over the whole file rather than its first kilobyte).
HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|title|a\s+href|img\s|table|pre|svg|meta)\b"
    rb"|javascript:",
    re.IGNORECASE,
)
PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
SVG_NS = "http://www.w3.org/2000/svg"
SAFE_NAMESPACES = {
    SVG_NS,
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace",
    "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
}
BAD_SVG_ELEMENTS = {"script", "foreignobject", "handler", "iframe", "embed", "object", "listener"}
SAFE_DATA_URL = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
SCAN_BLOCK = 1024 * 1024
EXIF_FIELDS = {
    271: "Make",
    272: "Model",
    306: "DateTime",
    274: "Orientation",
    305: "Software",
    33432: "Copyright",
    315: "Artist",
}


class Refused(ValueError):
    """The file is not accepted: `code` is MediaWiki's, the message says why and what to do."""

    def __init__(self, code: str, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.details = details or [code]  # the API's "details" of a verification-error


@dataclass
class Facts:
    mime: str
    media_type: str
    width: int = 0
    height: int = 0
    pages: int = 1
    meta: dict[str, Any] = field(default_factory=dict)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def check(path: Path, name: str, *, allowed: set[str], max_pixels: int) -> Facts:
    """The facts of the file at `path` to be stored as `name`, or Refused."""
    size = path.stat().st_size
    if size == 0:
        raise Refused("empty-file", "The file you submitted was empty.")
    ext = extension_of(name)
    if ext not in allowed or ext not in EXTENSION_TYPES:
        listed = ", ".join(sorted(allowed))
        raise Refused(
            "filetype-banned", f'".{ext}" is not a permitted file type. Permitted file types: {listed}.'
        )
    with open(path, "rb") as handle:
        head = handle.read(1024)
    mime = magic_type(head)
    if mime is None:
        raise Refused("verification-error", "The file's content is not one of the permitted types.")
    if EXTENSION_TYPES[ext] != mime:
        better = name.rsplit(".", 1)[0] + "." + PREFERRED_EXTENSION[mime]
        raise Refused(
            "filetype-mime-mismatch",
            f'File extension ".{ext}" does not match the detected MIME type of the file ({mime}). '
            f'Upload it as "{better.replace("_", " ")}".',
            ["filetype-mime-mismatch", ext, mime],
        )
    if mime == "image/svg+xml":
        return _svg(path)
    _no_hidden_markup(path)
    if mime == "application/pdf":
        return _pdf(path)
    return _raster(path, mime, max_pixels)


def magic_type(head: bytes) -> str | None:
    """The MIME type the first bytes announce (None: none of ours)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in head.lower():
        return "image/svg+xml"
    return None


def _no_hidden_markup(path: Path) -> None:
    """Refuse a binary file that carries HTML or script anywhere (a polyglot)."""
    carry = b""
    with open(path, "rb") as handle:
        while block := handle.read(SCAN_BLOCK):
            window = carry + block
            if HTML_MARKERS.search(window):
                raise Refused(
                    "uploadscripted",
                    "This file contains HTML or script code that may be erroneously interpreted by a web "
                    "browser.",
                )
            carry = window[-32:]


def _raster(path: Path, mime: str, max_pixels: int) -> Facts:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                width, height = img.size
                if width * height > max_pixels:
                    raise Refused(
                        "verification-error",
                        f"The image is {width:,}×{height:,} pixels; "
                        f"at most {max_pixels:,} pixels are accepted.",
                    )
                if PILLOW_FORMATS.get(img.format or "") != mime:
                    raise Refused("verification-error", "The image data does not match its header.")
                meta = _exif(img)
                frames = getattr(img, "n_frames", 1)
            with Image.open(path) as img:
                img.verify()  # the structure and checksums, without decoding the pixels
    except Refused:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        RuntimeError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        Exception,  # whatever else a damaged file makes a decoder raise is a damaged file too
    ) as exc:
        raise Refused("verification-error", f"The image is damaged or not an image ({exc}).") from None
    if meta.get("Orientation") in (5, 6, 7, 8):
        width, height = height, width  # shown turned, as the camera meant it
    if frames > 1:
        meta["frameCount"] = frames
    return Facts(mime, "BITMAP", width, height, 1, meta)


def _exif(img: Image.Image) -> dict[str, Any]:
    exif = img.getexif()
    out: dict[str, Any] = {}
    for tag, label in EXIF_FIELDS.items():
        value = exif.get(tag)
        if isinstance(value, (str, int)):
            out[label] = value.strip("\x00 ")[:200] if isinstance(value, str) else value
    return out


def _svg(path: Path) -> Facts:
    try:
        tree = safe_xml.parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise Refused("verification-error", "SVG files may not contain a DTD or entities.") from None
    except (safe_xml.ParseError, ValueError) as exc:
        raise Refused("verification-error", f"The SVG file is not well-formed XML ({exc}).") from None
    root = tree.getroot()
    if root.tag != f"{{{SVG_NS}}}svg":
        raise Refused("verification-error", "The file is not an SVG image (its root is not <svg>).")
    for element in root.iter():
        _check_svg_element(element)
    width, height = _svg_size(root)
    return Facts("image/svg+xml", "DRAWING", width, height, 1, {})


def _unsafe_svg(what: str) -> Refused:
    return Refused("uploadscripted", f"This SVG file contains {what}, which is not allowed in uploads.")


def _check_svg_element(element: Any) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if ns and ns not in SAFE_NAMESPACES:
        raise _unsafe_svg(f"an element of the namespace {ns}")
    if local.lower() in BAD_SVG_ELEMENTS:
        raise _unsafe_svg(f"a <{local}> element")
    if local.lower() == "style" and CSS_DANGER.search(element.text or ""):
        raise _unsafe_svg("a style sheet loading or running something")
    for key, value in element.attrib.items():
        attr = key.rpartition("}")[2].lower()
        lowered = re.sub(r"[\s\x00-\x1f]", "", value).lower()
        if attr.startswith("on"):
            raise _unsafe_svg(f'the event handler "{attr}"')
        if "javascript:" in lowered or "vbscript:" in lowered:
            raise _unsafe_svg("a javascript: address")
        if attr == "href" and not (value.startswith("#") or SAFE_DATA_URL.match(value)):
            raise _unsafe_svg("a reference to another document")
        if attr == "style" and CSS_DANGER.search(value):
            raise _unsafe_svg("a style loading or running something")
        if local.lower() in ("set", "animate") and attr == "attributename" and value.lower().endswith("href"):
            raise _unsafe_svg("an animation of a link")
        if any(not target.startswith("#") for target in _URL_TARGET.findall(lowered)):
            raise _unsafe_svg("a reference to another document")


_URL_TARGET = re.compile(r"url\(['\"]?([^)'\"]*)")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|mm|cm|in)?\s*$")
_UNITS = {None: 1.0, "px": 1.0, "pt": 1.25, "mm": 3.543307, "cm": 35.43307, "in": 90.0}


def _svg_size(root: Any) -> tuple[int, int]:
    """The SVG's size in pixels: width/height, else its viewBox, else 512×512 (MediaWiki's)."""

    def length(raw: str | None) -> float | None:
        match = _LENGTH.match(raw or "")
        return float(match.group(1)) * _UNITS[match.group(2)] if match else None

    width, height = length(root.get("width")), length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            bw, bh = float(box[2]), float(box[3])
        except ValueError:
            bw = bh = 0.0
        if bw > 0 and bh > 0:
            if width is None and height is None:
                width, height = bw, bh
            elif width is None and height is not None:
                width = height * bw / bh
            elif height is None and width is not None:
                height = width * bh / bw
    if not width or not height:
        return 512, 512
    return max(1, min(round(width), 100_000)), max(1, min(round(height), 100_000))


_MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)\s*\]")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _pdf(path: Path) -> Facts:
    pages, box, carry = 0, None, b""
    with open(path, "rb") as handle:
        while block := handle.read(SCAN_BLOCK):
            window = carry + block
            if PDF_ACTIONS.search(window):
                raise Refused(
                    "verification-error", "This PDF contains JavaScript or actions, which are not allowed."
                )
            pages += len(_PAGE.findall(block))
            if box is None:
                box = _MEDIABOX.search(window)
            carry = window[-64:]
    width, height = 612, 792
    if box is not None:
        try:
            x0, y0, x1, y1 = (float(v) for v in box.groups())
            width, height = max(1, round(abs(x1 - x0))), max(1, round(abs(y1 - y0)))
        except ValueError:
            pass
    return Facts("application/pdf", "OFFICE", width, height, max(1, pages), {})
