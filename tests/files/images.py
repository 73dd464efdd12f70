"""Real files made for the tests with Pillow, and hostile ones (polyglots, unsafe SVG, bombs)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png(width: int = 40, height: int = 30, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 48, orientation: int | None = None, model: str = "") -> bytes:
    img = Image.new("RGB", (width, height), (10, 120, 200))
    exif = Image.Exif()
    if orientation:
        exif[274] = orientation
    if model:
        exif[272] = model
        exif[271] = "TestCam"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def gif_animated(width: int = 30, height: int = 20) -> bytes:
    frames = [Image.new("P", (width, height), i) for i in (1, 2, 3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def webp(width: int = 32, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 200, 0)).save(out, "WEBP")
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
    b'<rect width="200" height="100" fill="#36c"/><circle cx="50" cy="50" r="40" fill="url(#g)"/></svg>'
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bomb(side: int = 20000) -> bytes:
    """A PNG header announcing side×side pixels, with a tiny compressed body (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * side
    body = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def gif_html_polyglot() -> bytes:
    """A valid GIF whose comment block carries an HTML page with script (a GIFAR-style polyglot)."""
    data = _gif_bytes()
    payload = b"<html><body><script>alert(document.domain)</script></body></html>"
    comment = b"\x21\xfe" + bytes([len(payload)]) + payload + b"\x00"
    return bytes(data[:-1]) + comment + b"\x3b"


def _gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10), 1).save(out, "GIF")
    return out.getvalue()


def png_with_trailing_html() -> bytes:
    return png() + b"<!DOCTYPE html><html><script>alert(1)</script></html>"


HOSTILE_SVG = {
    "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
    "javascript-href": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<a xlink:href="javascript:alert(1)"><rect width="9" height="9"/></a></svg>',
    "external-image": b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
    "foreign-object": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject>'
    b'<div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject></svg>',
    "entity": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    "billion-laughs": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    "css-import": b'<svg xmlns="http://www.w3.org/2000/svg">'
    b"<style>@import url(https://evil.example/x.css);</style></svg>",
    "style-url": b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/p)"/></svg>',
    "set-href": b'<svg xmlns="http://www.w3.org/2000/svg"><a>'
    b'<set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "xhtml-namespace": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml">'
    b"<h:script>alert(1)</h:script></svg>",
    "html-not-svg": b"<html><svg><script>alert(1)</script></svg></html>",
}
