"""Change tags in the API: list=tags, action=managetags, action=tag."""

from __future__ import annotations

from wiki.api import access, register
from wiki.api.edit import TOKEN
from wiki.api.errors import ApiError
from wiki.api.lists import Listing
from wiki.api.params import limit, multi, param
from wiki.api.registry import submodule
from wiki.pages import tags

TGPROPS = ("displayname", "description", "hitcount", "defined", "source", "active")
LIST_TAGS = [
    param("continue", help="When more results are available, use this to continue."),
    limit("limit", default=10, maximum=500, help="The maximum number of tags to list."),
    multi("prop", TGPROPS, default="", help="Which properties to get."),
]
MANAGE = [
    param(
        "operation", ("create", "delete", "activate", "deactivate"), required=True, help="Which operation."
    ),
    param("tag", required=True, help="Tag to create, delete, activate or deactivate."),
    param("reason", default="", help="A reason, for the log."),
    param("ignorewarnings", "boolean", help="Whether to ignore warnings during the operation."),
    multi("tags", help="Change tags to apply to the entry in the tag management log."),
    TOKEN,
]
TAG = [
    multi("rcid", "integer", help="Recent-changes ids to add or remove tags from."),
    multi("revid", "integer", help="Revision ids to add or remove tags from."),
    multi("logid", "integer", help="Log entry ids to add or remove tags from."),
    multi("add", help="Tags to add (user-defined and active ones only)."),
    multi("remove", help="Tags to remove."),
    param("reason", default="", help="Reason for the change."),
    multi("tags", help="Tags to apply to the log entry of this change."),
    TOKEN,
]


@submodule("tags", "list", "tg", "List change tags.", LIST_TAGS)
def list_tags(api, p: str) -> Listing:
    props = set(api.params.list(p + "prop"))
    start = api.params.get(p + "continue") or ""
    count = api.params.int(p + "limit") or 10
    found = [t for t in tags.all_tags() if t.name >= start]
    listing = Listing()
    for info in found[:count]:
        item: dict = {"name": info.name}
        if "displayname" in props:
            item["displayname"] = info.displayname
        if "description" in props:
            item["description"] = info.description
        if "hitcount" in props:
            item["hitcount"] = info.hitcount
        if "defined" in props:
            item["defined"] = True
        if "source" in props:
            item["source"] = ["manual" if info.source == "manual" else "extension"]
        if "active" in props and info.active:
            item["active"] = True
        listing.items.append(item)
    if len(found) > count:
        listing.cont = {p + "continue": found[count].name}
    return listing


@register(
    "managetags", "Perform management tasks relating to change tags.", params=MANAGE, post=True, token="token"
)
def managetags(api) -> dict:
    operation, name = api.params.get("operation") or "", (api.params.get("tag") or "").strip()
    access.require(
        api.user,
        "managechangetags"
        if operation in ("create", "activate")
        else "deletechangetags"
        if operation == "delete"
        else "managechangetags",
    )
    try:
        log_id = tags.manage(
            operation, name, actor=access.actor(api.user), reason=api.params.get("reason", "")
        )
    except tags.TagError as exc:
        raise ApiError(exc.code, str(exc)) from None
    return {"managetags": {"operation": operation, "tag": name, "success": True, "logid": log_id}}


@register(
    "tag",
    "Add or remove change tags from individual revisions or log entries.",
    params=TAG,
    post=True,
    token="token",
)
def tag(api) -> dict:
    access.require(api.user, "changetags")
    add, remove = api.params.list("add"), api.params.list("remove")
    if not add and not remove:
        raise ApiError("missingparam", 'At least one of the parameters "add" and "remove" is required.')
    actor, reason = access.actor(api.user), api.params.get("reason", "")
    out = []
    for key in ("rcid", "revid", "logid"):
        for value in api.params.list(key):
            ident = int(value)
            change = tags.target(**{{"rcid": "rc_id", "revid": "rev_id", "logid": "log_id"}[key]: ident})
            if change is None:
                out.append(
                    {key: ident, "status": "error", "errors": [{"code": f"nosuch{key}", "type": "error"}]}
                )
                continue
            try:
                added, removed, log_id = tags.update(change, add, remove, actor=actor, reason=reason)
            except tags.TagError as exc:
                raise ApiError(exc.code, str(exc), **exc.extra) from None
            item: dict = {key: ident, "status": "success"}
            if log_id is None:
                item["noop"] = True
            else:
                item.update(actionlogid=log_id, added=added, removed=removed)
            out.append(item)
    if not out:
        raise ApiError("missingparam", 'One of the parameters "rcid", "revid" and "logid" is required.')
    return {"tag": out}
