"""action=delete and action=protect on index.php (sysops), with forms guarded by the edit token."""

from __future__ import annotations

from flask import render_template, request

from wiki import pages, titles
from wiki.access import expiry, protection, rights
from wiki.pages import deletion
from wiki.web import actions, common, permissions, tokens

EXPIRY_CHOICES = ("infinite", "1 hour", "1 day", "1 week", "1 month", "1 year")


def _done(title: titles.Title, heading: str, message: str):
    return render_template("actioncomplete.html", title=title, heading=heading, message=message)


def delete(title: titles.Title):
    refused = permissions.check("delete", title, "Permission error")
    if refused is not None:
        return refused
    page = pages.get(title)
    if page is None:
        return common.error_page(
            404,
            "Cannot delete page",
            f'"{title}" cannot be deleted: it does not exist (perhaps it was deleted already).',
        )
    error = None
    reason = request.form.get("wpReason", "")
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            try:
                deletion.delete_page(title, actor=permissions.actor(), reason=reason.strip())
            except deletion.NothingToDo as exc:  # deleted by someone else meanwhile
                return common.error_page(404, "Cannot delete page", str(exc))
            return _done(title, "Action complete", f'"{title}" has been deleted.')
    count = pages.revision_count(page)
    body = render_template("delete.html", title=title, page=page, error=error, reason=reason, count=count)
    return body, 400 if error else 200


def protect(title: titles.Title):
    """The protect form: edit and move levels of a page (move follows edit unless unlocked, as
    MediaWiki's "Unlock further protect options"), cascading; create protection of a missing title."""
    refused = permissions.check("protect", title, "Permission error")
    if refused is not None:
        return refused
    page = pages.get(title)
    types = protection.applicable_types(page is not None)
    error = None
    form = request.form
    if request.method == "POST":
        if not tokens.check(form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            try:
                protection.protect(
                    title,
                    _levels(form, types),
                    actor=permissions.actor(),
                    reason=form.get("mwProtect-reason", "").strip(),
                    expires=form.get("mwProtect-expiry", "infinite"),
                    cascade=page is not None and bool(form.get("mwProtect-cascade")),
                )
            except (protection.BadProtection, expiry.BadExpiry) as exc:
                error = str(exc)
            else:
                return _done(title, "Action complete", f'The protection of "{title}" has been changed.')
    current = {r.type: r for r in protection.current(title)}
    chained = _level_of(current, "move") == _level_of(current, "edit")
    body = render_template(
        "protect.html",
        title=title,
        page=page,
        error=error,
        current=current,
        sources=protection.cascading_sources(title),
        levels=rights.protection_levels(),
        types=types,
        unchained=bool(form.get("mwProtectUnchained")) if request.method == "POST" else not chained,
        cascade=any(r.cascade for r in current.values()),
        expiries=EXPIRY_CHOICES,
    )
    return body, 400 if error else 200


def _level_of(current: dict, kind: str) -> str:
    restriction = current.get(kind)
    return restriction.level if restriction is not None else ""


def _levels(form, types: tuple[str, ...]) -> dict[str, str]:
    """The levels asked for; without "Unlock further protect options" move takes the edit level
    (what MediaWiki's script does in the browser, done here so it holds without JavaScript)."""
    levels = {kind: form.get(f"mwProtect-level-{kind}", "") for kind in types}
    if "move" in levels and not form.get("mwProtectUnchained"):
        levels["move"] = levels["edit"]
    return levels


actions.register("delete", delete)
actions.register("protect", protect)
actions.register("unprotect", protect)
