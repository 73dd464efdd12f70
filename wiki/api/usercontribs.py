"""list=usercontribs (also a generator): the edits of one or more users, newest first."""

from __future__ import annotations

from html import escape

from wiki import pages
from wiki.api.errors import ApiError
from wiki.api.lists import DIR_OLD, Listing, change_window
from wiki.api.output import iso
from wiki.api.params import limit, multi, namespaces, param
from wiki.api.registry import submodule
from wiki.pages import changes

UCPROPS = ("ids", "title", "timestamp", "comment", "parsedcomment", "size", "sizediff", "flags", "tags")
USERCONTRIBS = [
    multi("user", "user", help="The users to list the contributions of."),
    param("userprefix", help="List the contributions of every user whose name begins with this."),
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
    param("toponly", "boolean", help="Only edits that are the latest revision of their page."),
]


@submodule("usercontribs", "list", "uc", "Get all edits by a user.", USERCONTRIBS, generator=True)
def usercontribs(api, p: str) -> Listing:
    params = api.params
    users = tuple(u.replace("_", " ").strip() for u in params.list(p + "user") if u.strip())
    prefix = params.get(p + "userprefix")
    if not users and not prefix:
        raise ApiError(
            "missingparam", f'One of the parameters "{p}user", "{p}userids" and "{p}userprefix" is required.'
        )
    props = set(params.list(p + "prop"))
    keep = changes.ChangeFilter(
        namespaces=tuple(params.namespaces(p + "namespace")),
        users=users,
        user_prefix=None if users else prefix.replace("_", " "),
        top_only=params.flag(p + "toponly"),
    )
    rows, more = change_window(api, p, keep)
    parents = pages.sizes([rev.parent_id for rev, _page in rows]) if "sizediff" in props else {}
    listing = Listing(cont=more)
    for rev, page in rows:
        item: dict = {"userid": rev.user_id or 0, "user": rev.user_text}
        if "ids" in props:
            item.update(pageid=page.id, revid=rev.id, parentid=rev.parent_id or 0)
        if "title" in props:
            item.update(ns=page.namespace, title=pages.title_of(page).prefixed_text)
        if "timestamp" in props:
            item["timestamp"] = iso(rev.timestamp)
        if "flags" in props:
            item.update(new=rev.parent_id is None, minor=bool(rev.minor), top=rev.id == page.latest)
        if "comment" in props:
            item["comment"] = rev.comment
        if "parsedcomment" in props:
            item["parsedcomment"] = escape(rev.comment)
        if "size" in props:
            item["size"] = rev.size
        if "sizediff" in props:
            item["sizediff"] = rev.size - parents.get(rev.parent_id, 0)
        if "tags" in props:
            item["tags"] = []
        listing.items.append(item)
        listing.pages.append(page)
    return listing
