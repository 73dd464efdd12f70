"""index.php?action=watch and action=unwatch: a confirmation form on GET, the change on POST (with the
edit token). The star on every page posts here without JavaScript; static/watch.js uses the API."""

from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user

from wiki import titles, tokens
from wiki.access import expiry as expiries
from wiki.access import watchprefs
from wiki.pages import watchlist
from wiki.web import actions, common, dates, permissions, watchstar


def login_redirect(title: titles.Title | str, **query: str):
    """MediaWiki sends anonymous visitors of watchlist pages to the login form, and back after it."""
    back = str(title)
    extra = "&".join(f"{k}={v}" for k, v in query.items())
    return redirect(
        common.index_url(
            "Special:UserLogin", returnto=back, returntoquery=extra, warning="watchlistanontext"
        ),
        code=302,
    )


def _handle(title: titles.Title, action: str):
    if title.namespace < 0 or title.interwiki:
        return common.error_page(400, "Cannot watch", f'"{title}" is a special page: it cannot be watched.')
    if not permissions.is_logged_in():
        return login_redirect(title, action=action)
    if request.method != "POST":
        return _form(title, action)
    if not tokens.check(request.form.get("wpEditToken")):
        return _form(title, action, error="session", status=400)
    user_id = int(current_user.id)
    if action == "unwatch":
        watchlist.unwatch(user_id, [(title.namespace, title.dbkey)])
        message = f'The page "{title}" and its talk page have been removed from your watchlist.'
        return _done(title, "Removed from watchlist", message)
    try:
        until = expiries.parse(request.form.get("wpexpiry") or "infinite")
    except expiries.BadExpiry as exc:
        return _form(title, action, error=str(exc), status=400)
    watchlist.watch(user_id, [(title.namespace, title.dbkey)], until)
    message = f'The page "{title}" and its talk page have been added to your watchlist'
    message += "." if until is None else f" temporarily, until {dates.user_datetime(until)}."
    return _done(title, "Added to watchlist", message)


def _form(title: titles.Title, action: str, *, error: str | None = None, status: int = 200):
    body = render_template(
        "watch.html",
        title=title,
        action=action,
        error=error,
        choices=watchstar.EXPIRY_CHOICES,
        state=watchstar.state(title),
    )
    return body, status


def _done(title: titles.Title, heading: str, message: str):
    return render_template("watch.html", title=title, action="done", heading=heading, message=message)


def watch(title: titles.Title):
    return _handle(title, "watch")


def unwatch(title: titles.Title):
    return _handle(title, "unwatch")


actions.register("watch", watch)
actions.register("unwatch", unwatch)


def checkbox(title: titles.Title, *, exists: bool, action: str = "edit") -> bool | None:
    """The "Watch this page" box of the edit and move forms: as sent with the form, else ticked when
    the page is watched or the user's preference says so; None for anonymous users (no box)."""
    if not permissions.is_logged_in() or title.namespace < 0:
        return None
    if request.method == "POST" and "wpEditToken" in request.form:
        return bool(request.form.get("wpWatchthis"))
    if watchstar.state(title) is not None:
        return True
    return watchprefs.watch_by_default(current_user, action if exists else "create")


def apply_checkbox(title: titles.Title) -> None:
    """After a save or move from a form: watch or unwatch as the box says (nothing when anonymous)."""
    if not permissions.is_logged_in() or title.namespace < 0:
        return
    user_id, key = int(current_user.id), (title.namespace, title.dbkey)
    watched = watchlist.is_watched(user_id, *key) is not None
    if request.form.get("wpWatchthis") and not watched:
        watchlist.watch(user_id, [key])
    elif not request.form.get("wpWatchthis") and watched:
        watchlist.unwatch(user_id, [key])
