"""Special:Preferences: the user's preferences (wiki.access.preferences) in sections, the password,
e-mail and sessions forms; and the template helpers that apply preferences to every page (colour
theme, edit box rows; dates in the reader's time zone are wiki.web.dates)."""

from __future__ import annotations

from datetime import UTC

from flask import redirect, render_template, request, session
from flask_login import current_user

from wiki.access import preferences, sessions
from wiki.extensions import db
from wiki.models import utcnow
from wiki.web import auth, common, dates, permissions, special, tokens

# The form's fields: preference -> (section, label); the order is the page's.
FIELDS: dict[str, tuple[str, str]] = {
    "timecorrection": ("rendering", "Time zone"),
    "date": ("rendering", "Date format"),
    "theme": ("rendering", "Colour theme"),
    "textsize": ("rendering", "Text size"),
    "pagewidth": ("rendering", "Width"),
    "showhiddencats": ("rendering", "Show hidden categories"),
    "minordefault": ("editing", "Mark all edits minor by default"),
    "rows": ("editing", "Edit box height (lines)"),
    "rclimit": ("rc", "Number of edits to show in recent changes"),
    "rcdays": ("rc", "Days to show in recent changes"),
    "hideminor": ("rc", "Hide minor edits from recent changes"),
    "hidepatrolled": ("rc", "Hide patrolled edits from recent changes"),
    "wllimit": ("watchlist", "Maximum number of changes to show in the watchlist"),
    "watchlistdays": ("watchlist", "Days to show in the watchlist"),
    "watchdefault": ("watchlist", "Add pages and files I edit to my watchlist"),
    "watchcreations": ("watchlist", "Add pages I create and files I upload to my watchlist"),
    "watchlisthideminor": ("watchlist", "Hide minor edits from the watchlist"),
    "watchlisthidebots": ("watchlist", "Hide bot edits from the watchlist"),
    "watchlisthideown": ("watchlist", "Hide my edits from the watchlist"),
    "watchlisthideanons": ("watchlist", "Hide edits by anonymous users from the watchlist"),
    "watchlisthideliu": ("watchlist", "Hide edits by logged in users from the watchlist"),
    "watchlisthidepatrolled": ("watchlist", "Hide patrolled edits from the watchlist"),
    "extendwatchlist": ("watchlist", "Expand watchlist to show all changes, not just the most recent"),
}
SECTIONS = (
    ("personal", "User profile"),
    ("rendering", "Appearance"),
    ("editing", "Editing"),
    ("rc", "Recent changes"),
    ("watchlist", "Watchlist"),
)
THEMES = (("auto", "Automatic (as the device)"), ("light", "Light"), ("dark", "Dark"))
# The Appearance choices (the skin's menu offers the same, static/appearance.js): preference -> values.
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "theme": THEMES,
    "textsize": (("small", "Small"), ("standard", "Standard"), ("large", "Large")),
    "pagewidth": (("limited", "Limited"), ("full", "Full")),
}


@special.register("Preferences", "Preferences")
def preferences_page(_sub: str):
    if not permissions.is_logged_in():
        return redirect(common.index_url("Special:UserLogin", returnto="Special:Preferences"), code=303)
    user = current_user._get_current_object()
    error = message = None
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = auth.SESSION_EXPIRED
        elif request.form.get("wpEndSessions"):
            sessions.end_all(user.id)
            auth.end_session()
            return redirect(common.index_url("Special:UserLogin", returnto="Special:Preferences"), code=303)
        elif request.form.get("wpEmailPrefs"):
            user.email_on_talk = bool(request.form.get("wpEmailOnTalk"))
            db.session.commit()
            message = "Your e-mail preferences have been saved."
        elif request.form.get("wpSavePrefs"):
            error = _save(user)
            if error is None:
                return redirect(common.index_url("Special:Preferences", success="1"), code=303)
        else:
            error, message = auth.password_form(user)
    values = preferences.all_for(user)
    body = render_template(
        "preferences.html",
        error=error,
        message=message or ("Your preferences have been saved." if request.args.get("success") else None),
        suggest=session.get(auth.SUGGEST_CHANGE),
        title=None,
        values=values,
        fields=FIELDS,
        sections=SECTIONS,
        choices=CHOICES,
        zones=preferences.zones(),
        zone=_zone_name(values["timecorrection"]),
        date_styles=_date_styles(),
        limits=preferences.DEFAULTS,
    )
    return body, 400 if error else 200


def _date_styles() -> list[tuple[str, str]]:
    """The date formats offered, each with the current time written in it (as MediaWiki shows them)."""
    now = utcnow()
    return [
        (style, "No preference" if style == "default" else dates.format_time(now, UTC, style))
        for style in dates.STYLES
    ]


def _zone_name(value: str) -> str:
    parts = value.split("|")
    return parts[2] if parts[0] == "ZoneInfo" and len(parts) >= 3 else "UTC"


def _save(user) -> str | None:
    """Check every field of the form, then store them all (or none); the first problem, or None."""
    form = request.form
    changed: dict[str, str] = {}
    try:
        for name in FIELDS:
            pref = preferences.DEFAULTS[name]
            if name == "timecorrection":
                zone = form.get("wpTimeCorrection", "UTC")[:64]
                try:
                    raw = preferences.timezone_value(zone)
                except (ValueError, KeyError, OSError):
                    return f'"{zone}" is not a time zone.'
            elif pref.kind == "bool":
                raw = "1" if form.get(f"wp{name}") else "0"
            else:
                raw = form.get(f"wp{name}", pref.default)[:100]
            changed[name] = preferences.check(name, raw)
    except preferences.BadValue as exc:
        return str(exc).replace("Validation error for", "The value of")
    preferences.set_many(user, changed)
    db.session.commit()
    return None


@special.bp.app_template_global()
def user_theme() -> str:
    """The reader's colour theme for <html data-theme>: auto (as the device), light or dark."""
    return preferences.get(permissions.user(), "theme") if permissions.is_logged_in() else "auto"


@special.bp.app_template_global()
def user_appearance() -> dict[str, str]:
    """The reader's Appearance choices for <html>: theme, textsize, pagewidth (defaults when logged out;
    static/appearance-init.js then applies what an anonymous reader chose in this browser)."""
    user = permissions.user() if permissions.is_logged_in() else None
    return {name: preferences.get(user, name) for name in CHOICES}


@special.bp.app_template_global()
def edit_rows() -> int:
    """Lines of the edit box (preference "rows")."""
    return preferences.get_int(permissions.user(), "rows") if permissions.is_logged_in() else 25
