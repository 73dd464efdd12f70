"""Where an uploaded file and its thumbnails live: MediaWiki's hashed layout, as URL paths.

`images/a/ab/Name.jpg` (the first one and two hex digits of the MD5 of the dbkey), thumbnails under
`images/thumb/a/ab/Name.jpg/220px-Name.jpg` (SVG and other vector types get a `.png` thumbnail).
Pure: used by the renderer for URLs and by the file store for paths on disk.
"""

from __future__ import annotations

import functools
import hashlib
from urllib.parse import quote

# Types whose thumbnails are rasterised to PNG (MediaWiki appends ".png" to the thumbnail name).
RASTERISED_TO_PNG = frozenset({"image/svg+xml", "application/pdf", "image/vnd.djvu"})


@functools.lru_cache(maxsize=4096)  # a page asks it three times an image (1x, 1.5x, 2x)
def hash_dir(name: str) -> str:
    """'a/ab' for a file dbkey: the first one and two hex digits of the MD5 of its UTF-8 bytes."""
    digest = hashlib.md5(name.encode("utf-8")).hexdigest()  # noqa: S324 - a path layout, not security
    return f"{digest[0]}/{digest[:2]}"


def thumb_name(name: str, width: int, mime: str = "", page: int | None = None, lang: str = "") -> str:
    """The thumbnail's file name: '220px-Name.jpg', 'page2-220px-Doc.pdf.jpg', '220px-Logo.svg.png'
    ('langde-220px-Logo.svg.png' for an SVG drawn in another language than its default)."""
    prefix = f"lang{lang.lower()}-" if lang else ""
    prefix += f"page{page}-" if page else ""
    suffix = ".png" if mime == "image/svg+xml" else ".jpg" if mime in RASTERISED_TO_PNG else ""
    return f"{prefix}{width}px-{name}{suffix}"


@functools.lru_cache(maxsize=4096)
def _url_name(name: str) -> str:
    """PHP's rawurlencode, as File::getUrlRel: only letters, digits and "-._~" stay as they are."""
    return quote(name, safe="")


def original_path(name: str) -> str:
    """Path of the original below the upload root: 'a/ab/Name.jpg'."""
    return f"{hash_dir(name)}/{name}"


def thumb_path(name: str, width: int, mime: str = "", page: int | None = None, lang: str = "") -> str:
    """Path of a thumbnail below the upload root: 'thumb/a/ab/Name.jpg/220px-Name.jpg'."""
    return f"thumb/{hash_dir(name)}/{name}/{thumb_name(name, width, mime, page, lang)}"


def original_url(upload_path: str, name: str) -> str:
    """URL path of the original: '/images/a/ab/Name.jpg' (percent-encoded as MediaWiki does)."""
    return f"{upload_path}/{hash_dir(name)}/{_url_name(name)}"


def thumb_url(
    upload_path: str, name: str, width: int, mime: str = "", page: int | None = None, lang: str = ""
) -> str:
    """URL path of a thumbnail of `width` pixels: '/images/thumb/a/ab/Name.jpg/220px-Name.jpg'."""
    thumb = _url_name(thumb_name(name, width, mime, page, lang))
    return f"{upload_path}/thumb/{hash_dir(name)}/{_url_name(name)}/{thumb}"
