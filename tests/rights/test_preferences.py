"""Preferences: Special:Preferences saves them, the skin and views apply them, action=options and
meta=userinfo&uiprop=options read and write them; one user's are never another's."""

from __future__ import annotations

import re

from tests.helpers import form_fields
from tests.rights.conftest import api, browser


def _save(wc, **fields):
    page = wc.client.get("/wiki/Special:Preferences").get_data(as_text=True)
    data = {
        **form_fields(page),
        "wpSavePrefs": "1",
        "wpTimeCorrection": "UTC",
        "wptheme": "auto",
        "wprows": "25",
        "wprclimit": "50",
        "wprcdays": "7",
        "wpwllimit": "250",
        "wpwatchlistdays": "7",
        "wpwatchdefault": "1",
        "wpwatchcreations": "1",
        **fields,
    }
    return wc.client.post("/w/index.php?title=Special:Preferences", data=data)


def _options(client) -> dict:
    return client.get(action="query", meta="userinfo", uiprop="options")["query"]["userinfo"]["options"]


def test_the_preferences_page_saves_and_the_skin_applies(app):
    wc = browser(app, "Prefer")
    assert 'data-theme="auto"' in wc.client.get("/wiki/Main_Page").get_data(as_text=True)
    saved = _save(
        wc,
        wptheme="dark",
        wpminordefault="1",
        wprows="40",
        wpTimeCorrection="Asia/Tokyo",
        wpshowhiddencats="1",
    )
    assert saved.status_code == 303
    assert "have been saved" in wc.client.get(saved.headers["Location"]).get_data(as_text=True)
    page = wc.client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'data-theme="dark"' in page and '<meta name="color-scheme" content="dark">' in page
    options = _options(api(app, "Prefer"))
    assert options["theme"] == "dark" and options["minordefault"] == 1 and options["rows"] == 40
    assert options["timecorrection"].startswith("ZoneInfo|540|Asia/Tokyo") and options["showhiddencats"] == 1
    wc.edit("Prefer page", "one")
    form = wc.client.get("/w/index.php?title=Prefer_page&action=edit").get_data(as_text=True)
    assert 'rows="40"' in form and re.search(r'id="wpMinoredit"[^>]*checked', form)


def test_dates_are_shown_in_the_users_time_zone(app):
    wc = browser(app, "Tokyoite")
    wc.edit("Zoned page", "text")
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import Revision

        rev = db.session.execute(db.select(Revision).order_by(Revision.id.desc())).scalars().first()
        utc = rev.timestamp
    history = wc.client.get("/w/index.php?title=Zoned_page&action=history").get_data(as_text=True)
    assert f"{utc:%H:%M}, {utc.day} {utc:%B %Y}" in history
    assert _save(wc, wpTimeCorrection="Asia/Tokyo").status_code == 303
    from datetime import timedelta

    tokyo = utc + timedelta(hours=9)
    history = wc.client.get("/w/index.php?title=Zoned_page&action=history").get_data(as_text=True)
    assert f"{tokyo:%H:%M}, {tokyo.day} {tokyo:%B %Y}" in history


def test_bad_values_are_refused(app):
    wc = browser(app, "Careless")
    for fields in (
        {"wprows": "abc"},
        {"wprclimit": "100000"},
        {"wptheme": "purple"},
        {"wpTimeCorrection": "Mars/Olympus"},
    ):
        resp = _save(wc, **fields)
        assert resp.status_code == 400, fields
    assert _options(api(app, "Careless"))["theme"] == "auto"
    assert browser(app).client.get("/wiki/Special:Preferences").status_code == 303  # anonymous: log in


