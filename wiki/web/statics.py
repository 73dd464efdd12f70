"""Static files under fingerprinted names, cached by browsers and proxies for a year.

`url_for('static', filename='wiki.css')` yields /static/wiki.<hash>.css, where <hash> is a digest of
the file's bytes, so templates need no change and a new deploy gets new URLs. A fingerprinted URL is
served `public, max-age=31536000, immutable`; a plain or outdated name is served `no-cache` with
an ETag, so browsers revalidate it (304).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<ext>\.[A-Za-z0-9]+)$")
YEAR = 365 * 24 * 3600
_digests: dict[str, tuple[float, str]] = {}


def init(app: Flask) -> None:
    app.url_defaults(_fingerprint_url)
    app.view_functions["static"] = serve


def digest(path: str) -> str | None:
    """First 10 hex digits of the file's SHA-1, recomputed when the file changes."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    known = _digests.get(path)
    if known is None or known[0] != mtime:
        with open(path, "rb") as fh:
            known = (mtime, hashlib.sha1(fh.read()).hexdigest()[:10])
        _digests[path] = known
    return known[1]


def fingerprinted(name: str) -> str:
    """wiki.css -> wiki.<digest>.css (unchanged when the file is missing)."""
    path = safe_join(current_app.static_folder or "", name)
    value = digest(path) if path else None
    if value is None:
        return name
    stem, ext = os.path.splitext(name)
    return f"{stem}.{value}{ext}"


def _fingerprint_url(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and not FINGERPRINT.match(values["filename"]):
        values["filename"] = fingerprinted(values["filename"])


def serve(filename: str) -> Response:
    """The static view: strip a fingerprint, serve the bytes with the matching cache lifetime."""
    folder = current_app.static_folder or ""
    match = FINGERPRINT.match(filename)
    name = match["stem"] + match["ext"] if match else filename
    path = safe_join(folder, name)
    if path is None or not os.path.isfile(path):
        if match and (plain := safe_join(folder, filename)) and os.path.isfile(plain):
            path, name, match = plain, filename, None  # a file whose own name looks fingerprinted
        else:
            abort(404)
    current = digest(path)
    with open(path, "rb") as fh:
        data = fh.read()
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = Response(data, mimetype=mimetype)
    response.set_etag(current)
    response.last_modified = os.stat(path).st_mtime
    if match and match["digest"] == current:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Encoding")
    return response.make_conditional(request)
