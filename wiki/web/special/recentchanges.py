"""Special:RecentChanges and Special:RecentChangesLinked as MediaWiki's legacy (non-JavaScript)
list: day headings, a legend, the filter links and form, keyset paging (offset=timestamp|id).

The filter comes from the request (`rc_filter`), over wiki.pages.recentlist; the watchlist builds
on the same function and template macros (`_changeslist.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import abort, redirect, render_template, request

from wiki import logs, pages, site
from wiki.access import preferences
from wiki.models import utcnow
from wiki.pages import logdelete, recentlist
from wiki.web import changeslines, common, feeds, permissions, special
from wiki.web.special.params import bool_arg, int_arg, namespace_arg, private, text_arg, title_arg

LIMITS = (50, 100, 250, 500)
DAYS = (1, 3, 7, 14, 30)
MAX_DAYS = 90  # MediaWiki's $wgRCMaxAge: older rows are not listed
CATEGORY = 14
# (parameter, default, label) of the show/hide links, in MediaWiki's order.
TOGGLES = (
    ("hideminor", False, "minor edits"),
    ("hidebots", True, "bots"),
    ("hideanons", False, "anonymous users"),
    ("hideliu", False, "registered users"),
    ("hidemyself", False, "my edits"),
    ("hidepatrolled", False, "patrolled edits"),
)
# Parameters kept in every link the page makes (the filter the reader chose).
KEPT = (
    "hideminor", "hidebots", "hideanons", "hideliu", "hidemyself", "hidepatrolled", "hidepageedits",
    "hidenewpages", "hidelog", "namespace", "invert", "associated", "tagfilter", "days", "limit",
    "target", "showlinkedto",
)  # fmt: skip


LOG_NAMES = {name: label for name, (label, _intro) in logs.LOG_TYPES.items()}


def _bad(message: str):
    abort(common.error_page(400, "Bad parameter", message))


def may_patrol() -> bool:
    """Whether the reader sees patrol marks (! and the hidepatrolled filter)."""
    return permissions.denied("patrol") is None


def _toggle(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    return raw not in ("0", "false")


def _from_arg() -> datetime | None:
    raw = request.args.get("from", "").strip()
    if not raw:
        return None
    if len(raw) != 14 or not raw.isdigit():
        _bad(f'The parameter "from" must be a time as YYYYMMDDHHMMSS (got "{raw[:40]}").')
    try:
        return datetime.strptime(raw, "%Y%m%d%H%M%S")
    except ValueError:
        _bad(f'The parameter "from" is not a date: "{raw}".')
    return None


def _cursor() -> recentlist.Cursor | None:
    raw = request.args.get("offset", "").strip()
    if not raw:
        return None
    try:
        return recentlist.Cursor.parse(raw)
    except recentlist.BadCursor as exc:
        _bad(f'The parameter "offset" must be a position in the list, as the "older" link gives it: {exc}')
    return None


def with_current(choices: tuple[int, ...], current: int) -> list[int]:
    """The offered limits or periods, with the one in use (a preference may name another)."""
    return sorted({*choices, current})


def _anon(hide_anons: bool, hide_registered: bool) -> bool | None:
    """Only anonymous edits (True), only registered users' (False), or both (None)."""
    if hide_anons == hide_registered:
        return None
    return hide_registered


@dataclass
class Options:
    """What the reader asked for, as the page shows it back."""

    hidden: dict[str, bool]
    namespace: int | None
    invert: bool
    associated: bool
    tag: str
    days: int
    limit: int
    since: datetime
    start_from: datetime | None

    def args(self, **changes: object) -> dict[str, object]:
        """The request's filter parameters with `changes`, for a link (defaults left out)."""
        out: dict[str, object] = {k: v for k, v in request.args.items() if k in KEPT}
        out.update(changes)
        return {k: v for k, v in out.items() if v not in (None, "")}


