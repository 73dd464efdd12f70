"""action=rollback and action=markpatrolled on index.php, and the links that lead to them."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from wiki import recent, titles, tokens
from wiki.extensions import db
from wiki.models import Page, RecentChange, Revision
from wiki.pages import patrol as patrols
from wiki.pages import revdelete
from wiki.pages import rollback as rollbacks
from wiki.web import actions, common, permissions, userlinks
from wiki.web.rollbacklinks import SHOWN_STREAK, rollback_href, rollback_label


def _granted() -> set[str]:
    from wiki.access import rights

    return set(rights.rights_for(current_user if permissions.is_logged_in() else None))


def rollback_link(title: titles.Title, page: Page | None) -> dict | None:
    """What the "rollback N edits" link of the top revision needs, or None when not offered (no
    right, or nobody else edited the page before its last editor)."""
    if page is None or permissions.denied("rollback", title) is not None:
        return None
    found = rollbacks.streaks([page.latest], SHOWN_STREAK).get(page.id) if page.latest else None
    if found is None:
        return None
    top = db.session.get(Revision, page.latest) if page.latest else None
    if top is not None and not userlinks.may_see(top, revdelete.USER):
        return None  # the link would name the hidden editor
    return {
        "href": rollback_href(title, found.user),
        "label": rollback_label(found.count),
        "user": found.user,
    }


def patrol_link(title: titles.Title, rev: Revision | None) -> str | None:
    """URL of "Mark as patrolled" for this revision, when the user may patrol it and it is unpatrolled."""
    if rev is None or permissions.denied("patrol", title) is not None:
        return None
    change = patrols.change_of_revision(rev.id)
    if change is None or change.patrolled != recent.UNPATROLLED:
        return None
    own = permissions.is_logged_in() and change.user_text == current_user.name
    if own and "autopatrol" not in _granted():
        return None
    return common.index_url(title, action="markpatrolled", rcid=change.id)


def _done(title: titles.Title, heading: str, message: str, status: int = 200):
    return render_template("actioncomplete.html", title=title, heading=heading, message=message), status


def rollback(title: titles.Title):
    """GET with the user's token rolls back at once (as MediaWiki's rollback links); without it, a form."""
    refused = permissions.check("rollback", title, "Permission error") or permissions.check_edit(title)
    if refused is not None:
        return refused
    user = (request.values.get("from") or "").replace("_", " ").strip()
    if not user:
        return common.error_page(400, "Rollback failed", "The rollback link names no user (from=).")
    if not tokens.check(request.values.get("token")):
        body = render_template(
            "confirm_action.html",
            title=title,
            action="rollback",
            heading="Rollback edits",
            question=f"Roll back the edits of {user} to {title}?",
            fields={"from": user},
        )
        return body, 200 if request.method == "GET" else 400
    granted = _granted()
    try:
        done = rollbacks.rollback(
            title,
            user,
            actor=permissions.actor(),
            markbot=bool(request.values.get("bot")) and bool(granted & {"markbotedits", "bot"}),
            flags=recent.Flags(autopatrol="autopatrol" in granted),
        )
    except rollbacks.RollbackError as exc:
        return common.error_page(409 if exc.code == "alreadyrolled" else 400, "Rollback failed", str(exc))
    return _done(
        title,
        "Rollback finished",
        f"Reverted edits by {user}; changed back to last revision {done.restored.id} "
        f"by {done.restored.user_text}.",
    )


def markpatrolled(title: titles.Title):
    refused = permissions.check("patrol", title, "Permission error")
    if refused is not None:
        return refused
    raw = request.values.get("rcid", "")
    rcid = int(raw) if raw.isdigit() and int(raw) <= common.MAX_ID else None
    change = db.session.get(RecentChange, rcid) if rcid is not None else None
    if change is None:
        return common.error_page(404, "Mark as patrolled", "There is no such recent change to mark.")
    if request.method != "POST" or not tokens.check(request.form.get("token")):
        body = render_template(
            "confirm_action.html",
            title=title,
            action="markpatrolled",
            heading="Mark as patrolled",
            question="Mark this edit as patrolled?",
            fields={"rcid": str(change.id)},
        )
        return body, 200 if request.method == "GET" else 400
    actor = permissions.actor()
    try:
        patrols.mark(change, actor, may_patrol_own="autopatrol" in _granted())
    except patrols.PatrolError as exc:
        return common.error_page(403, "Mark as patrolled", str(exc))
    return _done(title, "Marked as patrolled", "The edit has been marked as patrolled.")


def template_globals() -> dict:
    return {"rollback_link": rollback_link, "patrol_link": patrol_link}


actions.register("rollback", rollback)
actions.register("markpatrolled", markpatrolled)
