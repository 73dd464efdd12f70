"""Special:Watchlist (changes to watched pages, by day, with RecentChanges' filters, "mark all pages as
seen") and Special:EditWatchlist (remove titles; /raw: the list as text; /clear). Only for the
logged-in user's own list: anonymous visitors are sent to the login form, as MediaWiki does."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from flask import redirect, render_template, request
from flask_login import current_user

from wiki import site, titles, tokens
from wiki.access import preferences
from wiki.models import utcnow
from wiki.pages import logdelete, recentlist, watchchanges, watchlist
from wiki.web import changeslines, common, permissions
from wiki.web.special import register
from wiki.web.special.params import bool_arg, int_arg, namespace_arg, private
from wiki.web.special.recentchanges import LOG_NAMES, MAX_DAYS, may_patrol, with_current
from wiki.web.watch import login_redirect

DAYS = (1, 3, 7, 14, 30)
LIMITS = (50, 100, 250, 500)
MAX_LIMIT = 500
LIST_PAGE = 2000  # titles one EditWatchlist page lists (keyset-paged beyond)
RAW_MAX_BYTES = 1_000_000  # the raw watchlist textarea
HIDE = ("hideminor", "hidebots", "hideanons", "hideliu", "hidemyself")
HIDE_PREFERENCES = {
    "hideminor": "watchlisthideminor",
    "hidebots": "watchlisthidebots",
    "hideanons": "watchlisthideanons",
    "hideliu": "watchlisthideliu",
    "hidemyself": "watchlisthideown",
}
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


def _given() -> bool:
    """Whether the request carries the form's choices (else the reader's preferences decide)."""
    return "days" in request.args or any(name in request.args for name in HIDE)


def _hidden(user: object) -> dict[str, bool]:
    """The hide-filters asked for, or the reader's preferences (MediaWiki's watchlisthide* options)."""
    if _given():
        return {name: bool_arg(name) for name in HIDE}
    return {name: preferences.get_bool(user, option) for name, option in HIDE_PREFERENCES.items()}


@register("Watchlist", "Watchlist", aliases=("Watch list",))
def watchlist_page(_sub: str):
    if not permissions.is_logged_in():
        return login_redirect("Special:Watchlist")
    user_id = int(current_user.id)
    if request.method == "POST":
        return _mark_all_seen(user_id)
    user = current_user._get_current_object()
    days = int_arg("days", min(preferences.get_int(user, "watchlistdays"), MAX_DAYS), 0, MAX_DAYS)
    limit = int_arg("limit", min(preferences.get_int(user, "wllimit"), MAX_LIMIT), 1, MAX_LIMIT)
    namespace = namespace_arg()
    hide = _hidden(user)
    extended = bool_arg("extended") if _given() else preferences.get_bool(user, "extendwatchlist")
    invert, associated = bool_arg("invert"), bool_arg("associated")
    keep = recentlist.RCFilter(
        namespaces=() if namespace is None else (namespace,),
        invert=invert and namespace is not None,
        associated=associated and namespace is not None,
        minor=False if hide["hideminor"] else None,
        bot=False if hide["hidebots"] else None,
        anon=True if hide["hideliu"] else False if hide["hideanons"] else None,
        exclude_user=current_user.name if hide["hidemyself"] else None,
        since=utcnow() - timedelta(days=days) if days else None,
        # A logged action whose target is hidden from the reader is left out: listing it would
        # say which watched page it is about.
        hidden_log_mask=logdelete.hidden_mask(logdelete.ACTION, permissions.reader_rights()),
    )
    query = watchchanges.ChangeQuery(keep, latest_only=not extended)
    if hide["hideliu"] and hide["hideanons"]:
        rows: list[watchchanges.Row] = []
    else:
        rows, _more = watchchanges.window(user_id, query, limit=limit)
    changes = [row.change for row in rows]
    lines, existing = changeslines.lines_of(changes, {row.change.id: row.tags for row in rows if row.tags})
    for line, row in zip(lines, rows, strict=True):
        line.unseen = row.notified is not None and row.change.timestamp >= row.notified
        line.expiry = row.expiry
    body = render_template(
        "watchlist.html",
        days_list=changeslines.days_of(lines),
        writer=changeslines.Writer(lines, may_patrol=may_patrol(), existing=existing),
        log_names=LOG_NAMES,
        change_tags=changeslines.tag_list,
        count=watchlist.count(user_id),
        days=days,
        limit=limit,
        hide=hide,
        hide_labels=HIDE_LABELS,
        selected_ns=namespace,
        invert=invert,
        associated=associated,
        namespaces=_namespace_choices(),
        ns_all=True,
        day_choices=with_current(DAYS, days) if days else DAYS,
        limit_choices=with_current(LIMITS, limit),
        extended=extended,
        marked=request.args.get("marked") == "1",
    )
    return private(body)


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
