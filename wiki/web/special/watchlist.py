"""Special:Watchlist (changes to watched pages, by day, with RecentChanges' filters, "mark all pages as
seen") and Special:EditWatchlist (remove titles; /raw: the list as text; /clear). Only for the
logged-in user's own list: anonymous visitors are sent to the login form, as MediaWiki does."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby
from typing import Any

from flask import redirect, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from wiki import site, titles, tokens
from wiki.models import utcnow
from wiki.pages import watchchanges, watchlist
from wiki.web import common, dates, permissions, skin
from wiki.web.special import register
from wiki.web.special.params import bool_arg, int_arg, namespace_arg, private
from wiki.web.watch import login_redirect

DAYS = (1, 3, 7, 14, 30)
LIMITS = (50, 100, 250, 500)
LIST_PAGE = 2000  # titles one EditWatchlist page lists (keyset-paged beyond)
RAW_MAX_BYTES = 1_000_000  # the raw watchlist textarea
HIDE = ("hideminor", "hidebots", "hideanons", "hideliu", "hidemyself")
HIDE_LABELS = {
    "hideminor": "Hide minor edits",
    "hidebots": "Hide bots",
    "hideanons": "Hide anonymous users",
    "hideliu": "Hide registered users",
    "hidemyself": "Hide my edits",
}


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _namespace_choices() -> list[tuple[int, str]]:
    names = site.namespaces().names
    return [(ns, names[ns] or "(Main)") for ns in sorted(names) if ns >= 0]


def _hidden() -> dict[str, bool]:
    """The hide-filters asked for; bots are hidden unless the form says otherwise (MediaWiki's default)."""
    given = "days" in request.args or any(name in request.args for name in HIDE)
    return {name: bool_arg(name) if given else name == "hidebots" for name in HIDE}


@register("Watchlist", "Watchlist", aliases=("Watch list",))
def watchlist_page(_sub: str):
    if not permissions.is_logged_in():
        return login_redirect("Special:Watchlist")
    user_id = int(current_user.id)
    if request.method == "POST":
        return _mark_all_seen(user_id)
    days = int_arg("days", 3, 0, 30)
    limit = int_arg("limit", 50, 1, 500)
    namespace = namespace_arg()
    hide = _hidden()
    query = watchchanges.ChangeQuery(
        namespaces=() if namespace is None else (namespace,),
        minor=False if hide["hideminor"] else None,
        bot=False if hide["hidebots"] else None,
        anon=True if hide["hideliu"] else False if hide["hideanons"] else None,
        exclude_user=current_user.name if hide["hidemyself"] else None,
        since=utcnow() - timedelta(days=days) if days else None,
        latest_only=not bool_arg("extended"),
    )
    if hide["hideliu"] and hide["hideanons"]:
        rows: list[watchchanges.Row] = []
    else:
        rows, _more = watchchanges.window(user_id, query, limit=limit)
    lines = _lines(rows)
    days_list = [(day, list(group)) for day, group in groupby(lines, key=lambda line: line["day"])]
    body = render_template(
        "watchlist.html",
        days_list=days_list,
        count=watchlist.count(user_id),
        days=days,
        limit=limit,
        hide=hide,
        hide_labels=HIDE_LABELS,
        selected_ns=namespace,
        namespaces=_namespace_choices(),
        ns_all=True,
        day_choices=DAYS,
        limit_choices=LIMITS,
        extended=bool_arg("extended"),
        marked=request.args.get("marked") == "1",
    )
    return private(body)


def _lines(rows: list[watchchanges.Row]) -> list[dict[str, Any]]:
    """What each row of the list shows, worked out here rather than in the template (a 500-row
    list is rendered in a fraction of the time)."""
    user_pages = skin.existing_user_pages({row.change.user_text for row in rows})
    contribs = skin.has_special("Contributions")
    out = []
    for row in rows:
        rc = row.change
        title = _title(rc.namespace, rc.title)
        user = rc.user_text
        if rc.type == "log":
            kind = rc.log_type or ""
            log_url = common.index_url("Special:Log/" + kind)
            links = f'(<a href="{escape(log_url)}">{escape(kind.capitalize())} log</a>)'
        else:
            diff = (
                common.index_url(title, diff=rc.rev_id, oldid=rc.old_rev_id)
                if rc.old_rev_id
                else common.index_url(title, oldid=rc.rev_id)
            )
            history = common.index_url(title, action="history")
            links = f'(<a href="{escape(diff)}">diff</a> | <a href="{escape(history)}">hist</a>)'
        delta = None if rc.type == "log" else (rc.new_len or 0) - (rc.old_len or 0)
        out.append(
            {
                "day": dates.user_date(rc.timestamp),
                "rc": rc,
                "title": title,
                "url": common.page_url(title),
                "links": Markup(links),
                "unseen": row.notified is not None and rc.timestamp >= row.notified,
                "delta": delta,
                "user_url": common.page_url(("User:" if rc.user_id else "Special:Contributions/") + user),
                "user_new": bool(rc.user_id) and user not in user_pages,
                "talk_url": common.page_url("User talk:" + user),
                "contribs_url": common.page_url("Special:Contributions/" + user) if contribs else None,
                "expiry": row.expiry,
            }
        )
    return out


def _mark_all_seen(user_id: int):
    if not tokens.check(request.form.get("wpEditToken")):
        return common.error_page(
            400, "Watchlist", "Sorry! We could not process your request because of a loss of session data."
        )
    watchlist.mark_all_seen(user_id)
    return redirect(common.index_url("Special:Watchlist", marked="1"), code=303)


@register("EditWatchlist", "Edit watchlist")
def edit_watchlist(sub: str):
    back = "Special:EditWatchlist" + (f"/{sub}" if sub else "")
    if not permissions.is_logged_in():
        return login_redirect(back)
    user_id = int(current_user.id)
    mode = sub.strip().lower()
    if mode == "raw":
        return _raw(user_id)
    if mode == "clear":
        return _clear(user_id)
    if mode:
        return common.error_page(
            404, "Edit watchlist", f'"{sub}" is not a mode of Special:EditWatchlist (raw, clear).'
        )
    return _normal(user_id)


def _check_token():
    if not tokens.check(request.form.get("wpEditToken")):
        return common.error_page(
            400,
            "Edit watchlist",
            "Sorry! We could not process your request because of a loss of session data.",
        )
    return None


def _normal(user_id: int):
    message = None
    if request.method == "POST":
        refused = _check_token()
        if refused is not None:
            return refused
        keys = [_key(raw) for raw in request.form.getlist("wpTitles")[: watchlist.MAX_TITLES]]
        chosen = [k for k in keys if k is not None]
        watchlist.unwatch(user_id, chosen)
        plural = "" if len(chosen) == 1 else "s"
        message = f"{len(chosen)} title{plural} (and their talk pages) removed from your watchlist."
    after = _key(request.args.get("from", "")) if request.args.get("from") else None
    entries, more = watchlist.titles(user_id, limit=LIST_PAGE, after=after)
    subjects = [e for e in entries if e.namespace % 2 == 0]
    by_ns = [
        (ns, [_title(e.namespace, e.title) for e in group])
        for ns, group in groupby(subjects, key=lambda e: e.namespace)
    ]
    names = site.namespaces().names
    body = render_template(
        "editwatchlist.html",
        mode="normal",
        by_ns=by_ns,
        ns_names=names,
        message=message,
        count=watchlist.count(user_id),
        more=_title(*more).prefixed_dbkey if more is not None else None,
    )
    return private(body)


def _key(raw: str) -> watchlist.Key | None:
    title = titles.try_parse(raw.strip(), site.namespaces()) if raw and raw.strip() else None
    if title is None or title.namespace < 0 or title.interwiki:
        return None
    return title.namespace, title.dbkey


def _raw(user_id: int):
    message, bad = None, []
    if request.method == "POST":
        refused = _check_token()
        if refused is not None:
            return refused
        text = request.form.get("wpTitles", "")
        if len(text.encode("utf-8")) > RAW_MAX_BYTES:
            return common.error_page(
                413, "Edit watchlist", f"The list is larger than {RAW_MAX_BYTES:,} bytes."
            )
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > watchlist.MAX_TITLES:
            return common.error_page(
                413,
                "Edit watchlist",
                f"A watchlist holds at most {watchlist.MAX_TITLES:,} titles; you sent {len(lines):,}.",
            )
        keys = []
        for line in lines:
            key = _key(line)
            if key is None:
                bad.append(line)
            else:
                keys.append(key)
        added, removed = watchlist.replace(user_id, keys)
        plural = "" if added == 1 else "s"
        message = f"Your watchlist has been updated: {added} title{plural} added, {removed} removed."
    titles_text = "\n".join(_title(e.namespace, e.title).prefixed_text for e in _subjects(user_id))
    body = render_template(
        "editwatchlist.html",
        mode="raw",
        text=titles_text,
        message=message,
        bad=bad,
        count=watchlist.count(user_id),
    )
    return private(body, 400 if bad else 200)


def _subjects(user_id: int) -> list[watchlist.Entry]:
    out, after = [], None
    while True:
        entries, after = watchlist.titles(user_id, limit=LIST_PAGE, after=after)
        out += [e for e in entries if e.namespace % 2 == 0]
        if after is None or len(out) >= watchlist.MAX_TITLES:
            return out


def _clear(user_id: int):
    message = None
    if request.method == "POST":
        refused = _check_token()
        if refused is not None:
            return refused
        removed = watchlist.clear(user_id)
        message = f"Your watchlist has been cleared: {removed} title{'' if removed == 1 else 's'} removed."
    body = render_template(
        "editwatchlist.html", mode="clear", message=message, count=watchlist.count(user_id)
    )
    return private(body)
