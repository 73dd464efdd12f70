"""What the skin's templates ask about the request: the talk page, which actions to offer.

The templates stay declarative; every decision that needs Python (who may move a page, whether its
talk page exists) lives here. The tabs ask about a page and its talk page several times: existence
is read for both in one query and kept for the rest of the request (never longer).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, Flask, redirect, request, url_for

from wiki import site, titles
from wiki.web import permissions, special

bp = Blueprint("skin", __name__)


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico on their own; answer from static/ instead of a 404."""
    return redirect(url_for("static", filename="favicon.ico"), code=301)


def talk_pair(title: titles.Title) -> tuple[titles.Title, titles.Title] | None:
    """(subject page, talk page) of a title, or None for special pages, which have no talk page."""
    if title.namespace < 0 or title.interwiki:
        return None
    names = site.namespaces()
    subject_ns, talk_ns = title.namespace & ~1, title.namespace | 1
    subject = titles.Title(subject_ns, title.text, ns_name=names.name(subject_ns))
    talk = titles.Title(talk_ns, title.text, ns_name=names.name(talk_ns))
    return subject, talk


def exists(title: titles.Title) -> bool:
    """Whether `title` exists as a page; it and its talk page are looked up together, once a request."""
    pair = talk_pair(title)
    if pair is None:
        return False
    memo = permissions.memo("page_exists")
    key = (title.namespace, title.dbkey)
    if memo is not None and key in memo:
        return memo[key]
    found = site.existing_titles(str(t) for t in pair)
    answers = {(t.namespace, t.dbkey): str(t) in found for t in pair}
    if memo is not None:
        memo.update(answers)
    return answers.get(key, str(title) in found)


def page_actions(title: titles.Title) -> dict[str, bool]:
    """Which tabs this user may use on `title` (the "More" menu shows only what is allowed)."""
    if title.namespace < 0:
        return {"edit": False, "move": False, "delete": False, "protect": False}
    return {
        "edit": permissions.may_edit(title, exists=exists(title)),
        "move": permissions.denied("move", title) is None,
        "delete": permissions.denied("delete", title) is None,
        "protect": permissions.denied("protect", title) is None,
    }


def special_title() -> titles.Title | None:
    """The Special: page this request shows, if it is one (for its "Special page" tab)."""
    name = request.args.get("title") if request.path.endswith("/index.php") else None
    if name is None and request.view_args and "name" in request.view_args:
        name = request.view_args["name"]
    title = titles.try_parse(name or "", site.namespaces())
    return title if title is not None and title.namespace == titles.SPECIAL else None


def existing_user_pages(names: Iterable[str]) -> set[str]:
    """The user names (of a history or diff) whose User: page exists, in one query, for red/blue links."""
    wanted = {f"User:{name}": name for name in names if name}
    return {wanted[t] for t in site.existing_titles(wanted)}


def has_special(name: str) -> bool:
    """Whether Special:<name> exists, so the skin never links to a page that would 404."""
    return name.lower() in special.SPECIAL_PAGES


def template_globals() -> dict:
    return {
        "talk_pair": talk_pair,
        "page_exists": exists,
        "page_actions": page_actions,
        "has_special": has_special,
        "special_title": special_title,
        "existing_user_pages": existing_user_pages,
    }


def init(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(template_globals)
