"""action=edit and action=submit: the edit form, preview, show changes, save, conflicts, undo."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, redirect, render_template, request, session
from flask_login import current_user
from markupsafe import Markup

from wiki import diffs, pages, spam, titles
from wiki.access import preferences, rights
from wiki.models import Page, Revision, utcnow
from wiki.pages import revdelete, sections
from wiki.web import actions, common, permissions, tokens, userlinks, watch

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
        section=kw.pop("section", _section()),
        watchthis=watch.checkbox(title, exists=page is not None),
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
    section = _section()
    if section == "new":
        return _form(title, page, "", summary=request.args.get("preloadtitle", ""), minor=False)
    if isinstance(section, int):
        piece = sections.get(text, section) if latest is not None else None
        if piece is None:
            return _no_such_section(section)
        heading = sections.heading_of(piece)
        return _form(title, page, piece, summary=f"/* {heading} */ " if heading else "", minor=False)
    if request.args.get("undo"):
        text, summary = _undo_text(page)
    elif request.args.get("oldid") and page is not None:
        old = actions.requested_revision(page)
        refused = actions.hidden_text_refusal(title, [old])
        if refused is not None:
            return refused
        text = old.text
        if old.id != page.latest:
            summary = f"Restore revision {old.id} by {_editor(old)}"
    minor = page is not None and preferences.get_bool(permissions.user(), "minordefault")
    return _form(title, page, text, summary=summary, minor=minor)


def _undo_text(page: Page | None) -> tuple[str, str]:
    if page is None:
        return "", ""
    undo = pages.revision(actions.revision_param("undo") or 0)
    after_id = actions.revision_param("undoafter")
    after = pages.revision(after_id) if after_id is not None else None
    if undo is None or undo.page_id != page.id:
        return pages.latest(page).text, ""
    after = after if after is not None and after.page_id == page.id else pages.previous(undo)
    if not all(userlinks.may_see(r, revdelete.TEXT) for r in (undo, after) if r is not None):
        return pages.latest(page).text, ""  # MediaWiki's undo-norev: hidden text is not undone
    text = pages.undo_text(page, undo, after)
    if text is None:
        return pages.latest(page).text, ""
    return text, f"Undo revision {undo.id} by {_editor(undo)}"


def _editor(rev) -> str:
    """The editor a summary names ([[Special:Contributions/X|X]] in MediaWiki), or a hidden user."""
    return rev.user_text if userlinks.may_see(rev, revdelete.USER) else "a hidden user"


def _section() -> int | str | None:
    """The section being edited: `section=` of the form (wpSection) or of the address."""
    raw = request.form.get("wpSection") if request.method == "POST" else request.args.get("section")
    try:
        return sections.parse_section(raw)
    except ValueError:
        abort(
            common.error_page(
                400, "Bad parameter", 'The "section" parameter must be a section number or "new".'
            )
        )


def _no_such_section(section: int | str):
    return common.error_page(
        404,
        "Section editing failed",
        f"You tried to edit section {section}, which does not exist. It may have been moved or "
        "deleted while you were viewing the page.",
    )


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
    section = _section()
    if "wpPreview" in request.form:
        actor = permissions.actor()
        shown = text
        if section == "new" and request.form.get("wpSummary", "").strip():
            shown = f"== {request.form['wpSummary'].strip()} ==\n\n{text}"
        rendered = pages.render_text(title, pages.pre_save_transform(title, shown, actor), preview=True)
        problems = spam.list_problems(title, text)
        return _form(title, page, text, base=base, preview=rendered.html, spam_problems=problems)
    current = pages.latest(page).text if page is not None and page.latest else ""
    if "wpDiff" in request.form:
        # Browsers send CRLF line endings; compare what a save would store, or every line differs.
        whole = _whole_text(current, section, pages.normalise_text(text))
        if whole is None:
            return _no_such_section(section)
        changes = diffs.diff_rows(current, whole)
        return _form(title, page, text, base=base, changes=changes)
    return _save(title, page, text, base, section)


def _whole_text(current: str, section: int | str | None, text: str) -> str | None:
    """The page after the edit of `section` (the form holds only that section), or None."""
    heading = request.form.get("wpSummary", "").strip() if section == "new" else ""
    try:
        return sections.edited(current, section, text, heading)
    except sections.NoSuchSection:
        return None


def _save(title, page, text, base, section=None):
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
    actor = permissions.actor()
    summary = request.form.get("wpSummary", "").strip()
    fragment = ""
    form_text = text
    if section is not None:
        # The section is put back into the text the editor started from; a save merges edits
        # made to other sections since.
        started_from = (
            base.text if base is not None else (pages.latest(page).text if page and page.latest else "")
        )
        whole = _whole_text(started_from, section, pages.normalise_text(text))
        if whole is None:
            return _no_such_section(section)
        heading = (
            summary if section == "new" else sections.heading_of(pages.normalise_text(text).lstrip("\n"))
        )
        if section == "new" and summary:
            summary = sections.new_section_summary(summary)
        if heading:
            fragment = "#" + sections.anchor(heading)
        text = whole
    result = pages.save(
        title,
        pages.pre_save_transform(title, text, actor),
        actor=actor,
        summary=summary,
        minor=bool(request.form.get("wpMinoredit")),
        base_rev_id=base.id if base is not None else None,
        started=_started(),
        # MediaWiki marks the browser edits of a user with the bot right as bot edits (unless bot=0).
        flags=rights.edit_flags(permissions.user(), permissions.bot_requested()),
    )
    if result.status == "deleted":
        return _form(title, None, text, status=409, message="deleted", deletion=result.deletion, section=None)
    if result.status == "conflict":
        current = pages.latest(result.page)
        return _form(
            title,
            result.page,
            current.text,
            status=409,
            base=current,
            message="conflict",
            section=None,
            your_text=form_text if section is None else text,
            conflict_rows=diffs.diff_rows(current.text, pages.normalise_text(text)),
        )
    watch.apply_checkbox(title)
    if result.status in ("created", "saved", "merged"):
        # "Your edit was saved.", shown once by the next page (the session keeps it, and a session
        # is never served from the front cache)
        session["postedit"] = "created" if result.status == "created" else "saved"
    if result.page is not None and result.page.is_redirect:
        return redirect(common.index_url(title, redirect="no"), code=303)
    return redirect(common.page_url(title) + fragment, code=303)


actions.register("edit", edit)
actions.register("submit", submit)
