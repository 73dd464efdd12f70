"""Special:NewPages (creations, with patrol marks) and Special:Tags (change tags, defined or used)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from wiki import pages, site, titles, tokens
from wiki.pages import newpages
from wiki.pages import tags as change_tags
from wiki.web import common, permissions, special

LIMITS = (20, 50, 100, 250, 500)


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    return default if raw is None else raw not in ("0", "", "false")


@special.register("NewPages", "New pages")
def new_pages(_sub: str):
    raw_ns = request.args.get("namespace", "")
    namespace = int(raw_ns) if raw_ns.lstrip("-").isdigit() and len(raw_ns) < 6 else None
    user = (request.args.get("username") or "").replace("_", " ").strip()[:255] or None
    keep = newpages.NewPagesFilter(
        namespace=namespace,
        user=user,
        hide_patrolled=_flag("hidepatrolled", False),
        hide_bots=_flag("hidebots", True),
        hide_redirects=_flag("hideredirs", True),
    )
    limit = common.int_arg("limit", 50, 1, 500)
    offset = common.int_arg("offset", 0, 0, common.MAX_ID) or None
    rows = newpages.new_pages(keep, before_id=offset, limit=limit)
    more = rows[limit][0].id if len(rows) > limit else None
    names = site.namespaces()
    entries = [
        (
            rc,
            page,
            titles.Title(page.namespace, page.title.replace("_", " "), ns_name=names.name(page.namespace)),
        )
        for rc, page in rows[:limit]
    ]
    may_patrol = permissions.denied("patrol") is None
    return render_template(
        "newpages.html",
        title=None,
        entries=entries,
        keep=keep,
        limit=limit,
        limits=LIMITS,
        more=more,
        may_patrol=may_patrol,
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
                    actor=pages.Actor.of(current_user, common.client_ip()),
                    reason=request.form.get("reason", "").strip(),
                )
            except change_tags.TagError as exc:
                error = str(exc)
    body = render_template(
        "tags.html", title=None, tags=change_tags.all_tags(), may_manage=may_manage, error=error
    )
    return body, 400 if error else 200
