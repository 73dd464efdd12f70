"""Uploaded files on the web: originals and thumbnails under /images, and the file page's parts.

Files are served by the app (a store may be the database): streamed, with their type, `nosniff`,
a sandboxing Content-Security-Policy (an SVG or PDF opened directly can run nothing on this
origin) and a one-year immutable lifetime. Thumbnails are made on their first request
(wiki.files.thumbs). A page of the File namespace shows the file, its history and its users
above and below its description (`file_page`, hooked into the view action).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request
from markupsafe import Markup

from wiki import site, titles
from wiki.files import deletion as file_deletion
from wiki.files import reads, thumbs, upload
from wiki.files import store as stores
from wiki.markup import filepaths
from wiki.web import actions, permissions

bp = Blueprint("files", __name__)
ONE_YEAR = "public, max-age=31536000, immutable"
FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
THUMB_NAME = re.compile(r"^(?:page(\d{1,4})-)?(\d{1,6})px-(.+)$")
URL_SAFE = "!$'()*,-./:;@_~"
SHOWN = (800, 600)  # the largest size a file page shows (MediaWiki's default image limit)


def init(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_allow_upload_bodies)
    actions.add_to_view(titles.FILE, file_page)
    actions.register("revert", revert)
    file_deletion.install()  # deleting a file page archives its versions too


def _allow_upload_bodies() -> None:
    """A multipart body may carry a file: allow WIKI_MAX_UPLOAD_BYTES (plus the form fields) for
    it; larger ones are refused with 413 before their body is read."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = int(current_app.config["WIKI_MAX_UPLOAD_BYTES"]) + 1024 * 1024


def _not_found(what: str) -> Response:
    return Response(
        f"404 Not Found: {what}\n",
        status=404,
        mimetype="text/plain",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


@bp.route("/images/<path:path>")
def serve(path: str):
    parts = path.split("/")
    if parts[0] == "thumb" and len(parts) == 5:
        return _thumbnail(parts[1], parts[2], parts[3], parts[4])
    if parts[0] == "archive" and len(parts) == 4:
        return _archived(parts[1], parts[2], parts[3])
    if len(parts) == 3:
        row = reads.get(parts[2])
        if row is None or filepaths.hash_dir(row.name) != f"{parts[0]}/{parts[1]}":
            return _not_found("no such file")
        return _stream(row.storage_key, row.mime, row.name, row.sha1, row.size)
    return _not_found("no such file")


def _archived(a: str, ab: str, archive_name: str):
    name = archive_name.partition("!")[2]
    row = reads.old_version(name, archive_name)
    if row is None or filepaths.hash_dir(name) != f"{a}/{ab}":
        return _not_found("no such version")
    return _stream(row.storage_key, row.mime, name, row.sha1, row.size)


def _thumbnail(a: str, ab: str, name: str, thumb: str):
    row = reads.get(name)
    match = THUMB_NAME.match(thumb)
    if row is None or filepaths.hash_dir(name) != f"{a}/{ab}" or match is None:
        return _not_found("no such file")
    width = int(match.group(2))
    if thumb != filepaths.thumb_name(name, width, row.mime):
        return _not_found("no such thumbnail name")
    try:
        made = thumbs.thumbnail(row, width)
    except thumbs.NoThumbnail as exc:
        return Response(
            f"400 Bad Request: {exc}\n",
            status=400,
            mimetype="text/plain",
            headers={"X-Content-Type-Options": "nosniff"},
        )
    mime = "image/png" if row.mime == "image/svg+xml" else row.mime
    size = made.stat().st_size
    handle = open(made, "rb")  # noqa: SIM115 - closed by the response

    def chunks():
        with handle:
            while block := handle.read(256 * 1024):
                yield block

    return _respond(chunks(), mime, thumb, f"{row.sha1}-{width}", size)


def _stream(key: str, mime: str, name: str, sha1: str, size: int) -> Response:
    store = stores.current()
    try:
        chunks = store.chunks(key)
        first = next(chunks, b"")
    except FileNotFoundError:
        return _not_found("the file's bytes are missing")

    def body():
        yield first
        yield from chunks

    return _respond(body(), mime, name, sha1, size)


def _respond(body, mime: str, name: str, etag: str, size: int) -> Response:
    response = Response(body, mimetype=mime, direct_passthrough=True)
    response.headers["Content-Length"] = str(size)
    response.headers["Cache-Control"] = ONE_YEAR
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Content-Disposition"] = (
        f"inline; filename*=UTF-8''{filepaths.original_url('', name)[6:]}"
    )
    response.set_etag(etag)
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": ONE_YEAR})
    return response


def shown_size(width: int, height: int) -> tuple[int, int]:
    """The size a file page shows an image at: within 800×600, never larger than the original."""
    if not width or not height:
        return width, height
    scale = min(1.0, SHOWN[0] / width, SHOWN[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_url(row, width: int) -> str:
    """The URL that shows `row` at `width` pixels: the original when that is its size."""
    path = str(site.settings().upload_path)
    if row.mime == "application/pdf" or (width >= row.width and row.mime != "image/svg+xml"):
        return filepaths.original_url(path, row.name)
    return filepaths.thumb_url(path, row.name, width, row.mime)


def file_page(title: titles.Title, content: Markup) -> Markup:
    """The view of a File: page: the file and its facts, the description, history and usage."""
    row = reads.get(title.dbkey)
    versions = reads.history(title.dbkey, 50) if row is not None else []
    used_by = reads.usage(title.dbkey, 100)
    width, height = shown_size(row.width, row.height) if row is not None else (0, 0)
    return Markup(
        render_template(
            "_filepage.html",
            title=title,
            row=row,
            versions=versions,
            used_by=used_by,
            shown=(width, height),
            image_url=image_url,
            original_url=lambda r: filepaths.original_url(str(site.settings().upload_path), r.name),
            archive_url=lambda r: f"{site.settings().upload_path}/archive/{filepaths.hash_dir(r.name)}/"
            f"{quote(r.archive_name, safe=URL_SAFE)}",
            human_size=human_size,
            meta=_meta(row),
            content=content,
            title_of=common_title,
        )
    )


def _meta(row) -> dict:
    import json

    if row is None:
        return {}
    try:
        data = json.loads(row.meta or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def common_title(page) -> titles.Title:
    from wiki import pages

    return pages.title_of(page)


def human_size(size: int) -> str:
    """MediaWiki's file sizes: "12 KB", "3.4 MB" (1 KB = 1024 bytes)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return (
                f"{value:.0f} {unit}"
                if value >= 100 or unit == "KB"
                else f"{value:.2f} {unit}".replace(".00 ", " ")
            )
        value /= 1024
    return f"{size} bytes"


def revert(title: titles.Title):
    """action=revert&oldimage=...: make an older version current again (POST with the edit token)."""
    from flask_login import current_user

    from wiki import tokens
    from wiki.access import rights
    from wiki.web import common

    if request.method != "POST" or not tokens.check(request.form.get("wpEditToken")):
        return common.error_page(400, "Revert failed", "Revert a file from its page's File history.")
    for right in ("upload", "reupload", "edit"):
        denied = rights.can(current_user, right, title, ip=common.client_ip())
        if denied is not None:
            return common.error_page(403, "Permission error", str(denied))
    try:
        upload.revert(title.dbkey, request.form.get("oldimage", ""), permissions.actor())
    except (upload.NoSuchVersion, upload.Refused) as exc:
        return common.error_page(404, "Revert failed", str(exc))
    return redirect(common.page_url(title), 303)
