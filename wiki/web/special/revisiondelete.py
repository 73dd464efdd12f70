"""Special:RevisionDelete (and index.php?action=revisiondelete from the history page's button):
hide or show the text, edit summary and editor of selected revisions of one page; with type=logging,
the log entries' form (wiki.web.special.logdelete)."""

from __future__ import annotations

from flask import render_template, request

from wiki import site, titles
from wiki.pages import revdelete
from wiki.web import actions, common, permissions, special, tokens
from wiki.web.special import logdelete, revdelform

# MediaWiki's form fields, each with its bit.
FIELDS = (
    ("wpHidePrimary", revdelete.TEXT, "Revision text"),
    ("wpHideComment", revdelete.COMMENT, "Edit summary"),
    ("wpHideUser", revdelete.USER, "Editor's username/IP address"),
)


def form(target: titles.Title | None):
    """The form (GET) and its submission (POST)."""
    kind = request.values.get("type", "revision")
    if kind == "logging":
        return logdelete.form()
    refused = permissions.check("deleterevision", target, "Permission error")
    if refused is not None:
        return refused
    if kind != "revision":
        return common.error_page(
            400,
            "Delete/undelete revisions",
            "Revisions (type=revision) and log entries (type=logging) can be hidden here.",
        )
    ids = revdelform.requested_ids()
    target = revdelete.suggest_target(ids, target)
    may_suppress = "suppressrevision" in permissions.reader_rights()
    rows = revdelete.revisions_of(target, ids) if target is not None else []
    if target is None or not rows:
        return common.error_page(
            400,
            "Invalid target revision",
            "You have either not specified any target revision on which to perform this function, the "
            "specified revision does not exist, or you are attempting to hide the current revision.",
        )
    fields = FIELDS + ((revdelform.RESTRICTED_FIELD,) if may_suppress else ())
    error, statuses = None, []
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            value = {bit: revdelform.wanted(name, len(rows) > 1) for name, bit, _label in fields}
            outcome = revdelete.change(
                target,
                [str(r.id) for r in rows],
                value,
                actor=permissions.actor(),
                rights=permissions.reader_rights(),
                reason=revdelform.reason(),
            )
            statuses = revdelform.statuses(outcome.items)
            if outcome.log_id is not None:
                rows = revdelete.revisions_of(target, [str(r.id) for r in rows])
                return render_template(
                    "revisiondelete.html",
                    title=target,
                    rows=rows,
                    fields=fields,
                    done=True,
                    statuses=statuses,
                )
            error = "No revision was changed."
    body = render_template(
        "revisiondelete.html",
        title=target,
        rows=rows,
        fields=fields,
        done=False,
        error=error,
        statuses=statuses,
        reasons=revdelform.REASONS,
        ids=[r.id for r in rows],
    )
    return body, 400 if error else 200


@special.register("RevisionDelete", "Delete/undelete revisions", listed=False)
def revision_delete(sub: str):
    name = request.values.get("target") or sub
    target = titles.try_parse(name, site.namespaces()) if name else None
    return form(target)


def action(title: titles.Title):
    return form(title)


actions.register("revisiondelete", action)
