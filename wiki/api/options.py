"""action=options: change the caller's own preferences (MediaWiki's ApiOptions). Only the logged-in
user's preferences are ever read or written: there is no parameter naming another user."""

from __future__ import annotations

from wiki.access import preferences
from wiki.api import access, register
from wiki.api.errors import ApiError
from wiki.api.params import multi, param
from wiki.extensions import db

PARAMS = [
    param("reset", "boolean", help="Reset preferences to the site defaults."),
    multi(
        "resetkinds",
        preferences.KINDS,
        default="all",
        help="Which kinds of preferences to reset when reset is set.",
    ),
    multi("change", help='Changes, "name=value" each (a name without "=" resets it to its default).'),
    param("optionname", help="The name of a preference to set to optionvalue."),
    param("optionvalue", "text", help="The value of optionname (none: its default)."),
    param("token", required=True, help="A csrf token from meta=tokens.", extra={"tokentype": "csrf"}),
]


@register("options", "Change preferences of the current user.", params=PARAMS, post=True, token="token")
def options(api) -> dict:
    params = api.params
    user = api.user
    if user is None:
        raise ApiError("notloggedin", "You must be logged in to edit your preferences.")
    access.require(user, "editmyoptions")
    changes: list[tuple[str, str | None]] = []
    for item in params.list("change"):
        name, sep, value = item.partition("=")
        changes.append((name, value if sep else None))
    name = params.get("optionname")
    if name is not None:
        changes.append((name, params.get("optionvalue")))
    reset = params.flag("reset")
    if not reset and not changes:
        raise ApiError("nochanges", "No changes were requested.")
    if reset:
        preferences.reset(user, params.list("resetkinds") or ["all"])
    accepted: dict[str, str] = {}
    for key, value in changes:
        try:
            default = preferences.DEFAULTS[key].default if key in preferences.DEFAULTS else ""
            accepted[key] = preferences.check(key, default if value is None else value)
        except preferences.BadValue as exc:
            api.warn("options", str(exc))
    try:
        preferences.set_many(user, accepted)
    except preferences.BadValue as exc:
        db.session.rollback()
        raise ApiError("toomanyoptions", str(exc)) from None
    db.session.commit()
    return {"options": "success"}
