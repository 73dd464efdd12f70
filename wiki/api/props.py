"""prop= modules of action=query: info, revisions, pageprops, imageinfo (link tables: linkprops.py)."""

from __future__ import annotations

from html import escape

from flask import current_app

from wiki import pages, site
from wiki.access import protection
from wiki.api import access, watchlists
from wiki.api.errors import ApiError
from wiki.api.output import Node, iso
from wiki.api.pageset import Entry, PageSet
from wiki.api.params import continue_int, limit, multi, param
from wiki.api.registry import submodule
from wiki.models import Revision
from wiki.pages import changes, revdelete, sections, summaries

INPROPS = ("protection", "url", "readable", "displaytitle", "watched", "watchers", "notificationtimestamp")
RVPROPS = (
    "ids",
    "flags",
    "timestamp",
    "user",
    "userid",
    "size",
    "slotsize",
    "sha1",
    "contentmodel",
    "comment",
    "parsedcomment",
    "content",
    "tags",
    "roles",
)
INFO = [multi("prop", INPROPS, help="Which additional properties to get.")]
REVISIONS = [
    multi("prop", RVPROPS, default="ids|timestamp|flags|comment|user", help="Which properties to get."),
    multi("slots", ("main", "*"), help="Which revision slots to return (the new format)."),
    limit(help="How many revisions to return (at most 50 with content)."),
    param("section", "integer", min=0, help="Only the content of this section."),
    param("startid", "integer", min=0, help="The revision id to start listing from."),
    param("endid", "integer", min=0, help="The revision id to stop listing at."),
    param("start", "timestamp", help="The timestamp to start listing from."),
    param("end", "timestamp", help="The timestamp to stop listing at."),
    param("dir", ("newer", "older"), default="older", help="The direction to list in."),
    param("user", "user", help="Only revisions made by this user."),
    param("excludeuser", "user", help="Leave out revisions made by this user."),
    param("continue", help="Where to continue (returned by the previous request)."),
    param("contentformat", ("text/x-wiki",), help="Serialisation format of the content."),
]
LEGACY_CONTENT = (
    'Because "rvslots" was not specified, a legacy format has been used for the output. This format is '
    "deprecated, and in the future the new format will always be used."
)


@submodule("info", "prop", "in", "Get basic page information.", INFO)
def info(api, pageset: PageSet, out: dict) -> dict:
    props = set(api.params.list("inprop"))
    ids = [e.page.id for e in pageset.good]
    counts = changes.revision_counts(ids)
    protections = _protections(pageset) if "protection" in props else {}
    for entry in pageset.entries:
        data = out[entry.key]
        if entry.invalid or entry.missing_id is not None or entry.title.namespace < 0:
            continue
        data.update(
            contentmodel="wikitext", pagelanguage="en", pagelanguagehtmlcode="en", pagelanguagedir="ltr"
        )
        page = entry.page
        if page is not None:
            data.update(
                touched=iso(page.touched),
                lastrevid=page.latest,
                length=page.length,
                redirect=bool(page.is_redirect),
                new=counts.get(page.id) == 1,
            )
        if "protection" in props:
            data["protection"] = protections.get((entry.title.namespace, entry.title.dbkey), [])
            data["restrictiontypes"] = ["edit", "move"] if page is not None else ["create"]
        if "url" in props:
            data["fullurl"] = current_app.config["WIKI_SERVER"] + site.page_url(entry.title)
            data["editurl"] = current_app.config["WIKI_SERVER"] + site.index_url(entry.title, action="edit")
            data["canonicalurl"] = data["fullurl"]
        if "displaytitle" in props:
            data["displaytitle"] = escape(entry.title.prefixed_text)
        if "readable" in props:
            data["readable"] = True
    watchlists.info(api, pageset.entries, out, props)
    return {}


def _protections(pageset: PageSet) -> dict[tuple[int, str], list[dict]]:
    """Protections in force per title, in one query: own (edit, move; create of a missing title),
    then those inherited from cascade-protected pages, with their `source` as MediaWiki lists them."""
    wanted = [
        e.title for e in pageset.entries if not e.invalid and e.missing_id is None and e.title.namespace >= 0
    ]
    out: dict[tuple[int, str], list[dict]] = {}
    for key, found in protection.in_force_many(wanted).items():
        items = []
        for r in found:
            item: dict = {
                "type": r.type,
                "level": r.level,
                "expiry": iso(r.expiry) if r.expiry else "infinity",
            }
            if r.cascade:
                item["cascade"] = True
            if r.source is not None:
                item["source"] = r.source
            items.append(item)
        out[key] = items
    return out


