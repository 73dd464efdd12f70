"""Special pages of uploaded files: ListFiles, NewFiles, UnusedFiles, WantedFiles, FilePath and
Special:Redirect/file. Thin: the queries live in wiki.files.reads."""

from __future__ import annotations

from datetime import datetime

from flask import abort, redirect, render_template, request

from wiki import site, titles
from wiki.files import reads, upload
from wiki.files.sniff import Refused
from wiki.markup import filepaths
from wiki.web import common, files, special
from wiki.web.special.params import int_arg, private

SORTS = ("date", "name", "size")


def _respond(heading: str, **context):
    return private(
        render_template(
            "filelist.html",
            heading=heading,
            image_url=files.image_url,
            human_size=files.human_size,
            **context,
        )
    )


def _after(order: str) -> tuple[object, int] | None:
    """The keyset position of ?offset=VALUE|ID (the last row of the previous page)."""
    raw = request.args.get("offset", "")
    if not raw:
        return None
    value, _, last = raw.rpartition("|")
    if not last.isdigit() or len(raw) > 300:
        abort(
            common.error_page(400, "Bad parameter", 'The parameter "offset" is not a position in this list.')
        )
    try:
        key: object = {"date": lambda v: datetime.strptime(v, "%Y%m%d%H%M%S"), "size": int, "name": str}[
            order
        ](value)
    except ValueError:
        abort(
            common.error_page(400, "Bad parameter", 'The parameter "offset" is not a position in this list.')
        )
    return key, int(last)


def _position(row, order: str) -> str:
    value = {"date": reads.timestamp_key(row.timestamp), "size": str(row.size), "name": row.name}[order]
    return f"{value}|{row.id}"


@special.register("ListFiles", "File list", aliases=("ImageList",))
def list_files(_sub: str):
    order = request.args.get("sort", "date")
    if order not in SORTS:
        abort(common.error_page(400, "Bad parameter", f'"sort" must be one of {", ".join(SORTS)}.'))
    descending = request.args.get("desc", "1" if order != "name" else "0") != "0"
    limit = int_arg("limit", 50, 1, 500)
    rows = reads.listing(order, limit=limit + 1, after=_after(order), descending=descending)
    more = _position(rows[limit - 1], order) if len(rows) > limit else None
    return _respond(
        "File list",
        rows=rows[:limit],
        mode="table",
        order=order,
        desc=descending,
        limit=limit,
        next_offset=more,
        title=site.parse_title("Special:ListFiles"),
    )


@special.register("NewFiles", "Gallery of new files", aliases=("NewImages",))
def new_files(_sub: str):
    limit = int_arg("limit", 50, 1, 500)
    rows = reads.listing("date", limit=limit)
    return _respond(
        "Gallery of new files", rows=rows, mode="gallery", title=site.parse_title("Special:NewFiles")
    )


@special.register("UnusedFiles", "Unused files", aliases=("UnusedImages",))
def unused_files(_sub: str):
    rows = reads.unused(int_arg("limit", 50, 1, 500))
    return _respond(
        "Unused files",
        rows=rows,
        mode="gallery",
        title=site.parse_title("Special:UnusedFiles"),
        intro="The following files exist but are not embedded in any page.",
    )


@special.register("WantedFiles", "Wanted files")
def wanted_files(_sub: str):
    rows = reads.wanted(int_arg("limit", 50, 1, 500))
    return _respond(
        "Wanted files",
        rows=[],
        wanted=rows,
        mode="wanted",
        title=site.parse_title("Special:WantedFiles"),
        intro="The following files are used on pages but do not exist.",
    )


def _to_original(raw: str):
    try:
        name = upload.normalise_name(raw)
    except Refused as exc:
        return common.error_page(400, "Bad title", str(exc))
    row = reads.get(name)
    if row is None:
        return common.error_page(404, "No such file", f'There is no file "{name.replace("_", " ")}".')
    return redirect(filepaths.original_url(str(site.settings().upload_path), row.name), 302)


@special.register("FilePath", "File path")
def file_path(sub: str):
    raw = request.args.get("file") or sub
    if not raw:
        return common.error_page(400, "File path", "Name a file: Special:FilePath/Example.jpg.")
    return _to_original(raw)


@special.register("Redirect", "Redirect by file name", listed=False)
def redirect_to(sub: str):
    kind, _, value = sub.partition("/")
    kind = request.args.get("wptype", kind)
    value = request.args.get("wpvalue", value)
    if kind != "file" or not value:
        return common.error_page(
            400, "Redirect", "This wiki redirects file names: Special:Redirect/file/Example.jpg."
        )
    return _to_original(value)


__all__ = ["titles"]
