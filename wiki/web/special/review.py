"""Special:NewPages (creations, with patrol marks) and Special:Tags (change tags, defined or used)."""

from __future__ import annotations

from flask import render_template, request

from wiki import recent, site, titles, tokens
from wiki.pages import recentlist
from wiki.pages import tags as change_tags
from wiki.web import common, feeds, permissions, special


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    return default if raw is None else raw not in ("0", "", "false")


@special.register("NewPages", "New pages")
def new_pages(_sub: str):
    raw_ns = request.args.get("namespace", "")
    namespace = int(raw_ns) if raw_ns.lstrip("-").isdigit() and len(raw_ns) < 6 else None
    user = (request.args.get("username") or "").replace("_", " ").strip()[:255] or None
    hide_patrolled = _flag("hidepatrolled", False)
    hide_bots, hide_redirects = _flag("hidebots", True), _flag("hideredirs", True)
    keep = recentlist.RCFilter(
        types=("new",),
        namespaces=(namespace,) if namespace is not None else (),
        user=user,
        patrolled=(recent.UNPATROLLED,) if hide_patrolled else (),
        bot=False if hide_bots else None,
        redirect=False if hide_redirects else None,
    )
    limit = common.int_arg("limit", 50, 1, 500)
    if request.args.get("feed"):
        return feeds.new_pages(request.args["feed"], keep, limit)
    try:
        cursor = recentlist.Cursor.parse(request.args["offset"]) if request.args.get("offset") else None
    except recentlist.BadCursor as exc:
        return common.error_page(400, "New pages", str(exc))
    found = recentlist.window(keep, limit=limit, cursor=cursor)
    names = site.namespaces()
    entries = [
        (rc, titles.Title(rc.namespace, rc.title.replace("_", " "), ns_name=names.name(rc.namespace)))
        for rc in found.rows
    ]
    filters = {
        "namespace": namespace,
        "username": user,
        "limit": limit,
        "hidepatrolled": "1" if hide_patrolled else None,
        "hidebots": "1" if hide_bots else "0",
        "hideredirs": "1" if hide_redirects else "0",
    }
    return render_template(
        "newpages.html",
        title=None,
        entries=entries,
        filters=filters,
        limit=limit,
        more=str(found.next) if found.next is not None else None,
        may_patrol=permissions.denied("patrol") is None,
    )


@special.register("Tags", "Tags")
def tags_page(_sub: str):
    error = None
    may_manage = permissions.denied("managechangetags") is None
    if request.method == "POST" and may_manage:
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        else:
            try:
                change_tags.manage(
                    request.form.get("operation", "create"),
                    request.form.get("tag", "").strip(),
                    actor=permissions.actor(),
                    reason=request.form.get("reason", "").strip(),
                )
            except change_tags.TagError as exc:
                error = str(exc)
    body = render_template(
        "tags.html", title=None, tags=change_tags.all_tags(), may_manage=may_manage, error=error
    )
    return body, 400 if error else 200
