"""The watchlist feed token: Special:Preferences links the owner to Special:ResetTokens, which shows
the token and resets it (a POST with the session's token); Special:Watchlist names the owner's Atom
feed, with the token, in its <head> (as MediaWiki 1.39)."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.helpers import form_fields
from tests.security.conftest import anonymous, logged_in, make_account


def _token_shown(html: str) -> str:
    match = re.search(r'<code class="mw-resettokens-value">([0-9a-f]+)</code>', html)
    assert match, "no token shown"
    return match.group(1)


def _feed(client, owner: str, token: str) -> str:
    query = {"action": "feedwatchlist", "wlowner": owner, "wltoken": token, "feedformat": "atom"}
    resp = client.get("/w/api.php", query_string=query)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_owner_sees_and_resets_the_watchlist_token(app):
    make_account(app, "Tokenowner")
    owner = logged_in(app, "Tokenowner")
    prefs = owner.client.get("/wiki/Special:Preferences").get_data(as_text=True)
    section = prefs[prefs.index('id="mw-prefsection-watchlist"') :]
    section = section[: section.index("</fieldset>")]
    assert "Watchlist token:" in section
    link = unescape(re.search(r'href="([^"]*ResetTokens[^"]*)">Manage tokens</a>', section).group(1))
    assert parse_qs(urlsplit(link).query)["returnto"] == ["Special:Preferences"]

    page = owner.client.get(link)
    assert page.status_code == 200 and "private" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    first = _token_shown(html)
    assert _token_shown(owner.client.get("/wiki/Special:ResetTokens").get_data(as_text=True)) == first
    stranger = anonymous(app)
    assert "Error (bad_wltoken)" not in _feed(stranger.client, "Tokenowner", first)

    fields = form_fields(html)
    forged = owner.client.post(
        "/w/index.php?title=Special:ResetTokens",
        data={**fields, "wpEditToken": "x+\\", "wptokens[]": "watchlisttoken"},
    )
    assert forged.status_code == 400 and _token_shown(forged.get_data(as_text=True)) == first
    unticked = owner.client.post("/w/index.php?title=Special:ResetTokens", data=fields)
    assert unticked.status_code == 200 and _token_shown(unticked.get_data(as_text=True)) == first

    done = owner.client.post(
        "/w/index.php?title=Special:ResetTokens", data={**fields, "wptokens[]": "watchlisttoken"}
    )
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and "Tokens reset." in body
    assert re.search(r'id="mw-returnto">Return to <a href="[^"]*Special:Preferences"', body)
    second = _token_shown(owner.client.get("/wiki/Special:ResetTokens").get_data(as_text=True))
    assert second != first
    assert "Error (bad_wltoken)" in _feed(stranger.client, "Tokenowner", first)
    assert "Error (bad_wltoken)" not in _feed(stranger.client, "Tokenowner", second)


def test_reset_tokens_needs_an_account(app):
    resp = anonymous(app).client.get("/wiki/Special:ResetTokens")
    assert resp.status_code == 302 and "Special:UserLogin" in resp.headers["Location"]
    posted = anonymous(app).client.post(
        "/w/index.php?title=Special:ResetTokens", data={"wptokens[]": "watchlisttoken"}
    )
    assert posted.status_code == 302


def test_the_watchlist_names_the_owners_atom_feed_with_the_token(app):
    make_account(app, "Feedreader")
    owner = logged_in(app, "Feedreader")
    html = owner.client.get("/wiki/Special:Watchlist").get_data(as_text=True)
    head = html[: html.index("</head>")]
    atom = (
        r'<link rel="alternate" type="application/atom\+xml" title="&quot;Special:Watchlist&quot; Atom feed"'
    )
    link = re.search(atom + r' href="([^"]*)">', head)
    assert link, head
    query = parse_qs(urlsplit(unescape(link.group(1))).query)
    token = _token_shown(owner.client.get("/wiki/Special:ResetTokens").get_data(as_text=True))
    assert query == {
        "action": ["feedwatchlist"],
        "allrev": ["1"],
        "wlowner": ["Feedreader"],
        "wltoken": [token],
        "feedformat": ["atom"],
    }
    feed = anonymous(app).client.get(unescape(link.group(1)))
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert "Error (" not in feed.get_data(as_text=True)
