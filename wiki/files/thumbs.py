"""Thumbnails: made on the first request for a width, once, then served from the disk cache.

The cache is a folder on local disk (`thumb/` under WIKI_UPLOAD_DIR, whichever store holds the
originals), one sub-folder per file and content hash, so a new version never shows an old
thumbnail on any host. A burst of requests for a missing thumbnail makes it once: the makers
queue on a file lock and the later ones find it made. Raster images keep EXIF orientation and
animated GIFs give their first frame; SVG is rasterised to PNG by CairoSVG (never loading
anything the SVG names: uploads with outside references are refused anyway).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps

from wiki.files import store as stores
from wiki.markup.filepaths import hash_dir, thumb_name
from wiki.models import File

MAX_WIDTH = 4096  # wider thumbnails are refused (a URL names any width)
MAX_PIXELS = 25_000_000  # nor larger ones (a tall SVG asked for at a large width)
SAVE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


class NoThumbnail(ValueError):
    """This width cannot be made for this file (too wide, a type without thumbnails)."""


def cache_dir(name: str) -> Path:
    return Path(current_app.config["WIKI_UPLOAD_DIR"]) / "thumb" / hash_dir(name) / name


def check_width(row: File, width: int) -> None:
    if width < 1 or width > MAX_WIDTH:
        raise NoThumbnail(f"Thumbnails are 1 to {MAX_WIDTH} pixels wide; {width} was asked for.")
    if row.mime == "application/pdf":
        raise NoThumbnail("This wiki makes no thumbnails of PDF files.")
    if row.mime != "image/svg+xml" and width >= row.width:
        raise NoThumbnail(f"The image is {row.width} pixels wide: a thumbnail must be narrower.")
    height = round(row.height * width / row.width) if row.width else width
    if width * height > MAX_PIXELS:
        raise NoThumbnail(
            f"A thumbnail may have at most {MAX_PIXELS:,} pixels; {width}×{height} was asked for."
        )


def thumbnail(row: File, width: int) -> Path:
    """The path of the thumbnail of `row` at `width` pixels, made now if it is not cached."""
    check_width(row, width)
    folder: Path = cache_dir(row.name) / str(row.sha1)[:12]
    target: Path = folder / thumb_name(row.name, width, row.mime)
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait, then find it made
        if not target.is_file():
            try:
                _make(row, width, target)
            except Exception as exc:  # a file Pillow or Cairo cannot draw: say so, never a 500
                raise NoThumbnail(
                    f"No thumbnail could be made of this file ({exc.__class__.__name__})."
                ) from exc
    return target


def _make(row: File, width: int, target: Path) -> None:
    height = max(1, round(row.height * width / row.width)) if row.width else width
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".make-")
    os.close(fd)
    try:
        store = stores.current()
        with stores.local_copy(store, row.storage_key) as source:
            if row.mime == "image/svg+xml":
                _svg(source, Path(tmp), width, height)
            else:
                _raster(source, Path(tmp), width, height, SAVE_FORMATS[row.mime])
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _raster(source: Path, out: Path, width: int, height: int, fmt: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked at upload
        with Image.open(source) as img:
            img.seek(0)  # an animation's first frame
            img.draft("RGB", (width, height))  # JPEG: decode at a fraction of the size
            frame = ImageOps.exif_transpose(img)
            if fmt == "JPEG" and frame.mode not in ("RGB", "L"):
                frame = frame.convert("RGB")
            elif fmt == "GIF":
                frame = frame.convert("RGBA") if "transparency" in img.info else frame.convert("RGB")
            frame = frame.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            options = {"quality": 80, "optimize": True} if fmt == "JPEG" else {}
            frame.save(out, format=fmt, **options)


def _svg(source: Path, out: Path, width: int, height: int) -> None:
    import cairosvg  # loads libcairo: only when an SVG thumbnail is made

    cairosvg.svg2png(
        url=str(source), write_to=str(out), output_width=width, output_height=height, unsafe=False
    )


def forget(name: str) -> None:
    """Drop the cached thumbnails of a file (a new version, a deletion)."""
    shutil.rmtree(cache_dir(name), ignore_errors=True)
