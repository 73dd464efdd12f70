"""list=usercontribs (also a generator): the edits of one or more users, newest first."""

from __future__ import annotations

from html import escape

from wiki import pages
from wiki.api.errors import ApiError
from wiki.api.lists import LISTS, Listing, _namespaces, revision_window, within_times
from wiki.api.output import iso
from wiki.extensions import db
from wiki.models import Page, Revision

UCPROPS = {"ids", "title", "timestamp", "comment", "parsedcomment", "size", "sizediff", "flags", "tags"}


def usercontribs(api, p: str) -> Listing:
    params = api.params
    users = [u.replace("_", " ").strip() for u in params.list(p + "user") if u.strip()]
    prefix = params.get(p + "userprefix")
    if not users and not prefix:
        raise ApiError(
            "missingparam", f'One of the parameters "{p}user", "{p}userids" and "{p}userprefix" is required.'
        )
    props = set(
        params.set(p + "prop", UCPROPS, "usercontribs", api.warn)
        or ["ids", "title", "timestamp", "comment", "size", "flags"]
    )
    limit = params.limit(p + "limit", 10, 500, api.warn, "usercontribs")
    newer = params.enum(p + "dir", ("older", "newer"), "older") == "newer"
    namespaces = _namespaces(api, p + "namespace")
    params.get(p + "show")
    params.get(p + "tag")
    query = db.select(Revision, Page).join(Page, Page.id == Revision.page_id)
    if users:
        query = query.where(Revision.user_text.in_(users))
    else:
        query = query.where(Revision.user_text.startswith(prefix.replace("_", " "), autoescape=True))
    if namespaces:
        query = query.where(Page.namespace.in_(namespaces))
    query = within_times(query, params, p, newer)
    if params.flag(p + "toponly"):
        query = query.where(Revision.id == Page.latest)
    rows = revision_window(query, params.get(p + "continue"), newer, limit)
    parents = pages.sizes([rev.parent_id for rev, _page in rows]) if "sizediff" in props else {}
    listing = Listing()
    for rev, page in rows[:limit]:
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
    if len(rows) > limit:
        nxt = rows[limit][0]
        listing.cont = {p + "continue": f"{nxt.timestamp.strftime('%Y%m%d%H%M%S')}|{nxt.id}"}
    return listing


LISTS["usercontribs"] = ("uc", usercontribs)
