"""list=allusers and list=users: accounts with their groups, rights, edit counts and registration
(MediaWiki's ApiQueryAllUsers and ApiQueryUsers); the queries are wiki.access.userlist's."""

from __future__ import annotations

from wiki import titles
from wiki.access import blocks, groups, names, rights, userlist
from wiki.access.users import normalise_name
from wiki.api.errors import ApiError
from wiki.api.lists import Listing
from wiki.api.output import iso
from wiki.api.params import limit, multi, param
from wiki.api.registry import submodule
from wiki.models import User

GROUPS = rights.EXPLICIT_GROUPS
ALL_RIGHTS = tuple(sorted({r for granted in rights.GROUP_RIGHTS.values() for r in granted}))
AUPROPS = ("blockinfo", "groups", "implicitgroups", "rights", "editcount", "registration", "centralids")
ALLUSERS = [
    param("from", "user", help="The user name to start listing from."),
    param("to", "user", help="The user name to stop listing at."),
    param("prefix", help="List the users whose name begins with this."),
    param("dir", ("ascending", "descending"), default="ascending", help="The direction to list in."),
    multi("group", GROUPS, help="Only users in these groups."),
    multi("excludegroup", GROUPS, help="No users in these groups."),
    multi("rights", ALL_RIGHTS, help="Only users with these rights (implicit groups' rights list everyone)."),
    multi("prop", AUPROPS, help="Which information to include."),
    limit(help="How many user names to list."),
    param("witheditsonly", "boolean", help="Only users who have made edits."),
    param("activeusers", "boolean", help="Only users active in the last 30 days."),
    param("attachedwiki", help="With prop=centralids: whether the user is attached to this wiki id."),
]
USPROPS = (
    "blockinfo",
    "groups",
    "groupmemberships",
    "implicitgroups",
    "rights",
    "editcount",
    "registration",
    "emailable",
    "gender",
    "centralids",
    "cancreate",
)
USERS = [
    multi("prop", USPROPS, help="Which information to include."),
    param("attachedwiki", help="With prop=centralids: whether the user is attached to this wiki id."),
    multi("users", help="A list of users to get information for."),
    multi("userids", "integer", help="A list of user ids to get information for."),
    param("token", help="Deprecated, ignored: use meta=tokens."),
]


def _key(raw: str) -> str:
    """A user name bound or prefix as stored: first letter upper-case, underscores as spaces."""
    text = raw.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@submodule("allusers", "list", "au", "Enumerate all registered users.", ALLUSERS)
def allusers(api, p: str) -> Listing:
    params = api.params
    wanted_groups = list(params.list(p + "group"))
    right_groups = userlist.for_rights(params.list(p + "rights"))
    if params.list(p + "rights") and right_groups is not None:
        if not right_groups:
            return Listing()
        wanted_groups = [g for g in wanted_groups if g in right_groups] if wanted_groups else right_groups
        if not wanted_groups:
            return Listing()
    if params.list(p + "group") and params.list(p + "excludegroup"):
        raise ApiError(
            "invalidparammix",
            f'The parameters "{p}group" and "{p}excludegroup" can not be used together.',
        )
    size = params.int(p + "limit") or 10
    found = userlist.window(
        userlist.UserFilter(
            start=_key(params.get(p + "from") or ""),
            end=_key(params.get(p + "to") or ""),
            prefix=_key(params.get(p + "prefix") or ""),
            groups=wanted_groups,
            exclude=params.list(p + "excludegroup"),
            with_edits=params.flag(p + "witheditsonly"),
            active=params.flag(p + "activeusers"),
            descending=params.get(p + "dir") == "descending",
        ),
        size,
    )
    props = set(params.list(p + "prop"))
    counts = userlist.edit_counts(u.id for u in found.users) if "editcount" in props else {}
    actions = userlist.recent_actions(u.name for u in found.users) if params.flag(p + "activeusers") else {}
    items = []
    for user in found.users:
        item: dict = {"userid": user.id, "name": user.name}
        _describe(item, user, props, counts)
        if params.flag(p + "activeusers"):
            item["recentactions"] = actions.get(user.name, 0)
        items.append(item)
    listing = Listing(items)
    if found.next_name is not None:
        listing.cont = {p + "from": found.next_name}
    return listing


def _describe(item: dict, user: User, props: set[str], counts: dict[int, int]) -> None:
    """The properties list=allusers and list=users share, in MediaWiki's order."""
    if "editcount" in props:
        item["editcount"] = counts.get(user.id, 0)
    if "registration" in props:
        item["registration"] = iso(user.created)
    if "blockinfo" in props:
        block = blocks.active_for(user.name, None)
        if block is not None:
            item.update(
                blockid=block.id,
                blockedby=_blocker(block.by_user_id),
                blockedbyid=block.by_user_id or 0,
                blockedtimestamp=iso(block.timestamp),
                blockreason=block.reason,
                blockexpiry=iso(block.expiry) if block.expiry else "infinite",
            )
    if "groups" in props:
        item["groups"] = rights.groups_for(user)
    if "groupmemberships" in props:
        item["groupmemberships"] = [
            {"group": m.group, "expiry": groups.stamp(m.expiry)} for m in groups.current(user)
        ]
    if "implicitgroups" in props:
        item["implicitgroups"] = rights.implicit_groups(user)
    if "rights" in props:
        item["rights"] = rights.rights_for(user)


def _blocker(user_id: int | None) -> str:
    from wiki.access.users import get_user

    found = get_user(user_id) if user_id else None
    return found.name if found is not None else ""


@submodule("users", "list", "us", "Get information about a list of users.", USERS)
def users(api, p: str) -> Listing:
    params = api.params
    props = set(params.list(p + "prop"))
    items: list[dict] = []
    wanted: list[str] = []
    for raw in params.list(p + "users"):
        try:
            name = normalise_name(raw)
            names.check_raw(name)
        except (titles.InvalidTitle, ValueError):
            items.append({"name": raw, "invalid": True})
            continue
        if names.looks_like_ip(name):
            items.append({"name": name, "invalid": True})
            continue
        wanted.append(name)
    found = userlist.by_names(wanted) + [
        u for u in userlist.by_ids(params.list(p + "userids")) if u.name not in wanted
    ]
    counts = userlist.edit_counts(u.id for u in found) if "editcount" in props else {}
    for user in found:
        item: dict = {"userid": user.id, "name": user.name}
        _describe(item, user, props, counts)
        if "emailable" in props and user.email and user.email_confirmed:
            item["emailable"] = True
        if "gender" in props:
            item["gender"] = "unknown"
        items.append(item)
    known = {u.name for u in found}
    for name in dict.fromkeys(wanted):
        if name not in known:
            missing: dict = {"name": name, "missing": True}
            if "cancreate" in props:
                missing["cancreate"] = True
            items.append(missing)
    known_ids = {u.id for u in found}
    for user_id in params.list(p + "userids"):
        if user_id not in known_ids:
            items.append({"userid": user_id, "missing": True})
    return Listing(items)