def rc_filter() -> tuple[recentlist.RCFilter, Options]:
    """The filter of a changes list from MediaWiki's GET parameters (hideminor, hidebots, ...); what
    they leave out comes from the reader's preferences (rcdays, rclimit, hideminor, hidepatrolled)."""
    reader = permissions.user()
    defaults = {name: default for name, default, _label in TOGGLES}
    defaults.update(
        hideminor=preferences.get_bool(reader, "hideminor"),
        hidepatrolled=preferences.get_bool(reader, "hidepatrolled"),
    )
    hidden = {name: _toggle(name, defaults[name]) for name in defaults}
    if not may_patrol():
        hidden["hidepatrolled"] = False
    namespace = namespace_arg()
    invert, associated = bool_arg("invert"), bool_arg("associated")
    tag = text_arg("tagfilter").strip()
    days = int_arg("days", min(preferences.get_int(reader, "rcdays"), MAX_DAYS), 1, MAX_DAYS)
    limit = int_arg(
        "limit", min(preferences.get_int(reader, "rclimit"), recentlist.MAX_LIMIT), 1, recentlist.MAX_LIMIT
    )
    start_from = _from_arg()
    since = utcnow() - timedelta(days=days)
    if start_from is not None and start_from > since:
        since = start_from
    types = tuple(
        kind
        for kind, param in (("edit", "hidepageedits"), ("new", "hidenewpages"), ("log", "hidelog"))
        if not bool_arg(param)
    )
    me = None
    if hidden["hidemyself"]:
        user = permissions.user()
        me = user.name if user is not None else common.client_ip()
    keep = recentlist.RCFilter(
        # Listed by namespace, a logged action whose target is hidden from the reader is left out.
        hidden_log_mask=_hidden_log_mask() if namespace is not None else None,
        minor=False if hidden["hideminor"] else None,
        bot=False if hidden["hidebots"] else None,
        anon=_anon(hidden["hideanons"], hidden["hideliu"]),
        patrolled=(recentlist.UNPATROLLED,) if hidden["hidepatrolled"] else (),
        types=types if len(types) < 3 else (),
        namespaces=(namespace,) if namespace is not None else (),
        invert=invert and namespace is not None,
        associated=associated and namespace is not None,
        exclude_user=me,
        tag=tag or None,
        since=since,
    )
    if hidden["hideanons"] and hidden["hideliu"]:
        keep = keep.narrowed(types=("nothing",))  # both hidden: MediaWiki lists nothing
    options = Options(hidden, namespace, invert, associated, tag, days, limit, since, start_from)
    return keep, options


def _hidden_log_mask() -> int | None:
    return logdelete.hidden_mask(logdelete.ACTION, permissions.reader_rights())


def _namespace_choices() -> list[tuple[int, str]]:
    names = site.namespaces().names
    return [(ns, names[ns] or "(Main)") for ns in sorted(names) if ns >= 0]


def render_list(page: str, heading: str, keep: recentlist.RCFilter, options: Options, **extra: object):
    """The changes list page for this filter (RecentChanges and RecentChangesLinked)."""
    started = utcnow()
    found = recentlist.window(keep, limit=options.limit, cursor=_cursor())
    lines, existing = changeslines.lines_of(found.rows, found.tags)
    patrol = may_patrol()
    return render_template(
        "recentchanges.html",
        page=page,
        heading=heading,
        days=changeslines.days_of(lines),
        lines=lines,
        existing=existing,
        window=found,
        options=options,
        toggles=TOGGLES,
        limits=with_current(LIMITS, options.limit),
        day_choices=with_current(DAYS, options.days),
        namespaces=_namespace_choices(),
        may_patrol=patrol,
        log_names=LOG_NAMES,
        now=started.strftime("%Y%m%d%H%M%S"),
        started=started,
        writer=changeslines.Writer(lines, may_patrol=patrol, existing=existing),
        change_tags=changeslines.tag_list,
        **extra,
    )


def _subpage_options(sub: str) -> dict[str, str]:
    """MediaWiki's options in the subpage: Special:RecentChanges/hidebots=0,limit=500,days=3 (a bare
    name means 1, a bare number the limit); unknown names are ignored, as MediaWiki does."""
    out: dict[str, str] = {}
    for part in sub.split(",")[:20]:
        name, sep, value = part.strip().partition("=")
        if name.isdigit() and not sep:
            out["limit"] = name
        elif name in KEPT:
            out[name] = value if sep else "1"
    return out


@special.register("RecentChanges", "Recent changes")
def recent_changes(sub: str):
    if sub.strip():  # the same list at its query-string address (the query's values win)
        args = {**_subpage_options(sub), **request.args.to_dict()}
        args.pop("title", None)
        return redirect(site.index_url("Special:RecentChanges", **args))
    keep, options = rc_filter()
    feed = request.args.get("feed", "")
    if feed:
        return feeds.recent_changes(feed, keep, options.limit)
    return private(render_list("Special:RecentChanges", "Recent changes", keep, options))


@special.register("RecentChangesLinked", "Related changes")
def recent_changes_linked(sub: str):
    text = text_arg("target") or sub
    keep, options = rc_filter()
    keep = keep.narrowed(hidden_log_mask=_hidden_log_mask())  # a list by page never shows those
    target = title_arg(text, "target") if text.strip() else None
    linked_to = bool_arg("showlinkedto")
    if target is not None:
        if target.interwiki or target.namespace < 0:
            _bad(f'"{target}" is not a page of this wiki.')
        page = pages.get(target)
        if target.namespace == CATEGORY:  # the category's members, whether or not it has a page
            keep = keep.narrowed(extend=recentlist.category_members(target.dbkey))
        elif page is None:
            keep = keep.narrowed(targets=frozenset())
        else:
            keep = keep.narrowed(extend=recentlist.linked_targets(page.id, linked_to=linked_to))
    else:
        keep = keep.narrowed(targets=frozenset())
    body = render_list(
        "Special:RecentChangesLinked",
        "Related changes",
        keep,
        options,
        linked_target=target,
        linked_to=linked_to,
        target_text=text,
    )
    return private(body)
