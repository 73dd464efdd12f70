"""action=patrol: mark a recent change (or a revision) as patrolled."""

from __future__ import annotations

from wiki import site, titles
from wiki.api import access, register
from wiki.api.errors import ApiError
from wiki.api.params import param
from wiki.extensions import db
from wiki.models import RecentChange
from wiki.pages import patrol as patrols

PATROL = [
    param("rcid", "integer", help="Recent-changes id to patrol."),
    param("revid", "integer", help="Revision id to patrol."),
    param("tags", help="Change tags to apply to the patrol log entry."),
    param("token", required=True, help="A patrol token from meta=tokens.", extra={"tokentype": "patrol"}),
]


@register("patrol", "Patrol a page or revision.", params=PATROL, post=True, token="token")
def patrol(api) -> dict:
    rcid, revid = api.params.int("rcid"), api.params.int("revid")
    if (rcid is None) == (revid is None):
        raise ApiError("invalidparammix", 'Exactly one of the parameters "rcid" and "revid" must be set.')
    access.require(api.user, "patrol")
    if rcid is not None:
        change = db.session.get(RecentChange, rcid)
        if change is None:
            raise ApiError("nosuchrcid", f"There is no recent change with ID {rcid}.")
    else:
        change = patrols.change_of_revision(revid or 0)
        if change is None:
            raise ApiError("nosuchrevid", f"There is no revision with ID {revid}.")
    try:
        patrols.mark(change, access.actor(api.user), may_patrol_own="autopatrol" in access.rights(api.user))
    except patrols.PatrolError as exc:
        raise ApiError(exc.code, str(exc)) from None
    ns_name = site.namespaces().name(change.namespace)
    title = titles.Title(change.namespace, change.title.replace("_", " "), ns_name=ns_name)
    return {"patrol": {"rcid": change.id, "ns": change.namespace, "title": title.prefixed_text}}
