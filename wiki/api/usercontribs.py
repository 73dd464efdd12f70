"""list=usercontribs (also a generator): the edits of one or more users (ucuser, ucuserids,
ucuserprefix or uciprange), newest first, paged by revision id (uccontinue "timestamp|revid")."""

from __future__ import annotations

from wiki import pages
from wiki.api import access
from wiki.api.errors import ApiError
from wiki.api.lists import DIR_OLD, Listing, change_window
from wiki.api.output import Bool, iso
from wiki.api.params import limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.pages import changes, revdelete, summaries

UCPROPS = (
    "ids", "title", "timestamp", "comment", "parsedcomment", "size", "sizediff", "flags", "patrolled", "tags",
)  # fmt: skip
UCSHOW = (
    "minor", "!minor", "patrolled", "!patrolled", "autopatrolled", "!autopatrolled", "top", "!top",
    "new", "!new",
)  # fmt: skip
MAX_USERS = 50  # names in ucuser / ids in ucuserids (MediaWiki's limit for a normal user)
USERCONTRIBS = [
    multi("user", "user", help="The users to list the contributions of."),
    multi("userids", "integer", help="The user ids to list the contributions of."),
    param("userprefix", help="List the contributions of every user whose name begins with this."),
    param("iprange", help="The CIDR range of IP addresses to list the contributions of."),
    limit(help="How many contributions to list."),
    param("start", "timestamp", help="The timestamp to start listing from."),
    param("end", "timestamp", help="The timestamp to stop listing at."),
    param("continue", help="Where to continue (returned by the previous request)."),
    DIR_OLD,
    namespaces(help="Only contributions in these namespaces."),
    multi(
        "prop",
        UCPROPS,
        default="ids|title|timestamp|comment|size|flags",
        help="Which information to include.",
    ),
    multi("show", UCSHOW, help="Only contributions that meet these criteria."),
    param("tag", help="Only revisions tagged with this tag."),
    param("toponly", "boolean", help="Only edits that are the latest revision of their page."),
]


def _show(show: set[str]) -> dict:
    for name in ("minor", "patrolled", "autopatrolled", "top", "new"):
        if name in show and "!" + name in show:
            raise ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.")
    if "autopatrolled" in show and "!patrolled" in show:
        raise ApiError("show", "Incorrect parameter - mutually exclusive values may not be supplied.")
    out: dict = {}
    for name in ("minor", "top", "new"):
        if name in show or "!" + name in show:
            out[name] = name in show
    if "patrolled" in show or "autopatrolled" in show:
        out["patrolled"] = True
    if "!patrolled" in show:
        out["patrolled"] = False
    return out


def _range_names(text: str) -> tuple[str, ...]:
    """The IP addresses in a CIDR range that have edited (bounded by changes.CIDR_LIMIT)."""
    try:
        return changes.names_in_range(text)
    except changes.RangeTooWide as exc:
        raise ApiError(
            "toobigiprange", f"The IP range is too big: CIDR ranges broader than {exc} are not accepted."
        ) from None
    except ValueError:
        raise ApiError("invalidiprange", f'The IP range "{text}" is not valid.') from None


@submodule("usercontribs", "list", "uc", "Get all edits by a user.", USERCONTRIBS, generator=True)
def usercontribs(api, p: str) -> Listing:
    params = api.params
    users = tuple(dict.fromkeys(u.replace("_", " ").strip() for u in params.list(p + "user") if u.strip()))
    ids = tuple(params.list(p + "userids"))
    prefix = params.get(p + "userprefix")
    iprange = params.get(p + "iprange")
    given = [
        n for n, v in (("user", users), ("userids", ids), ("userprefix", prefix), ("iprange", iprange)) if v
    ]
    if not given:
        raise ApiError(
            "missingparam",
            f'One of the parameters "{p}userids", "{p}user", "{p}userprefix" and "{p}iprange" is required.',
        )
    if len(given) > 1:
        names = ", ".join(f'"{p}{n}"' for n in given)
        raise ApiError("invalidparammix", f"The parameters {names} can not be used together.")
    if len(users) > MAX_USERS or len(ids) > MAX_USERS:
        raise ApiError("toomanyvalues", f'Too many values supplied for parameter "{p}user": the limit is 50.')
    props = set(params.list(p + "prop"))
    show = set(params.list(p + "show"))
    patrol_asked = "patrolled" in props or show & {
        "patrolled",
        "!patrolled",
        "autopatrolled",
        "!autopatrolled",
    }
    if patrol_asked and not any(r in access.rights(api.user) for r in ("patrol", "patrolmarks")):
        raise ApiError(
            "permissiondenied", 'You need the "patrol" or "patrolmarks" right to request the patrolled flag.'
        )
    keep = changes.ChangeFilter(
        namespaces=tuple(params.namespaces(p + "namespace")),
        users=_range_names(iprange) if iprange else users,
        user_ids=ids,
        user_prefix=prefix.replace("_", " ") if prefix else None,
        top_only=params.flag(p + "toponly"),
        tag=params.get(p + "tag") or None,
        hidden_user_mask=revdelete.user_mask(access.reader_rights()),
        **_show(show),
    )
    rows, more = change_window(api, p, keep)
    rev_ids = [rev.id for rev, _page in rows]
    parents = pages.sizes([rev.parent_id for rev, _page in rows]) if "sizediff" in props else {}
    tags = changes.revision_tags(rev_ids) if "tags" in props else {}
    states = changes.patrol_states(rev_ids) if "patrolled" in props else {}
    parsed = []
    if "parsedcomment" in props:
        parsed = summaries.html_many((rev.comment, pages.title_of(page)) for rev, page in rows)
    seen = access.reader_rights()
    listing = Listing(cont=more)
    for n, (rev, page) in enumerate(rows):
        bits = rev.deleted or 0
        item: dict = {"userid": rev.user_id or 0, "user": rev.user_text}
        if bits & revdelete.TEXT:
            item["texthidden"] = True
        if bits & revdelete.USER:
            item["userhidden"] = True
        if "ids" in props:
            item.update(pageid=page.id, revid=rev.id, parentid=rev.parent_id or 0)
        if "title" in props:
            item.update(ns=page.namespace, title=pages.title_of(page).prefixed_text)
        if "timestamp" in props:
            item["timestamp"] = iso(rev.timestamp)
        if "flags" in props:
            item.update(
                new=Bool(rev.parent_id is None), minor=Bool(rev.minor), top=Bool(rev.id == page.latest)
            )
        comment_ok = revdelete.can_see(bits, revdelete.COMMENT, seen)
        if props & {"comment", "parsedcomment"} and bits & revdelete.COMMENT:
            item["commenthidden"] = True
        if "comment" in props and comment_ok:
            item["comment"] = rev.comment
        if "parsedcomment" in props and comment_ok:
            item["parsedcomment"] = parsed[n]
        if "size" in props:
            item["size"] = rev.size
        if "sizediff" in props:
            item["sizediff"] = rev.size - parents.get(rev.parent_id, 0)
        if "patrolled" in props:
            state = states.get(rev.id, 2)
            item.update(patrolled=Bool(state != 0), autopatrolled=Bool(state == 2))
        if "tags" in props:
            item["tags"] = tags.get(rev.id, [])
        if bits & revdelete.RESTRICTED:
            item["suppressed"] = True
        listing.items.append(item)
        listing.pages.append(page)
    return listing
