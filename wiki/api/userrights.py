"""action=userrights: add and remove a user's groups (MediaWiki's ApiUserrights).

As MediaWiki 1.39 answers: groups the caller may not change are left out of `added` and `removed`
(with a warning here), so a caller without the `userrights` right gets a success that changed
nothing; unknown groups are "Unrecognized value" warnings. The change and its rights-log entry are
one transaction (wiki.access.groups).
"""

from __future__ import annotations

from datetime import datetime

from wiki import titles
from wiki.access import accounts, blocks, expiry, groups, names, rights
from wiki.api import access, register
from wiki.api.errors import ApiError
from wiki.api.params import multi, param

GROUPS = rights.EXPLICIT_GROUPS
PARAMS = [
    param("user", "user", help="User to change the groups of."),
    param("userid", "integer", help="User id to change the groups of (deprecated: use user)."),
    multi("add", GROUPS, help="Add the user to these groups."),
    multi(
        "expiry",
        default="infinite",
        help='Expiry of each added group ("infinite", "1 month", a timestamp): one for all, or one each.',
    ),
    multi("remove", GROUPS, help="Remove the user from these groups."),
    param("reason", default="", help="Reason for the change."),
    multi("tags", (), help="Change tags to apply to the log entry (none is defined for this)."),
    param(
        "token",
        required=True,
        help="A userrights token from meta=tokens.",
        extra={"tokentype": "userrights", "sensitive": True},
    ),
]


@register("userrights", "Change a user's group membership.", params=PARAMS, post=True, token="token")
def userrights(api) -> dict:
    params = api.params
    performer = api.user
    target = _target(api)
    add, remove = params.list("add"), params.list("remove")
    expiries = _expiries(params.list("expiry") or ["infinite"], len(add))
    if performer is not None and "userrights" in access.rights(performer):
        block = blocks.active_for(performer.name, access.client_ip())
        if block is not None:
            raise ApiError("blocked", "You have been blocked from changing user rights.")
    can_add, can_remove = groups.changeable(performer)
    refused = [g for g in add if g not in can_add] + [g for g in remove if g not in can_remove]
    if refused:
        api.warn("userrights", "You may not change these groups: " + ", ".join(dict.fromkeys(refused)) + ".")
    change = groups.change(
        target,
        add={g: expiries[i] for i, g in enumerate(add) if g in can_add},
        remove=[g for g in remove if g in can_remove],
        actor=access.actor(performer),
        reason=params.get("reason", "") or "",
    )
    return {
        "userrights": {
            "user": target.name,
            "userid": target.id,
            "added": change.added,
            "removed": change.removed,
        }
    }


def _target(api):
    params = api.params
    raw, user_id = params.get("user"), params.int("userid")
    if raw is None and user_id is None:
        raise ApiError("missingparam", 'One of the parameters "user" and "userid" is required.')
    if raw is not None and user_id is not None:
        raise ApiError("invalidparammix", 'The parameters "user" and "userid" can not be used together.')
    if raw is None:
        api.warn("userrights", 'The parameter "userid" has been deprecated.')
        found = accounts.get_user(user_id or 0)
        if found is None:
            raise ApiError("invaliduser", "You have not specified a valid username.")
        return found
    try:
        name = accounts.normalise_name(raw)
        names.check_raw(name)
    except (titles.InvalidTitle, ValueError):
        raise ApiError("baduser", f'Invalid value "{raw}" for user parameter "user".') from None
    if names.looks_like_ip(name):
        raise ApiError("baduser", f'Invalid value "{raw}" for user parameter "user".')
    found = accounts.find_user(name)
    if found is None:
        raise ApiError("nosuchuser", f'There is no user by the name "{name}". Check your spelling.')
    return found


def _expiries(raw: list[str], count: int) -> list[datetime | None]:
    """One expiry per added group: a single value applies to all (MediaWiki's toofewexpiries)."""
    if len(raw) == 1 and count > 1:
        raw = raw * count
    if count and len(raw) != count:
        raise ApiError(
            "toofewexpiries", f"{len(raw)} expiry timestamps were provided where {count} was needed."
        )
    out = []
    for text in raw[: max(count, 1)]:
        try:
            out.append(expiry.parse(text))
        except expiry.BadExpiry as exc:
            if "past" in str(exc):
                raise ApiError("pastexpiry", f'Expiry time "{text}" is in the past.') from None
            raise ApiError("invalidexpiry", f'Invalid expiry time "{text}".') from None
    return out
