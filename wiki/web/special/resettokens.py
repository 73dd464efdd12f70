"""Special:ResetTokens: the owner sees their watchlist feed token and resets it (a POST with the
session's token), as MediaWiki's; and the feed URL with that token, which Special:Watchlist
names in its <head> for the logged-in owner."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, redirect, render_template, request
from flask_login import current_user

from wiki import site, titles
from wiki.pages import watchlist
from wiki.web import auth, common, permissions, tokens
from wiki.web.special import register
from wiki.web.special.params import private

WATCHLIST_TOKEN = "watchlisttoken"  # the one token MediaWiki 1.39 lists here without extensions


@register("ResetTokens", "Reset tokens", listed=False)
def reset_tokens(_sub: str):
    back = _returnto()
    if not permissions.is_logged_in():
        return redirect(common.index_url("Special:UserLogin", returnto="Special:ResetTokens"), code=302)
    user_id = int(current_user.id)
    error, done = None, False
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = auth.SESSION_EXPIRED
        elif WATCHLIST_TOKEN in request.form.getlist("wptokens[]"):
            watchlist.reset_feed_token(user_id)
            done = True
    body = render_template(
        "resettokens.html",
        title=None,
        error=error,
        done=done,
        returnto=back,
        token=None if done else watchlist.feed_token(user_id),
    )
    return private(body, 400 if error else 200)


def _returnto() -> str:
    """Where "Return to" leads: the page asked for when it is a valid title, else the preferences."""
    raw = request.values.get("returnto", "")
    return raw if raw and titles.try_parse(raw, site.namespaces()) is not None else "Special:Preferences"


def watchlist_feed_url() -> str | None:
    """The logged-in owner's Atom feed of their watchlist, with their token (None when logged out)."""
    if not permissions.is_logged_in():
        return None
    query = {
        "action": "feedwatchlist",
        "allrev": "1",
        "wlowner": current_user.name,
        "wltoken": watchlist.feed_token(int(current_user.id)),
        "feedformat": "atom",
    }
    return f"{current_app.config['WIKI_SCRIPT_PATH']}/api.php?{urlencode(query)}"
