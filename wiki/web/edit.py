"""action=edit and action=submit: the edit form, preview, show changes, save, conflicts, undo."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, redirect, render_template, request
from flask_login import current_user
from markupsafe import Markup

from wiki import diffs, pages, spam, titles
from wiki.models import Page, Revision, utcnow
from wiki.web import actions, common, permissions, tokens

TS_FORMAT = "%Y%m%d%H%M%S"


def _form(title, page, text, *, status=200, base=None, message=None, preview=None, changes=None, **kw):
    latest = pages.latest(page) if page is not None and page.latest else None
    base = base if base is not None else latest
    body = render_template(
        "edit.html",
        title=title,
        page=page,
        text=text,
        base=base,
        # Kept across previews and warnings, as MediaWiki does: "deleted since you started" counts
        # from when the editor first opened the form.
        starttime=_started_raw() or utcnow().strftime(TS_FORMAT),
        summary=kw.pop("summary", request.form.get("wpSummary", "")),
        minor=kw.pop("minor", bool(request.form.get("wpMinoredit"))),
        message=message,
        preview=Markup(preview) if preview is not None else None,
        changes=changes,
        **kw,
    )
    return body, status


def edit(title: titles.Title):
    denied = permissions.check_edit(title)
    if denied is not None:
        return denied
    page = pages.get(title)
    latest = pages.latest(page) if page is not None and page.latest else None
    text, summary = (latest.text if latest else ""), ""
    if request.args.get("undo"):
        text, summary = _undo_text(page)
    elif request.args.get("oldid") and page is not None:
        old = actions.requested_revision(page)
        text = old.text
        if old.id != page.latest:
            summary = f"Restore revision {old.id} by {old.user_text}"
    return _form(title, page, text, summary=summary, minor=False)


def _undo_text(page: Page | None) -> tuple[str, str]:
    if page is None:
        return "", ""
    undo = pages.revision(actions.revision_param("undo") or 0)
    after_id = actions.revision_param("undoafter")
    after = pages.revision(after_id) if after_id is not None else None
    if undo is None or undo.page_id != page.id:
        return pages.latest(page).text, ""
    after = after if after is not None and after.page_id == page.id else pages.previous(undo)
    text = pages.undo_text(page, undo, after)
    if text is None:
        return pages.latest(page).text, ""
    return text, f"Undo revision {undo.id} by {undo.user_text}"


def _started_raw() -> str | None:
    raw = request.form.get("wpStarttime", "")
    return raw if len(raw) == 14 and raw.isdigit() else None


def _started() -> datetime | None:
    """When the editor opened the form (wpStarttime), unless they confirmed a re-creation."""
    raw = _started_raw()
    if raw is None or request.form.get("wpRecreate"):
        return None
    try:
        return datetime.strptime(raw, TS_FORMAT)
    except ValueError:
        return None


def _int(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and int(raw) <= common.MAX_ID else 0


def _base_revision(page: Page | None) -> Revision | None:
    """The revision the edit started from: baseRevId, else wpEdittime (exact second)."""
    form = request.form
    rev_id = _int(form.get("baseRevId") or form.get("parentRevId") or form.get("editRevId"))
    if rev_id:
        return pages.revision(rev_id)
    stamp = form.get("wpEdittime", "")
    if page is None or not stamp:
        return None
    try:
        when = datetime.strptime(stamp, TS_FORMAT)
    except ValueError:
        return None
    return pages.revision_at(page, when)


def submit(title: titles.Title):
    if request.method != "POST":
        return edit(title)
    denied = permissions.check_edit(title)
    if denied is not None:
        return denied
    page = pages.get(title)
    text = request.form.get("wpTextbox1", "")
    base = _base_revision(page)
    if not tokens.check(request.form.get("wpEditToken")):
        return _form(title, page, text, status=400, base=base, message="session")
    limit = current_app.config["WIKI_MAX_TEXT_BYTES"]
    if len(text.encode("utf-8")) > limit:
        return _form(title, page, text, status=413, base=base, message="toolong", limit=limit)
    if "wpPreview" in request.form:
        rendered = pages.render_text(title, text, preview=True)
        problems = spam.list_problems(title, text)
        return _form(title, page, text, base=base, preview=rendered.html, spam_problems=problems)
    if "wpDiff" in request.form:
        current = pages.latest(page).text if page is not None and page.latest else ""
        # Browsers send CRLF line endings; compare what a save would store, or every line differs.
        changes = diffs.diff_rows(current, pages.normalise_text(text))
        return _form(title, page, text, base=base, changes=changes)
    return _save(title, page, text, base)


def _save(title, page, text, base):
    limited = permissions.rate_limited("edit", *(() if page is not None else ("create",)))
    if limited is not None:
        return limited
    old = pages.latest(page).text if page is not None and page.latest else None
    answer = spam.Answer(request.form.get("wpCaptchaId"), request.form.get("wpCaptchaWord"))
    refused = spam.check_edit(current_user, common.client_ip(), title, old, text, answer)
    if refused is not None:
        status = 200 if refused.code == "captcha" else 403
        return _form(
            title,
            page,
            text,
            status=status,
            base=base,
            message="spam" if status == 403 else None,
            spam_error=refused.message,
            captcha=refused.challenge,
            captcha_message=refused.message,
        )
    actor = pages.Actor.of(current_user, common.client_ip())
    result = pages.save(
        title,
        text,
        actor=actor,
        summary=request.form.get("wpSummary", "").strip(),
        minor=bool(request.form.get("wpMinoredit")),
        base_rev_id=base.id if base is not None else None,
        started=_started(),
    )
    if result.status == "deleted":
        return _form(title, None, text, status=409, message="deleted", deletion=result.deletion)
    if result.status == "conflict":
        current = pages.latest(result.page)
        return _form(
            title,
            result.page,
            current.text,
            status=409,
            base=current,
            message="conflict",
            your_text=text,
            conflict_rows=diffs.diff_rows(current.text, pages.normalise_text(text)),
        )
    return redirect(common.page_url(title), code=303)


actions.register("edit", edit)
actions.register("submit", submit)
