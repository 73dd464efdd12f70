"""Special:RevisionDelete (and index.php?action=revisiondelete from the history page's button):
hide or show the text, edit summary and editor of selected revisions of one page."""

from __future__ import annotations

import re

from flask import render_template, request

from wiki import site, titles
from wiki.pages import revdelete
from wiki.web import actions, common, permissions, special, tokens

# MediaWiki's form fields, each with its bit.
FIELDS = (
    ("wpHidePrimary", revdelete.TEXT, "Revision text"),
    ("wpHideComment", revdelete.COMMENT, "Edit summary"),
    ("wpHideUser", revdelete.USER, "Editor's username/IP address"),
)
RESTRICTED_FIELD = (
    "wpHideRestricted",
    revdelete.RESTRICTED,
    "Suppress data from administrators as well as others",
)
REASONS = (
    "Copyright violation",
    "Inappropriate comment",
    "Inappropriate username",
    "Potentially libelous information",
)
IDS_KEY = re.compile(r"^ids\[(\d{1,11})\]$")


def requested_ids() -> list[str]:
    """The ids of the request: `ids[N]=1` (the history form), or `ids=N,M` / `ids=N|M`."""
    out = [m.group(1) for key in request.values if (m := IDS_KEY.match(key)) and request.values.get(key)]
    for raw in request.values.getlist("ids"):
        out.extend(part.strip() for part in re.split(r"[,|]", raw) if part.strip())
    return list(dict.fromkeys(out))


def form(target: titles.Title | None):
    """The form (GET) and its submission (POST)."""
    refused = permissions.check("deleterevision", target, "Permission error")
    if refused is not None:
        return refused
    if request.values.get("type", "revision") != "revision":
        return common.error_page(
            400, "Delete/undelete revisions", "Only revisions can be hidden here (type=revision)."
        )
    ids = requested_ids()
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
    fields = FIELDS + ((RESTRICTED_FIELD,) if may_suppress else ())
    error, statuses = None, []
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            value = {bit: _wanted(name, len(rows) > 1) for name, bit, _label in fields}
            outcome = revdelete.change(
                target,
                [str(r.id) for r in rows],
                value,
                actor=permissions.actor(),
                rights=permissions.reader_rights(),
                reason=_reason(),
            )
            statuses = [
                (kind, revdelete.message(key, params))
                for item in outcome.items
                for kind, pairs in (("error", item.errors), ("warning", item.warnings))
                for key, params in pairs
            ]
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
        reasons=REASONS,
        ids=[r.id for r in rows],
    )
    return body, 400 if error else 200


def _wanted(name: str, several: bool) -> int:
    """1 hide, 0 show, -1 leave (several revisions: MediaWiki's radio buttons; one: a checkbox)."""
    if several:
        return {"1": 1, "0": 0}.get(request.form.get(name, "-1"), -1)
    return 1 if request.form.get(name) else 0


def _reason() -> str:
    listed = request.form.get("wpRevDeleteReasonList", "other")
    extra = request.form.get("wpReason", "").strip()
    if listed in REASONS:
        return f"{listed}: {extra}" if extra else listed
    return extra


@special.register("RevisionDelete", "Delete/undelete revisions", listed=False)
def revision_delete(sub: str):
    name = request.values.get("target") or sub
    target = titles.try_parse(name, site.namespaces()) if name else None
    return form(target)


def action(title: titles.Title):
    return form(title)


actions.register("revisiondelete", action)