def test_action_options_changes_and_resets(app):
    client = api(app, "Optioner")
    token = client.token()
    out = client.post(action="options", change="minordefault=1|rclimit=100|nosuch=3", token=token)
    assert out["options"] == "success" and "nosuch" in str(out["warnings"])
    out = client.post(action="options", optionname="rclimit", optionvalue="abc", token=token)
    assert "not a number" in str(out["warnings"])
    client.post(action="options", optionname="userjs-tool", optionvalue="on", token=token)
    options = _options(client)
    assert options["minordefault"] == 1 and options["rclimit"] == 100 and options["userjs-tool"] == "on"
    assert options["watchcreations"] == 1 and options["theme"] == "auto"  # defaults merged
    assert client.post(action="options", token=token)["error"]["code"] == "nochanges"
    # Bounds: a value is at most 2000 characters (preferences.MAX_VALUE).
    long = client.post(action="options", optionname="userjs-long", optionvalue="x" * 2001, token=token)
    assert "longer than 2000" in str(long["warnings"]) and "userjs-long" not in _options(client)
    client.post(action="options", reset=1, resetkinds="userjs", token=token)
    assert "userjs-tool" not in _options(client) and _options(client)["rclimit"] == 100
    client.post(action="options", reset=1, token=token)
    assert _options(client)["rclimit"] == 50
    assert client.post(action="options", change="rclimit=5", token="bad")["error"]["code"] == "badtoken"
    anon = api(app)
    refused = anon.post(action="options", change="rclimit=5", token=anon.token())
    assert refused["error"]["code"] == "notloggedin"


def test_one_users_preferences_are_never_anothers(app):
    alice, bob = api(app, "Private A"), api(app, "Private B")
    alice.post(action="options", change="theme=dark|rclimit=77|userjs-secret=s3cret", token=alice.token())
    bob_options = _options(bob)
    assert (
        bob_options["theme"] == "auto" and bob_options["rclimit"] == 50 and "userjs-secret" not in bob_options
    )
    # No parameter names another user: extra ones are ignored, and nothing of Alice's leaks.
    shown = bob.get(action="query", meta="userinfo", uiprop="options", uiuser="Private A")
    assert "s3cret" not in str(shown)
    listed = bob.get(action="query", list="users", ususers="Private A", usprop="groups|editcount|gender")
    assert "s3cret" not in str(listed) and "dark" not in str(listed)
    page = (
        browser(app, "Private B")
        .client.get("/wiki/Special:Preferences?user=Private_A")
        .get_data(as_text=True)
    )
    assert 'value="dark" checked' not in page and 'value="77"' not in page and 'value="50"' in page


def test_date_format_and_edit_font_are_options_with_mediawikis_choices(app):
    client = api(app, "Fonts")
    token = client.token()
    options = _options(client)
    assert options["date"] == "default" and options["editfont"] == "monospace"
    done = client.post(action="options", change="date=dmy|editfont=serif", token=token)
    assert done["options"] == "success" and "warnings" not in done
    options = _options(client)
    assert options["date"] == "dmy" and options["editfont"] == "serif"
    bad = client.post(action="options", change="date=someday|editfont=comic", token=token)
    assert "not a valid option" in str(bad["warnings"])
    assert _options(client)["date"] == "dmy"


def test_appearance_preferences_reach_the_html_element_and_action_options(app):
    anonymous = browser(app).client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'data-textsize="standard" data-width="limited"' in anonymous
    assert "data-appearance=" not in anonymous  # appearance-init.js applies this browser's choices
    wc = browser(app, "Reader")
    assert _save(wc, wptextsize="large", wppagewidth="full", wptheme="dark").status_code == 303
    page = wc.client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'data-theme="dark" data-textsize="large" data-width="full"' in page
    assert (
        'data-appearance="user"' in page
        and 'id="wptextsize-large" name="wptextsize" value="large" checked'
        in (wc.client.get("/wiki/Special:Preferences").get_data(as_text=True))
    )
    assert _save(wc, wptextsize="huge").status_code == 400
    client = api(app, "Reader")
    token = client.token()
    done = client.post(action="options", change="textsize=small|pagewidth=limited", token=token)
    assert done == {"options": "success"}
    options = _options(client)
    assert options["textsize"] == "small" and options["pagewidth"] == "limited" and options["theme"] == "dark"
    bad = client.post(action="options", optionname="pagewidth", optionvalue="wide", token=token)
    assert 'Validation error for "pagewidth": This is not a valid option.' in str(bad["warnings"])
    assert _options(client)["pagewidth"] == "limited"
    assert client.post(action="options", change="textsize=large", token="bad")["error"]["code"] == "badtoken"
    anon = api(app)
    assert (
        anon.post(action="options", change="textsize=large", token=anon.token())["error"]["code"]
        == "notloggedin"
    )
    page = browser(app, "Reader").client.get("/wiki/Main_Page").get_data(as_text=True)
    assert 'data-textsize="small" data-width="limited"' in page


