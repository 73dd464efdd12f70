"""Special:Upload: the form, MediaWiki's warnings (with "upload anyway" or "cancel"), the upload.

Thin: the checks, the warnings and the transaction are wiki.files'. A warned upload waits in the
stash (wiki.files.stash) until its uploader goes on or cancels.
"""

from __future__ import annotations

from pathlib import Path

from flask import redirect, render_template, request
from flask_login import current_user

from wiki import site, titles, tokens
from wiki.access import rights
from wiki.files import reads, sniff, stash, upload
from wiki.web import common, permissions, special
from wiki.web.special.params import private

WARNING_TEXT = {
    "exists": "A file with this name exists already. Uploading replaces it with a new version.",
    "duplicate": "This file is a duplicate of the following file(s):",
    "duplicate-archive": "This file is a duplicate of a previously deleted file:",
    "was-deleted": "A file of this name has been previously uploaded and subsequently deleted.",
    "badfilename": "The file name has been changed to",
}


@special.register("Upload", "Upload file")
def upload_page(_sub: str):
    dest = request.values.get("wpDestFile", "")
    form = {"dest": dest, "description": "", "summary": "", "watch": False}
    denied = rights.can(current_user, "upload", ip=common.client_ip())
    if denied is not None:
        status = 401 if not getattr(current_user, "is_authenticated", False) else 403
        return _form(form, error=f"{denied} Log in with an account to upload files.", status=status)
    if request.method != "POST":
        return _form(form)
    form.update(
        dest=request.form.get("wpDestFile", ""),
        description=request.form.get("wpUploadDescription", ""),
        summary=request.form.get("wpSummary", ""),
    )
    if not tokens.check(request.form.get("wpEditToken")):
        return _form(form, error="Your session expired; please submit the form again.", status=400)
    key = request.form.get("wpSessionKey", "")
    if key and "wpCancelUpload" in request.form:
        stash.drop(key, current_user.id)
        return _form(form, notice="The upload was cancelled and the file discarded.")
    if key:
        path = stash.find(key, current_user.id)
        if path is None:
            return _form(form, error="The file waiting for your answer is gone; upload it again.", status=400)
        return _from_path(path, form, ignore=True, key=key)
    sent = request.files.get("wpUploadFile")
    if sent is None or not sent.filename:
        return _form(form, error="No file was sent: choose a file to upload.", status=400)
    if not form["dest"].strip():
        form["dest"] = sent.filename.replace("\\", "/").rsplit("/", 1)[-1]
    return _stage_and_publish(sent.stream, form, ignore="wpIgnoreWarning" in request.form)


def _from_path(path: Path, form: dict, *, ignore: bool, key: str = ""):
    with open(path, "rb") as source:
        answer = _stage_and_publish(source, form, ignore=ignore)
    if key:
        stash.drop(key, current_user.id)
    return answer


def _stage_and_publish(source, form: dict, *, ignore: bool):
    try:
        with upload.stage(source, form["dest"]) as staged:
            form["dest"] = staged.name.replace("_", " ")
            title = upload.file_title(staged.name)
            existing = reads.get(staged.name)
            for right in ("upload", "edit") + (("reupload",) if existing is not None else ()):
                denied = rights.can(current_user, right, title, ip=common.client_ip())
                if denied is not None:
                    return _form(form, error=str(denied), status=403)
            found = upload.warnings(staged)
            if found and not ignore:
                key = stash.keep(staged.path, current_user.id, sniff.extension_of(staged.name))
                return _form(form, warnings=found, session_key=key, status=200)
            actor = permissions.actor()
            done = upload.publish(staged, actor, text=form["description"], comment=form["summary"])
    except sniff.Refused as exc:
        status = 413 if exc.code == "file-too-large" else 400
        return _form(form, error=str(exc), status=status)
    return redirect(common.page_url(site.parse_title(done.name, default_namespace=titles.FILE)), 303)


def _form(
    form: dict,
    *,
    error: str = "",
    notice: str = "",
    warnings: dict | None = None,
    session_key: str = "",
    status: int = 200,
):
    body = render_template(
        "upload.html",
        title=site.parse_title("Special:Upload"),
        form=form,
        error=error,
        notice=notice,
        warnings=warnings or {},
        warning_text=WARNING_TEXT,
        session_key=session_key,
        extensions=" ".join(sorted(set(str(_config("WIKI_FILE_EXTENSIONS")).split()))),
        max_bytes=upload.max_bytes(),
    )
    return private(body, status)


def _config(name: str) -> object:
    from flask import current_app

    return current_app.config[name]
