"""action=revisiondelete: hide or show the text, summary and editor of revisions, or the action,
summary and performer of log entries (MediaWiki's ApiRevisionDelete, type=revision and
type=logging)."""

from __future__ import annotations

from wiki.api import access, logevents, register
from wiki.api.edit import TOKEN
from wiki.api.errors import ApiError
from wiki.api.output import Bool, iso
from wiki.api.pageset import parse_title
from wiki.api.params import multi, param
from wiki.models import LogEntry
from wiki.pages import logdelete, revdelete

PARTS = ("content", "comment", "user")
REVISIONDELETE = [
    param("type", ("logging", "revision"), required=True, help="Type of revision deletion being performed."),
    param("target", help="Page title for the revision deletion, if required for the type."),
    multi("ids", required=True, help="Identifiers for the revisions to be deleted."),
    multi("hide", PARTS, help="What to hide for each revision."),
    multi("show", PARTS, help="What to unhide for each revision."),
    param(
        "suppress",
        ("yes", "no", "nochange"),
        default="nochange",
        help="Whether to suppress data from administrators as well as others.",
    ),
    param("reason", default="", help="Reason for the deletion or undeletion."),
    TOKEN,
]


def _statuses(pairs: list[tuple[str, list]], kind: str) -> list[dict]:
    """Per-item statuses as MediaWiki's errorformat=bc gives them (message key, params, code, type)."""
    return [{"message": key, "params": list(params), "code": key, "type": kind} for key, params in pairs]


@register(
    "revisiondelete",
    "Delete and undelete revisions.",
    params=REVISIONDELETE,
    post=True,
    token="token",
)
def revisiondelete(api) -> dict:
    params = api.params
    logging = params.get("type") == "logging"
    access.require(api.user, "deletelogentry" if logging else "deleterevision")
    ids = [i for i in params.list("ids") if i]
    if not ids:
        raise ApiError("paramempty_ids", 'The "ids" parameter may not be empty.')
    hide, show = set(params.list("hide")), set(params.list("show"))
    if hide & show:
        raise ApiError("badparams", 'The same field cannot be used in both "hide" and "show".')
    if not hide and not show:
        raise ApiError("badparams", 'At least one value is required for "hide" and/or "show".')
    value = {bit: 1 if name in hide else 0 if name in show else -1 for name, bit in revdelete.FIELDS.items()}
    suppress = params.get("suppress") or "nochange"
    if suppress == "yes":
        access.require(api.user, "suppressrevision")
    value[revdelete.RESTRICTED] = {"yes": 1, "no": 0}.get(suppress, -1)
    if logging:
        return _logging(api, ids, value)
    given = parse_title(params.get("target")) if params.get("target") else None
    target = revdelete.suggest_target(ids, given)
    if target is None:
        raise ApiError("needtarget", "A target title is required for this RevDel type.")
    access.require(api.user, "deleterevision", target)
    outcome = revdelete.change(
        target,
        ids,
        value,
        actor=access.actor(api.user),
        rights=access.reader_rights(),
        reason=params.get("reason") or "",
    )
    seen = access.reader_rights()
    items = []
    for item in outcome.items:
        data = _status(item)
        rev = item.revision
        if rev is not None:
            bits = rev.deleted or 0
            data.update(
                timestamp=iso(rev.timestamp),
                userhidden=Bool(bits & revdelete.USER),
                commenthidden=Bool(bits & revdelete.COMMENT),
                texthidden=Bool(bits & revdelete.TEXT),
            )
            if revdelete.can_see(bits, revdelete.USER, seen):
                data.update(userid=rev.user_id or 0, user=rev.user_text)
            if revdelete.can_see(bits, revdelete.COMMENT, seen):
                data["comment"] = rev.comment
        items.append(data)
    return {
        "revisiondelete": {
            "status": "Success",
            "target": target.prefixed_text,
            "items": items,
        }
    }


def _status(item: revdelete.ItemStatus) -> dict:
    """An item's status, errors, warnings and id. As MediaWiki's: only a missing item fails;
    refusals are errors of a "Success" item."""
    missing = any(key == "revdelete-modify-missing" for key, _p in item.errors)
    data: dict = {"status": "Fail" if missing else "Success"}
    if item.errors or item.warnings:
        data["errors"] = _statuses(item.errors, "error")
        data["warnings"] = _statuses(item.warnings, "warning")
    data["id"] = item.id
    return data


def _logging(api, ids: list[str], value: dict[int, int]) -> dict:
    """type=logging: the target is the log the entries are in (MediaWiki ignores `target`)."""
    seen = access.reader_rights()
    outcome = logdelete.change(
        ids, value, actor=access.actor(api.user), rights=seen, reason=api.params.get("reason") or ""
    )
    items = []
    for item in outcome.items:
        data = _status(item)
        if item.entry is not None:
            data.update(_log_item(item.entry, seen))
        items.append(data)
    return {"revisiondelete": {"status": "Success", "target": outcome.target, "items": items}}


def _log_item(entry: LogEntry, seen: frozenset[str]) -> dict:
    """A log entry as RevDelLogItem::getApiData: what is hidden, and what the caller may see."""
    bits = entry.deleted or 0
    data: dict = {
        "type": entry.type,
        "action": entry.action,
        "userhidden": Bool(bits & logdelete.USER),
        "commenthidden": Bool(bits & logdelete.COMMENT),
        "actionhidden": Bool(bits & logdelete.ACTION),
    }
    if logdelete.can_see(bits, logdelete.ACTION, seen):
        data["params"] = logevents.details(entry)
    if logdelete.can_see(bits, logdelete.USER, seen):
        data.update(userid=entry.user_id or 0, user=entry.user_text)
    if logdelete.can_see(bits, logdelete.COMMENT, seen):
        data["comment"] = entry.comment
    return data