def _revision_fields(
    rev: Revision, props: set[str], slots: bool, section: int | None, tags: dict[int, list[str]]
) -> dict:
    data: dict = {}
    bits = rev.deleted or 0
    seen = access.reader_rights()
    if "ids" in props:
        data.update(revid=rev.id, parentid=rev.parent_id or 0)
    if "flags" in props:
        data["minor"] = bool(rev.minor)
    if props & {"user", "userid"} and bits & revdelete.USER:
        data["userhidden"] = True
    user_ok = revdelete.can_see(bits, revdelete.USER, seen)
    if "user" in props and user_ok:
        data["user"] = rev.user_text
        data["anon"] = rev.user_id is None
    if "userid" in props and user_ok:
        data["userid"] = rev.user_id or 0
    if "timestamp" in props:
        data["timestamp"] = iso(rev.timestamp)
    if "size" in props:
        data["size"] = rev.size
    text_ok = revdelete.can_see(bits, revdelete.TEXT, seen)
    if "sha1" in props:
        if bits & revdelete.TEXT:
            data["sha1hidden"] = True
        if text_ok:
            data["sha1"] = rev.sha1
    if "contentmodel" in props and not slots:
        data["contentmodel"] = "wikitext"
    if props & {"comment", "parsedcomment"} and bits & revdelete.COMMENT:
        data["commenthidden"] = True
    comment_ok = revdelete.can_see(bits, revdelete.COMMENT, seen)
    if "comment" in props and comment_ok:
        data["comment"] = rev.comment
    if "parsedcomment" in props and comment_ok:
        page = pages.get_by_id(rev.page_id) if "/*" in rev.comment else None
        data["parsedcomment"] = summaries.html(rev.comment, pages.title_of(page) if page else None)
    if "tags" in props:
        data["tags"] = tags.get(rev.id, [])
    if "roles" in props:
        data["roles"] = ["main"]
    if bits & revdelete.RESTRICTED:
        data["suppressed"] = True
    if "content" not in props and not (slots and props & {"contentmodel", "slotsize", "slotsha1"}):
        return data
    if not text_ok or bits & revdelete.TEXT:
        if slots:
            data["slots"] = {"main": {"texthidden": True}}
        elif "content" in props:
            data["texthidden"] = True
        if not text_ok:
            return data
    text = rev.text
    if section is not None:
        text = sections.get(text, section)
        if text is None:
            raise ApiError("nosuchsection", f"There is no section {section} in r{rev.id}.")
    if slots:
        slot = Node(
            "content",
            text if "content" in props else None,
            contentmodel="wikitext",
            contentformat="text/x-wiki",
            **({"texthidden": True} if bits & revdelete.TEXT else {}),
        )
        if "content" not in props:
            slot = {"contentmodel": "wikitext", "size": len(text.encode())}
        data["slots"] = {"main": slot}
        return data
    return Node("content", text, contentformat="text/x-wiki", contentmodel="wikitext", **data)


def _tags(revs: list[Revision], props: set[str]) -> dict[int, list[str]]:
    return changes.revision_tags([r.id for r in revs]) if "tags" in props else {}


@submodule("revisions", "prop", "rv", "Get revision information.", REVISIONS)
def revisions(api, pageset: PageSet, out: dict) -> dict:
    params = api.params
    props = set(params.list("rvprop"))
    slots = params.given("rvslots")
    if "content" in props and not slots:
        api.warn("main", LEGACY_CONTENT)
    section = params.int("rvsection")
    enum_names = (
        "rvlimit",
        "rvstartid",
        "rvendid",
        "rvstart",
        "rvend",
        "rvuser",
        "rvexcludeuser",
        "rvcontinue",
    )
    enum_mode = any(params.given(n) for n in (*enum_names, "rvdir"))
    if enum_mode and pageset.revids:
        raise ApiError(
            "revids",
            "The revids= parameter may not be used with the list options (rvlimit, rvstartid, "
            "rvendid, rvdir, rvstart, rvend, rvuser, rvexcludeuser).",
        )
    good = pageset.good
    if enum_mode:
        if len(good) > 1:
            raise ApiError(
                "multpages",
                "titles, pageids or a generator was used to supply multiple pages, but the rvlimit, "
                "rvstartid, rvendid, rvdir=newer, rvuser, rvexcludeuser, rvstart, and rvend parameters "
                "may only be used on a single page.",
            )
        return _enumerate(api, good[0], out, props, slots, section) if good else {}
    for entry in good:
        if entry.page.id in pageset.revids:
            found = changes.revisions_by_id(pageset.revids[entry.page.id])
            revs = [found[i] for i in sorted(found)]
        else:
            revs = [pages.revision(entry.page.latest)]
        revs = [r for r in revs if r is not None]
        tags = _tags(revs, props)
        out[entry.key]["revisions"] = [_revision_fields(r, props, slots, section, tags) for r in revs]
    return {}


def _enumerate(api, entry: Entry, out: dict, props: set[str], slots: bool, section: int | None) -> dict:
    params = api.params
    size = params.int("rvlimit")
    if not params.given("rvlimit"):
        size = 10 if "content" not in props else 1
    elif "content" in props:
        most = 500 if params.high_limits else 50
        if size > most:
            api.warn("revisions", f'"rvlimit" may not be over {most} (set to {most}) with content.')
            size = most
    newer = params.get("rvdir") == "newer"
    cont = params.get("rvcontinue")
    start, end = params.timestamp("rvstart"), params.timestamp("rvend")
    user, exclude = params.get("rvuser"), params.get("rvexcludeuser")
    keep = changes.ChangeFilter(
        page_id=entry.page.id,
        hidden_user_mask=revdelete.user_mask(access.reader_rights()) if user or exclude else None,
        users=(user.replace("_", " "),) if user else (),
        exclude_user=exclude.replace("_", " ") if exclude else None,
        since=start if newer else end,
        until=end if newer else start,
    )
    rows = changes.changes(
        keep,
        newer=newer,
        from_id=continue_int(cont) if cont else params.int("rvstartid"),
        to_id=params.int("rvendid"),
        limit=size,
    )
    revs = [rev for rev, _page in rows]
    tags = _tags(revs[:size], props)
    out[entry.key]["revisions"] = [_revision_fields(r, props, slots, section, tags) for r in revs[:size]]
    if len(revs) > size:
        nxt = revs[size]
        return {"rvcontinue": f"{nxt.timestamp.strftime('%Y%m%d%H%M%S')}|{nxt.id}"}
    return {}


@submodule("pageprops", "prop", "pp", "Get page properties (no page has any here).", [])
def pageprops(api, pageset: PageSet, out: dict) -> dict:
    return {}
