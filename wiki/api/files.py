"""The API of uploaded files: prop=imageinfo, prop=images, prop=duplicatefiles, list=allimages,
list=imageusage, action=upload (plain, stashed and chunked, as mwclient and pywikibot send them)
and action=filerevert. Thin: everything is wiki.files'."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from flask import current_app, request

from wiki import site, titles
from wiki.api import access
from wiki.api.errors import ApiError
from wiki.api.lists import Listing
from wiki.api.output import iso
from wiki.api.pageset import PageSet
from wiki.api.params import bad_continue, continue_int, limit, multi, namespaces, param
from wiki.api.registry import PROP_GENERATORS, register, submodule
from wiki.files import reads, sniff, stash, thumbs, upload
from wiki.files.sniff import Refused
from wiki.markup import filepaths
from wiki.models import File, OldFile

IIPROPS = (
    "timestamp",
    "user",
    "userid",
    "comment",
    "parsedcomment",
    "canonicaltitle",
    "url",
    "size",
    "dimensions",
    "sha1",
    "mime",
    "mediatype",
    "metadata",
    "archivename",
    "bitdepth",
)
CONTINUE = param("continue", help="Where to continue (returned by the previous request).")
IMAGEINFO = [
    multi("prop", IIPROPS, default="timestamp|user", help="Which file information to get."),
    limit(default=1, maximum=500, help="How many file revisions to return per file."),
    param("start", "timestamp", help="The timestamp to start listing versions from (newest first)."),
    param("end", "timestamp", help="The timestamp to stop listing versions at."),
    param("urlwidth", "integer", min=-1, max=thumbs.MAX_WIDTH, default="-1", help="Width of thumburl."),
    param("urlheight", "integer", min=-1, max=thumbs.MAX_WIDTH, default="-1", help="Height of thumburl."),
    param("urlparam", help="A thumbnail parameter (only NNNpx is understood)."),
    param("metadataversion", default="1", help="Version of metadata to use."),
    param("extmetadatalanguage", help="What language to fetch extmetadata in."),
    param("localonly", "boolean", help="Look only for files in the local repository (the only one)."),
    CONTINUE,
]
IMAGES = [
    limit(help="How many files to return."),
    CONTINUE,
    multi("images", "title", help="Only list these files."),
    param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in."),
]
DUPLICATES = [
    limit(help="How many duplicate files to return."),
    CONTINUE,
    param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in."),
    param("localonly", "boolean", help="Look only for files in the local repository."),
]
AIPROPS = ("timestamp", "user", "userid", "comment", "url", "size", "dimensions", "sha1", "mime", "mediatype")
ALLIMAGES = [
    param("sort", ("name", "timestamp"), default="name", help="Property to sort by."),
    param("dir", ("ascending", "descending", "newer", "older"), default="ascending", help="Direction."),
    param("from", help="The image title to start enumerating from (sort=name)."),
    param("to", help="The image title to stop enumerating at (sort=name)."),
    param("prefix", help="Search for all image titles that begin with this value (sort=name)."),
    param("sha1", help="SHA1 hash of image."),
    multi("prop", AIPROPS, default="timestamp|url", help="Which file information to get."),
    limit(help="How many images in total to return."),
    CONTINUE,
]
IMAGEUSAGE = [
    param("title", "title", help="Title to search (File:...)."),
    param("pageid", "integer", min=0, help="Page ID to search."),
    namespaces(help="The namespace to enumerate."),
    param("filterredir", ("all", "redirects", "nonredirects"), default="all", help="Which pages to list."),
    limit(help="How many total pages to return."),
    CONTINUE,
    param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in."),
    param("redirect", "boolean", help="Also list pages using the file through a redirect."),
]
UPLOAD = [
    param("filename", help="Target filename."),
    param("comment", default="", help="Upload comment; also the page text when text is not given."),
    param("text", "text", help="Initial page text for new files."),
    multi("tags", help="Change tags (none are defined here)."),
    param("watchlist", ("watch", "preferences", "nochange"), default="preferences", help="Watchlist."),
    param("ignorewarnings", "boolean", help="Ignore any warnings."),
    param("file", "upload", help="File contents (multipart/form-data)."),
    param("url", help="URL to fetch the file from (not supported here)."),
    param("filekey", help="Key of a stashed upload to publish."),
    param("sessionkey", help="Same as filekey (old name)."),
    param("stash", "boolean", help="Stash the file instead of publishing it."),
    param("filesize", "integer", min=0, help="Size of the whole file (chunked uploads)."),
    param("offset", "integer", min=0, help="Offset of this chunk in bytes."),
    param("chunk", "upload", help="Chunk contents."),
    param("async", "boolean", help="Do the file operations asynchronously (done at once here)."),
    param("checkstatus", "boolean", help="Only fetch the status of a filekey."),
    param("token", help="A csrf token.", required=True),
]
FILEREVERT = [
    param("filename", help="Target filename, without the File: prefix.", required=True),
    param("comment", default="", help="Upload comment."),
    param("archivename", help="Archive name of the revision to revert to.", required=True),
    param("token", help="A csrf token.", required=True),
]


def absolute(path: str) -> str:
    return str(site.settings().server) + path


def _upload_path() -> str:
    return str(site.settings().upload_path)


def version_info(
    row: File | OldFile,
    props: set[str],
    *,
    urlwidth: int = -1,
    urlheight: int = -1,
    page_id: int | None = None,
) -> dict:
    """One version of a file as imageinfo shows it."""
    item: dict = {}
    if isinstance(row, OldFile) and "archivename" in props:
        item["archivename"] = row.archive_name
    if "timestamp" in props:
        item["timestamp"] = iso(row.timestamp)
    if "user" in props:
        item["user"] = row.user_text
    if "userid" in props:
        item["userid"] = row.user_id or 0
    if props & {"size", "dimensions"}:
        item.update(size=row.size, width=row.width, height=row.height)
        if row.mime == "application/pdf":
            item["pagecount"] = row.pages
    if "comment" in props:
        item["comment"] = row.comment
    if "parsedcomment" in props:
        from html import escape

        item["parsedcomment"] = escape(row.comment)
    if "canonicaltitle" in props:
        item["canonicaltitle"] = "File:" + row.name.replace("_", " ")
    if "url" in props:
        if isinstance(row, File) and (urlwidth > 0 or urlheight > 0):
            item.update(_thumb(row, urlwidth, urlheight))
        if isinstance(row, OldFile):
            item["url"] = absolute(
                f"{_upload_path()}/archive/{filepaths.hash_dir(row.name)}/{row.archive_name}"
            )
        else:
            item["url"] = absolute(filepaths.original_url(_upload_path(), row.name))
        title = site.parse_title(row.name, default_namespace=titles.FILE)
        item["descriptionurl"] = absolute(site.page_url(title))
        if page_id:
            item["descriptionshorturl"] = absolute(f"{site.settings().script}?curid={page_id}")
    if "sha1" in props:
        item["sha1"] = row.sha1
    if "metadata" in props:
        meta = json.loads(row.meta or "{}")
        item["metadata"] = [{"name": k, "value": v} for k, v in sorted(meta.items())] or None
    if "mime" in props:
        item["mime"] = row.mime
    if "mediatype" in props:
        item["mediatype"] = row.media_type
    if "bitdepth" in props:
        item["bitdepth"] = 8
    return item


def _thumb(row: File, width: int, height: int) -> dict:
    """thumburl/thumbwidth/thumbheight for a box of width×height (either may be -1: no bound)."""
    if not row.width or not row.height:
        return {}
    scale = min(
        width / row.width if width > 0 else float("inf"), height / row.height if height > 0 else float("inf")
    )
    tw = max(1, round(row.width * scale))
    try:
        thumbs.check_width(row, tw)
        url = filepaths.thumb_url(_upload_path(), row.name, tw, row.mime)
        th = max(1, round(row.height * tw / row.width))
    except thumbs.NoThumbnail:
        url, tw, th = filepaths.original_url(_upload_path(), row.name), row.width, row.height
    out: dict = {"thumburl": absolute(url), "thumbwidth": tw, "thumbheight": th}
    responsive = {}
    for factor, label in ((1.5, "1.5"), (2, "2")):
        wide = round(tw * factor)
        if wide < row.width or row.mime == "image/svg+xml":
            responsive[label] = absolute(filepaths.thumb_url(_upload_path(), row.name, wide, row.mime))
    if responsive:
        out["responsiveUrls"] = responsive
    return out


def _file_entries(pageset: PageSet):
    for entry in pageset.entries:
        if entry.title is not None and entry.title.namespace == titles.FILE and not entry.invalid:
            yield entry


@submodule("imageinfo", "prop", "ii", "Returns file information and upload history.", IMAGEINFO)
def imageinfo(api, pageset: PageSet, out: dict) -> dict:
    """Versions newest first. A file with more than iilimit versions ends the batch: one file asked
    for continues with iistart, several with iicontinue ("Name|timestamp"), as MediaWiki does."""
    params = api.params
    props = set(params.list("iiprop"))
    most = params.int("iilimit")
    start, end = params.get("iistart"), params.get("iiend")
    entries = sorted(_file_entries(pageset), key=lambda e: e.title.dbkey)
    after = _continue_version(params.get("iicontinue"))
    for entry in entries:
        name = entry.title.dbkey
        if after is not None and name < after[0]:
            continue
        row = reads.get(name)
        page = out[entry.key]
        page["imagerepository"] = "local" if row is not None else ""
        if row is None:
            continue
        until = after[1] if after is not None and name == after[0] else start
        versions = [v for v in reads.history(name, 501) if until is None or _second(v.timestamp) <= until]
        versions = [v for v in versions if end is None or _second(v.timestamp) >= end]
        if not versions:
            continue
        page["imageinfo"] = [
            version_info(
                v,
                props,
                urlwidth=params.int("iiurlwidth"),
                urlheight=params.int("iiurlheight"),
                page_id=entry.page.id if entry.page is not None else None,
            )
            for v in versions[:most]
        ]
        if len(versions) > most:
            following = versions[most].timestamp
            if len(entries) == 1:
                return {"iistart": iso(following)}
            return {"iicontinue": f"{name}|{reads.timestamp_key(following)}"}
    return {}


def _second(when: datetime) -> datetime:
    return when.replace(microsecond=0)


def _continue_version(raw: str | None) -> tuple[str, datetime] | None:
    if not raw:
        return None
    name, sep, stamp = raw.rpartition("|")
    try:
        return name, datetime.strptime(stamp, "%Y%m%d%H%M%S")
    except ValueError:
        raise bad_continue() from None


def _image_rows(api, pageset: PageSet, prefix: str) -> tuple[list[tuple[int, str]], dict]:
    """(page id, file name) rows of the set's pages' imagelinks for one batch, and the continuation."""
    params = api.params
    only = {titles.try_parse(t, site.namespaces()) for t in params.list(prefix + "images")}
    wanted = {t.dbkey for t in only if t is not None and t.namespace == titles.FILE}
    start = _continue_pair(params.get(prefix + "continue"))
    rows = []
    for entry in sorted(pageset.good, key=lambda e: e.page.id):
        for name in reads.images_of(entry.page.id):
            if (not wanted or name in wanted) and (start is None or (entry.page.id, name) >= start):
                rows.append((entry.page.id, name))
    if params.get(prefix + "dir") == "descending":
        rows.reverse()
    most = params.int(prefix + "limit")
    cont = {prefix + "continue": f"{rows[most][0]}|{rows[most][1]}"} if len(rows) > most else {}
    return rows[:most], cont


@submodule("images", "prop", "im", "Returns all files contained on the given pages.", IMAGES, generator=True)
def images(api, pageset: PageSet, out: dict) -> dict:
    rows, cont = _image_rows(api, pageset, "im")
    for page_id, name in rows:
        out[("page", page_id)].setdefault("images", []).append(
            {"ns": titles.FILE, "title": "File:" + name.replace("_", " ")}
        )
    return cont


def _image_targets(api, pageset: PageSet, prefix: str) -> tuple[list, dict]:
    rows, cont = _image_rows(api, pageset, prefix)
    return [site.parse_title(name, titles.FILE) for _id, name in rows], cont


PROP_GENERATORS["images"] = _image_targets


def _continue_pair(raw: str | None) -> tuple[int, str] | None:
    if not raw:
        return None
    first, sep, second = raw.partition("|")
    if not sep:
        raise bad_continue()
    return continue_int(first), second


@submodule(
    "duplicatefiles", "prop", "df", "List all files that are duplicates of the given files.", DUPLICATES
)
def duplicatefiles(api, pageset: PageSet, out: dict) -> dict:
    for entry in _file_entries(pageset):
        row = reads.get(entry.title.dbkey)
        if row is None:
            continue
        found = []
        for name in reads.duplicates(row.sha1, besides=row.name)[: api.params.int("dflimit")]:
            other = reads.get(name)
            if other is not None:
                found.append(
                    {
                        "name": name,
                        "user": other.user_text,
                        "timestamp": iso(other.timestamp),
                        "shared": False,
                    }
                )
        if found:
            out[entry.key]["duplicatefiles"] = found
    return {}


@submodule("allimages", "list", "ai", "Enumerate all images sequentially.", ALLIMAGES, generator=True)
def allimages(api, prefix: str) -> Listing:
    params = api.params
    p = prefix
    props = set(params.list(p + "prop"))
    most = params.int(p + "limit")
    sort = params.get(p + "sort")
    descending = params.get(p + "dir") in ("descending", "older")
    if params.get(p + "sha1"):
        rows = [r for n in reads.duplicates(params.get(p + "sha1").lower()) if (r := reads.get(n))][
            : most + 1
        ]
    elif sort == "timestamp":
        after = None
        if params.get(p + "continue"):
            stamp, _, last = params.get(p + "continue").partition("|")
            from wiki.api.timestamps import parse

            after = (parse(stamp, p + "continue"), continue_int(last or "0"))
        rows = reads.listing("date", limit=most + 1, after=after, descending=descending)
    else:
        start = params.get(p + "continue") or _name_key(params.get(p + "from") or "")
        rows = reads.by_prefix(_name_key(params.get(p + "prefix") or ""), start=start, limit=most + 1)
        end = _name_key(params.get(p + "to") or "")
        if end:
            rows = [r for r in rows if r.name <= end]
    listing = Listing()
    for row in rows[:most]:
        item = {"name": row.name}
        item.update(version_info(row, {x for x in props if x != "url"}))
        if "url" in props:
            item["url"] = absolute(filepaths.original_url(_upload_path(), row.name))
            item["descriptionurl"] = absolute(site.page_url(site.parse_title(row.name, titles.FILE)))
        item.update(ns=titles.FILE, title="File:" + row.name.replace("_", " "))
        listing.items.append(item)
        listing.pages.append(site.parse_title(row.name, titles.FILE))
    if len(rows) > most:
        nxt = rows[most]
        value = f"{iso(nxt.timestamp)}|{nxt.id}" if sort == "timestamp" else nxt.name
        listing.cont = {p + "continue": value}
    return listing


def _name_key(text: str) -> str:
    text = text.strip().replace(" ", "_")
    if text.lower().startswith(("file:", "image:")):
        text = text.split(":", 1)[1]
    return text[:1].upper() + text[1:]


@submodule(
    "imageusage", "list", "iu", "Find all pages that use the given image title.", IMAGEUSAGE, generator=True
)
def imageusage(api, prefix: str) -> Listing:
    params = api.params
    raw = params.get(prefix + "title")
    if not raw:
        raise ApiError("missingparam", f'The "{prefix}title" parameter must be set.')
    title = titles.try_parse(raw, site.namespaces())
    if title is None:
        raise ApiError("invalidtitle", f'Bad title "{raw}".')
    if title.namespace != titles.FILE:
        raise ApiError("bad_image_title", 'The title for "imageusage" must be a file.')
    spaces = [n for n in params.list(prefix + "namespace") if n != "*"]
    start = continue_int(params.get(prefix + "continue") or "0")
    users = [
        p for p in reads.usage(title.dbkey, 5001) if p.id >= start and (not spaces or p.namespace in spaces)
    ]
    redirects = params.get(prefix + "filterredir")
    if redirects != "all":
        users = [p for p in users if p.is_redirect == (redirects == "redirects")]
    users.sort(key=lambda p: p.id)
    most = params.int(prefix + "limit")
    listing = Listing()
    from wiki import pages

    for page in users[:most]:
        listing.items.append(
            {"pageid": page.id, "ns": page.namespace, "title": pages.title_of(page).prefixed_text}
        )
        listing.pages.append(page)
    if len(users) > most:
        listing.cont = {prefix + "continue": str(users[most].id)}
    return listing


# action=upload ----------------------------------------------------------------------------------

REFUSAL_CODES = {"uploadscripted": "verification-error", "filetype-mime-mismatch": "verification-error"}


def _refusal(exc: Refused) -> ApiError:
    code = REFUSAL_CODES.get(exc.code, exc.code)
    if code == "verification-error":
        return ApiError(code, str(exc), details=exc.details)
    return ApiError(code, str(exc))


def _owner(api) -> int:
    if api.user is None:
        raise ApiError("mustbeloggedin", "You must be logged in to upload this file.")
    return int(api.user.id)


@register(
    "upload", "Upload a file, or get the status of pending uploads.", params=UPLOAD, post=True, token="token"
)
def upload_file(api) -> dict:
    params = api.params
    owner = _owner(api)
    access.require(api.user, "upload")
    if params.get("url"):
        raise ApiError("copyuploaddisabled", "Upload by URL disabled.")
    filename = params.get("filename") or ""
    filekey = params.get("filekey") or params.get("sessionkey") or ""
    sent = request.files.get("file")
    chunk = request.files.get("chunk")
    if chunk is not None:
        return _chunk(api, owner, filename, filekey, chunk)
    if not filename:
        raise ApiError("missingparam", 'The "filename" parameter must be set.')
    if sent is None and not filekey:
        raise ApiError("missingparam", 'One of the parameters "filekey", "file" and "url" is required.')
    try:
        name = upload.normalise_name(filename)
    except Refused as exc:
        raise _refusal(exc) from None
    if params.get("stash") and sent is not None:
        with _staged(sent.stream, name) as staged:
            key = stash.keep(staged.path, owner, sniff.extension_of(name))
        return {"upload": {"result": "Success", "filekey": key, "sessionkey": key}}
    if sent is not None:
        return _publish_stream(api, owner, sent.stream, name)
    path = stash.find(filekey, owner)
    if path is None:
        raise ApiError("stashnosuchfilekey", f'No such filekey: "{filekey}".')
    with open(path, "rb") as source:
        answer = _publish_stream(api, owner, source, name, filekey=filekey)
    if answer["upload"]["result"] == "Success":
        stash.drop(filekey, owner)
    return answer


def _staged(source, name: str):
    try:
        return upload.stage(source, name)
    except Refused as exc:
        raise _refusal(exc) from None


def _publish_stream(api, owner: int, source, name: str, *, filekey: str = "") -> dict:
    params = api.params
    try:
        with upload.stage(source, name) as staged:
            title = upload.file_title(staged.name)
            access.require(api.user, "upload", title)
            access.require(api.user, "edit", title)
            existing = reads.get(staged.name)
            if existing is not None:
                access.require(api.user, "reupload", title)
            found = upload.warnings(staged)
            if "nochange" in found:
                found.pop("duplicate", None)
            if found and not params.get("ignorewarnings"):
                key = filekey or stash.keep(staged.path, owner, sniff.extension_of(staged.name))
                return {"upload": {"result": "Warning", "warnings": found, "filekey": key, "sessionkey": key}}
            text = params.get("text")
            comment = params.get("comment") or ""
            done = upload.publish(
                staged, access.actor(api.user), text=comment if text is None else text, comment=comment
            )
    except Refused as exc:
        raise _refusal(exc) from None
    row = reads.get(done.name)
    answer: dict = {"result": "Success", "filename": done.name}
    if found:
        answer["warnings"] = found
    answer["imageinfo"] = version_info(row, set(IIPROPS) - {"archivename"}, page_id=done.page_id)
    return {"upload": answer}


def _chunk(api, owner: int, filename: str, filekey: str, chunk) -> dict:
    params = api.params
    size, offset = params.int("filesize"), params.int("offset") or 0
    most = int(current_app.config["WIKI_MAX_UPLOAD_BYTES"])
    if size is None:
        raise ApiError("missingparam", 'The "filesize" parameter must be set.')
    if size > most:
        raise ApiError("file-too-large", f"The file is larger than the limit of {most:,} bytes.")
    try:
        name = upload.normalise_name(filename)
    except Refused as exc:
        raise _refusal(exc) from None
    if not filekey:
        if offset:
            raise ApiError("missingparam", 'The "filekey" parameter must be set.')
        filekey = stash.create(owner, sniff.extension_of(name))
    try:
        arrived = stash.append(filekey, owner, offset, chunk.stream, size)
    except FileNotFoundError:
        raise ApiError("stashnosuchfilekey", f'No such filekey: "{filekey}".') from None
    except stash.BadOffset as exc:
        raise ApiError("badupload_offset", str(exc)) from None
    except OverflowError:
        stash.drop(filekey, owner)
        raise ApiError("file-too-large", "The chunks are larger than the file size given.") from None
    if arrived < size:
        return {"upload": {"result": "Continue", "offset": arrived, "filekey": filekey}}
    path = stash.find(filekey, owner)
    assert path is not None
    _check_stashed(path, name, filekey, owner)
    return {"upload": {"result": "Success", "filekey": filekey, "sessionkey": filekey}}


def _check_stashed(path: Path, name: str, filekey: str, owner: int) -> None:
    try:
        with open(path, "rb") as source, upload.stage(source, name):
            pass
    except Refused as exc:
        stash.drop(filekey, owner)
        raise _refusal(exc) from None


@register("filerevert", "Revert a file to an old version.", params=FILEREVERT, post=True, token="token")
def filerevert(api) -> dict:
    params = api.params
    _owner(api)
    try:
        name = upload.normalise_name(params.get("filename"))
    except Refused as exc:
        raise _refusal(exc) from None
    title = upload.file_title(name)
    for right in ("upload", "reupload", "edit"):
        access.require(api.user, right, title)
    try:
        upload.revert(
            name, params.get("archivename"), access.actor(api.user), comment=params.get("comment") or ""
        )
    except upload.NoSuchVersion as exc:
        raise ApiError("filerevert-badversion", str(exc)) from None
    except Refused as exc:
        raise _refusal(exc) from None
    return {"filerevert": {"result": "Success"}}
