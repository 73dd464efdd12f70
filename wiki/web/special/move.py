"""Special:MovePage/Title: the form to rename a page (logged-in users, as in MediaWiki)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from wiki import pages, site, spam, titles
from wiki.access import rights
from wiki.pages import graph, moves
from wiki.web import common, permissions, special, tokens, watch
from wiki.web.special.params import private


def _denied(
    old: titles.Title | None, new: titles.Title | None = None, *, suppress: bool = False
) -> str | None:
    """Why the current user may not move `old` (to `new`, or leave no redirect), or None.

    MediaWiki's MovePage checks: move and edit on the old title, move and edit (and create
    protection) on the new one, so a move cannot take a page from under its edit protection."""
    if not permissions.is_logged_in():
        return "You must be logged in to move pages."
    ip = common.client_ip()
    if new is not None and old is not None:
        reason = rights.can_move(current_user, old, new, ip=ip)
    else:
        reason = rights.can(current_user, "move", old, ip=ip)
        if reason is None and old is not None:
            reason = rights.can(current_user, "edit", old, ip=ip)
    if reason is None and suppress:
        reason = rights.can(current_user, "suppressredirect")
    return str(reason) if reason else None


def _may_suppress_redirect() -> bool:
    return rights.can(current_user, "suppressredirect") is None


def _form(old: titles.Title | None, *, status: int = 200, error: str | None = None, **values):
    body = render_template(
        "movepage.html",
        title=site.parse_title("Special:MovePage"),
        old=old,
        error=error,
        new_title=values.get("new_title", old.prefixed_text if old else ""),
        reason=values.get("reason", ""),
        leave_redirect=values.get("leave_redirect", True),
        move_talk=values.get("move_talk", True),
        fix_redirects=values.get("fix_redirects", True),
        redirects_in=graph.redirect_count(old.namespace, old.dbkey) if old is not None else 0,
        may_suppress=_may_suppress_redirect(),
        has_talk=old is not None and _talk_page(old) is not None,
        watchthis=watch.checkbox(old, exists=True, action="move") if old is not None else None,
    )
    return private(body, status)


def _talk_title(title: titles.Title) -> titles.Title | None:
    if title.namespace < 0 or title.namespace % 2:
        return None
    ns = title.namespace + 1
    return titles.Title(ns, title.text, ns_name=site.namespaces().name(ns))


def _talk_page(title: titles.Title):
    talk = _talk_title(title)
    return pages.get(talk) if talk is not None else None


def _source(sub: str) -> titles.Title | None:
    text = request.values.get("wpOldTitle") or request.values.get("target") or sub
    if not text.strip():
        return None
    try:
        return site.parse_title(text)
    except titles.InvalidTitle as exc:
        return common.error_page(400, "Bad title", f"The page to move has an invalid title. {exc}")


@special.register("MovePage", "Move page")
def move_page(sub: str):
    old = _source(sub)
    if old is not None and not isinstance(old, titles.Title):
        return old  # the error page
    denied = _denied(old)
    if denied is not None:
        return common.error_page(403, "Permission error", denied)
    if old is None:
        return _form(None)
    if old.namespace < 0 or pages.get(old) is None:
        return common.error_page(
            404, "Cannot move page", f'The page "{old}" does not exist, so it cannot be moved.'
        )
    if request.method != "POST":
        return _form(old)
    return _submit(old)


def _submit(old: titles.Title):
    form = request.form
    values = {
        "new_title": form.get("wpNewTitle", ""),
        "reason": form.get("wpReason", "")[:500],
        "leave_redirect": bool(form.get("wpLeaveRedirect")) or not _may_suppress_redirect(),
        "move_talk": bool(form.get("wpMovetalk")),
        "fix_redirects": bool(form.get("wpFixRedirects")),
    }
    if not tokens.check(form.get("wpEditToken")):
        return _form(old, status=400, error="Your session expired; please try again.", **values)
    if not values["new_title"].strip():
        return _form(old, status=400, error="Please give the new title.", **values)
    try:
        new = site.parse_title(values["new_title"])
    except titles.InvalidTitle as exc:
        return _form(old, status=400, error=f"The new title is invalid. {exc}", **values)
    try:
        moves.check_titles(old, new)
    except moves.MoveError as exc:
        return _form(old, status=exc.status, error=str(exc), **values)
    denied = _denied(old, new, suppress=not values["leave_redirect"])
    if denied is not None:
        return _form(old, status=403, error=denied, **values)
    limited = permissions.rate_limited("move")
    if limited is not None:
        return limited
    refused = spam.check_move(current_user, common.client_ip(), new)
    if refused is not None:
        return _form(old, status=403, error=refused.message, **values)
    actor = permissions.actor()
    try:
        result = moves.move(
            old,
            new,
            actor=actor,
            reason=values["reason"],
            leave_redirect=values["leave_redirect"],
            fix_redirects=values["fix_redirects"],
            page_id=getattr(pages.get(old), "id", None),  # seen before the lock: a concurrent move conflicts
        )
    except moves.MoveError as exc:
        return _form(old, status=exc.status, error=str(exc), **values)
    talk_result, talk_error = _move_talk(old, new, actor, values)
    for moved in (old, new):  # MediaWiki watches (or unwatches) both titles as the box says
        watch.apply_checkbox(moved)
    body = render_template(
        "movepage_done.html",
        title=site.parse_title("Special:MovePage"),
        result=result,
        talk_result=talk_result,
        talk_error=talk_error,
    )
    return private(body)


def _move_talk(old, new, actor, values):
    """Move the talk page along (MediaWiki's default); a refusal there keeps the main move."""
    if not values["move_talk"] or _talk_page(old) is None:
        return None, None
    old_talk, new_talk = _talk_title(old), _talk_title(new)
    if new_talk is None:
        return None, f'The talk page "{old_talk}" was not moved: "{new}" cannot have a talk page.'
    denied = _denied(old_talk, new_talk)
    if denied is not None:
        return None, f'The talk page "{old_talk}" was not moved: {denied}'
    try:
        result = moves.move(
            old_talk, new_talk, actor=actor, reason=values["reason"], leave_redirect=values["leave_redirect"]
        )
    except moves.MoveError as exc:
        return None, f'The talk page "{old_talk}" was not moved: {exc}'
    return result, None
