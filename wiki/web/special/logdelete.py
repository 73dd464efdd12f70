"""Special:RevisionDelete?type=logging: hide or show the action and target, the summary and the
performer of selected log entries (what Special:Log's checkboxes and "(change visibility)" links
open), as MediaWiki's RevDelLogList form."""

from __future__ import annotations

from flask import render_template, request

from wiki.pages import logdelete
from wiki.web import common, permissions, tokens
from wiki.web.special import revdelform
from wiki.web.special.log import existing_of, line_of

# MediaWiki's form fields for log entries, each with its bit.
FIELDS = (
    ("wpHidePrimary", logdelete.ACTION, "Hide target and parameters"),
    ("wpHideComment", logdelete.COMMENT, "Edit summary"),
    ("wpHideUser", logdelete.USER, "Editor's username/IP address"),
)
NO_TARGET = (
    "You have either not specified a target revision(s) to perform this function, the specified "
    "revision does not exist, or you are attempting to hide the current revision."
)


def form():
    """The form (GET) and its submission (POST)."""
    refused = permissions.check("deletelogentry", None, "Permission error")
    if refused is not None:
        return refused
    seen = permissions.reader_rights()
    entries = logdelete.entries_of(revdelform.requested_ids(), seen)
    if not entries:  # MediaWiki's revdelete-nooldid, for log entries too
        return common.error_page(400, "Invalid target revision", NO_TARGET)
    if request.method != "POST" and not all(
        logdelete.can_see(e.deleted or 0, logdelete.RESTRICTED, seen) for e in entries
    ):
        return common.error_page(
            403,
            "Permission error",
            "A selected log entry has been suppressed: changing its visibility is limited to users "
            "in the group: Suppressors.",
        )
    fields = FIELDS + ((revdelform.RESTRICTED_FIELD,) if "suppressrevision" in seen else ())
    error, statuses, done = None, [], False
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            value = {bit: revdelform.wanted(name, len(entries) > 1) for name, bit, _label in fields}
            outcome = logdelete.change(
                [str(e.id) for e in entries],
                value,
                actor=permissions.actor(),
                rights=seen,
                reason=revdelform.reason(),
            )
            statuses = revdelform.statuses(outcome.items)
            done = outcome.log_id is not None
            if done:
                entries = logdelete.entries_of([str(e.id) for e in entries], seen)
            else:
                error = "No log entry was changed."
    lines = [line_of(e) for e in entries]
    body = render_template(
        "logdelete.html",
        lines=lines,
        entries=entries,
        existing=existing_of(lines),
        fields=fields,
        done=done,
        error=error,
        statuses=statuses,
        reasons=revdelform.REASONS,
        target=logdelete.target_of(entries),
    )
    return body, 400 if error else 200
