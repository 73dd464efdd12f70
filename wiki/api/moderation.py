"""action=block, action=unblock and action=undelete (sysops), each logged, each whole or not at all."""

from __future__ import annotations

from wiki.access import blocks, expiry, users
from wiki.api import access, register
from wiki.api.edit import TOKEN
from wiki.api.errors import ApiError, missing_param
from wiki.api.output import iso
from wiki.api.pageset import parse_title
from wiki.api.params import multi, param
from wiki.pages import deletion

BLOCK = [
    param("user", help="User name, IP address or IP range to block."),
    param(
        "expiry", default="never", help='Expiry: relative ("5 months", "2 weeks") or absolute; "infinite".'
    ),
    param("reason", default="", help="Reason for the block."),
    param("anononly", "boolean", help="Block anonymous users only (IP blocks; always so here)."),
    param("nocreate", "boolean", help="Prevent account creation."),
    param("autoblock", "boolean", help="Also block the last IP address the account used, and later ones."),
    param("reblock", "boolean", help="Overwrite an existing block of the target."),
    TOKEN,
]
UNBLOCK = [
    param("id", "integer", help="Id of the block to lift."),
    param("user", help="User name, IP address or IP range to unblock."),
    param("reason", default="", help="Reason for the unblock."),
    TOKEN,
]
UNDELETE = [
    param("title", "title", required=True, help="Title of the page to restore."),
    param("reason", default="", help="Reason for restoring."),
    multi("timestamps", help="Timestamps of the revisions to restore (default: all)."),
    TOKEN,
]


@register("block", "Block a user or an IP address.", params=BLOCK, post=True, token="token")
def block(api) -> dict:
    target = (api.params.get("user") or "").strip()
    if not target:
        raise missing_param("user")
    access.require(api.user, "block")
    try:
        name = blocks.normalise_target(target)
    except blocks.BadTarget:
        raise ApiError(
            "nosuchuser", f'There is no user by the name "{target}". Check your spelling.'
        ) from None
    if blocks.active_for(name, None) is not None and not api.params.flag("reblock"):
        raise ApiError("alreadyblocked", f'"{name}" is already blocked.')
    try:
        row = blocks.block(
            name,
            actor=access.actor(api.user),
            reason=api.params.get("reason", ""),
            expires=api.params.get("expiry") or "never",
            autoblock=api.params.flag("autoblock"),
            create_account=api.params.flag("nocreate"),
            replace=api.params.flag("reblock"),
        )
    except blocks.AlreadyBlocked as exc:
        raise ApiError("alreadyblocked", str(exc)) from None
    except expiry.BadExpiry:
        raise ApiError("invalidexpiry", "Expiry time invalid.") from None
    except (blocks.BadTarget, blocks.Refused) as exc:
        raise ApiError("cantblock", str(exc)) from None
    account = users.find_user(name)
    out: dict = {
        "user": name,
        "userID": account.id if account is not None else 0,
        "expiry": iso(row.expiry) if row.expiry is not None else "infinite",
        "id": row.id,
        "reason": row.reason,
    }
    for flag, on in (("nocreate", row.create_account), ("autoblock", row.autoblock)):
        if on:
            out[flag] = True
    return {"block": out}


@register("unblock", "Unblock a user.", params=UNBLOCK, post=True, token="token")
def unblock(api) -> dict:
    block_id, target = api.params.int("id"), (api.params.get("user") or "").strip()
    if block_id is None and not target:
        raise ApiError("missingparam", 'One of the parameters "id" and "user" is required.')
    access.require(api.user, "block")
    row = blocks.by_id(block_id) if block_id is not None else None
    if block_id is not None:
        if row is None:
            raise ApiError(
                "cantunblock", f"Error: Block ID {block_id} not found. It may have been removed already."
            )
        target = row.target if row.parent_id is None else f"#{row.id}"
    found = blocks.active_for(target, None) if not target.startswith("#") else row
    reason = api.params.get("reason", "")
    try:
        lifted = blocks.unblock(target, actor=access.actor(api.user), reason=reason)
    except blocks.Refused as exc:
        raise ApiError("cantunblock", str(exc)) from None
    if not lifted or found is None:
        raise ApiError(
            "cantunblock", f"Error: Block for {target} not found. It may have been removed already."
        )
    account = users.find_user(found.target)
    return {
        "unblock": {
            "id": found.id,
            "user": found.target,
            "userid": account.id if account is not None else 0,
            "reason": reason,
        }
    }


@register("undelete", "Undelete revisions of a deleted page.", params=UNDELETE, post=True, token="token")
def undelete(api) -> dict:
    title = parse_title(api.params.get("title") or "")
    if title.namespace < 0:
        raise ApiError("cantundelete", "Pages in this namespace cannot be deleted or restored.")
    access.require(api.user, "undelete", title)
    wanted = api.params.list("timestamps")
    archived = deletion.archived(title)
    rev_ids = None
    if wanted:
        stamps = {w.replace("-", "").replace(":", "").replace("T", "").rstrip("Z") for w in wanted}
        rev_ids = [a.rev_id for a in archived if a.timestamp.strftime("%Y%m%d%H%M%S") in stamps]
    reason = api.params.get("reason", "")
    try:
        count = (
            deletion.undelete(title, actor=access.actor(api.user), reason=reason, rev_ids=rev_ids)
            if (archived and rev_ids != [])
            else 0
        )
    except deletion.NothingToDo:
        count = 0
    if not count:
        raise ApiError(
            "cantundelete",
            "Couldn't undelete: the requested revisions may not exist, or may have been undeleted already.",
        )
    return {
        "undelete": {"title": title.prefixed_text, "revisions": count, "fileversions": 0, "reason": reason}
    }