def _changes(wc, page: str) -> str:
    html = wc.client.get(f"/wiki/Special:{page}").get_data(as_text=True)
    return html[html.index('<ul class="special">') :] if '<ul class="special">' in html else ""


def test_the_changes_lists_start_from_the_readers_preferences(app):
    """RecentChanges and the watchlist take their period, size and filters from the preferences
    (rcdays, rclimit, hideminor; watchlistdays, wllimit, watchlisthide*, extendwatchlist) when the
    address does not say; the address still wins."""
    bot, reader = browser(app, "Prefbot", "bot"), browser(app, "Listreader")
    for editor, text, summary in (
        (reader, "one", "first words"),
        (bot, "two", "bot tidy"),
        (reader, "three", "small fix"),
    ):
        fields = editor.edit_form("Watched by prefs")  # the box stays ticked: the page stays watched
        fields.update(wpTextbox1=text, wpSummary=summary, wpWatchthis="1", wpMinoredit="1")
        assert editor.submit("Watched by prefs", fields).status_code == 303
    rc = reader.client.get("/wiki/Special:RecentChanges").get_data(as_text=True)
    assert "<strong>50</strong> | " in rc and "<strong>7</strong> | " in rc and "small fix" in rc
    watch = _changes(reader, "Watchlist")
    # MediaWiki 1.39's defaults: every change (extendwatchlist), bot edits shown (watchlisthidebots)
    assert "small fix" in watch and "bot tidy" in watch and "first words" in watch
    assert "first words" not in _changes(reader, "Watchlist?days=7")  # the form unticked: latest only
    assert _save(reader, wprclimit="75", wprcdays="3", wphideminor="1", wpwllimit="60", wpwatchlistdays="2",
                 wpwatchlisthidebots="1").status_code == 303  # fmt: skip
    latest = reader.client.get("/wiki/Special:Watchlist").get_data(as_text=True)
    assert "small fix" in latest and "first words" not in latest  # extendwatchlist now off
    assert 'name="extended" value="1" checked' not in latest
    assert _save(reader, wprclimit="75", wprcdays="3", wphideminor="1", wpwllimit="60", wpwatchlistdays="2",
                 wpwatchlisthidebots="1", wpextendwatchlist="1").status_code == 303  # fmt: skip
    rc = reader.client.get("/wiki/Special:RecentChanges").get_data(as_text=True)
    assert "<strong>75</strong> | " in rc and "<strong>3</strong> | " in rc  # offered beside 50 | 100 ...
    assert "small fix" not in rc[rc.index("mw-changeslist") :]
    assert "small fix" in reader.client.get("/wiki/Special:RecentChanges?hideminor=0").get_data(as_text=True)
    watch = reader.client.get("/wiki/Special:Watchlist").get_data(as_text=True)
    assert '<option value="60" selected>' in watch and '<option value="2" selected>' in watch
    assert "bot tidy" not in watch and "small fix" in watch  # every change (extended), bots hidden
    assert 'name="extended" value="1" checked' in watch
    assert "bot tidy" in _changes(reader, "Watchlist?days=7&extended=1")  # the form's choices win
