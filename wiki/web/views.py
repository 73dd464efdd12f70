"""Page URLs: /wiki/<title> and /w/index.php?title=...&action=... (view, history, raw, oldid, diff)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request

from wiki import pages, titles
from wiki.pages import revdelete
from wiki.web import actions, common, dates, feeds, special

bp = Blueprint("views", __name__)


@bp.route("/")
def root():
    return redirect(common.page_url("Main Page"))


@bp.route("/wiki/")
def wiki_root():
    return redirect(common.page_url("Main Page"))


@bp.route("/wiki/<path:name>")
def article(name: str):
    title = common.request_title(name)
    if title.namespace == titles.SPECIAL:
        return special.dispatch(title)
    return actions.dispatch(title, _action(request.args))


@bp.route("/w/index.php", methods=["GET", "POST"])
def index():
    args = request.values
    name = args.get("title")
    if not name:
        if args.get("search") is not None:
            return special.dispatch(common.request_title("Special:Search"))
        name = "Main Page"
    title = common.request_title(name)
    if title.namespace == titles.SPECIAL:
        return special.dispatch(title)
    return actions.dispatch(title, _action(args))


def _action(args) -> str:
    """The action= asked for; a view with diff= is a diff, as MediaWiki reads /wiki/X?diff=N too."""
    action = args.get("action") or "view"
    return "diff" if action == "view" and "diff" in args else action


def raw(title: titles.Title) -> Response:
    page = pages.get(title)
    rev = actions.requested_revision(page) if page is not None else None
    if rev is None or not revdelete.public(rev.deleted, revdelete.TEXT):
        # Hidden text is refused to everyone: raw answers are cached as public (MediaWiki's FOR_PUBLIC).
        return Response("", status=404, mimetype="text/x-wiki")
    return Response(rev.text, mimetype="text/x-wiki", content_type="text/x-wiki; charset=UTF-8")


def history(title: titles.Title):
    page = pages.get(title)
    if page is None:
        return common.error_page(404, f"{title}: history", "This page does not exist, so it has no history.")
    if request.args.get("feed"):
        return feeds.history(request.args["feed"], page, title)
    limit = common.int_arg("limit", 50, 1, 500)
    offset = common.int_arg("offset", 0, 0, 10**9)
    revs = pages.history(page, limit, offset)
    parents = pages.sizes([r.parent_id for r in revs])
    total = pages.revision_count(page)
    return render_template(
        "history.html",
        title=title,
        page=page,
        revisions=revs,
        days=dates.by_day(revs, lambda rev: rev.timestamp),
        parent_sizes=parents,
        total=total,
        limit=limit,
        offset=offset,
    )


actions.register("raw", raw)
actions.register("history", history)
