"""action=feedrecentchanges, feedcontributions and feedwatchlist: Atom or RSS (feedformat), the
rows of RecentChanges, Special:Contributions and the watchlist, written by wiki.pages.feeds."""

from __future__ import annotations

from datetime import datetime, timedelta

from wiki import pages, site, titles
from wiki.access import users
from wiki.api import access, watchfilters
from wiki.api.errors import ApiError
from wiki.api.params import param
from wiki.api.registry import register
from wiki.models import utcnow
from wiki.pages import changes, feeds, logdelete, recentlist, revdelete, watchchanges, watchlist

FEEDFORMAT = param("feedformat", feeds.KINDS, default="rss", help="The format of the feed.")
MAX_DAYS = 90
RC_FEED = [
    FEEDFORMAT,
    param("namespace", "namespace", help="Only changes in this namespace."),
    param("invert", "boolean", help="Every namespace but the selected one."),
    param("associated", "boolean", help="Include the associated (talk or subject) namespace."),
    param("days", "integer", default=7, min=1, max=MAX_DAYS, help="Days to limit the results to."),
    # An integer, not a limit: a feed has no room for the warning a clamped limit would give.
    param("limit", "integer", default=50, min=1, max=feeds.MAX_ITEMS, help="The maximum number of results."),
    param("from", "timestamp", help="Show changes since then."),
    param("hideminor", "boolean", help="Hide minor changes."),
    param("hidebots", "boolean", help="Hide changes made by bots."),
    param("hideanons", "boolean", help="Hide changes made by anonymous users."),
    param("hideliu", "boolean", help="Hide changes made by registered users."),
    param("hidepatrolled", "boolean", help="Hide patrolled changes."),
    param("hidemyself", "boolean", help="Hide changes made by the current user."),
    param("hidecategorization", "boolean", help="Hide category membership changes (there are none)."),
    param("tagfilter", help="Filter by tag."),
    param("target", help="Show only changes on pages linked from (or, with showlinkedto, to) this page."),
    param("showlinkedto", "boolean", help="Show changes on pages linked to the selected page instead."),
]
CONTRIB_FEED = [
    FEEDFORMAT,
    param("user", "user", required=True, help="What users to get the contributions for."),
    param("namespace", "namespace", help="Which namespace to filter the contributions by."),
    param("year", "integer", min=1, max=9999, help="From year (and earlier)."),
    param("month", "integer", min=1, max=12, help="From month (and earlier)."),
    param("tagfilter", help="Filter contributions that have this tag."),
    param("deletedonly", "boolean", help="Show only deleted contributions (none are listed here)."),
    param("toponly", "boolean", help="Only show edits that are latest revisions."),
    param("newonly", "boolean", help="Only show edits that are page creations."),
    param("hideminor", "boolean", help="Hide minor edits."),
    param("showsizediff", "boolean", help="Show the size difference between revisions."),
]
WATCHLIST_FEED = [
    FEEDFORMAT,
    param(
        "hours",
        "integer",
        default=24,
        min=1,
        max=72,
        clamp=True,
        help="List pages modified within this many hours.",
    ),
    param("linktosections", "boolean", help="Link directly to changed sections if possible."),
    param("allrev", "boolean", help="Include multiple revisions of the same page."),
    param("wlowner", "user", help="The user whose watchlist to read (with wltoken)."),
    param("wltoken", help="A security token the owner set in their preferences."),
    watchfilters.show_param("wlshow"),
    watchfilters.type_param("wltype"),
    param("wlexcludeuser", "user", help="Don't list changes by this user."),
]


def _raw(kind: str, heading: str, link: str, description: str, items: list[feeds.Item]) -> dict:
    return {"__raw__": feeds.render(kind, heading, link, description, items)}


@register("feedrecentchanges", "Returns a recent changes feed.", params=RC_FEED)
def feed_recent_changes(api) -> dict:
    params = api.params
    namespace = params.get("namespace")
    since = utcnow() - timedelta(days=params.int("days") or 7)
    start = params.timestamp("from")
    if start is not None and start > since:
        since = start
    hide = {
        name: params.flag(name) for name in ("hideminor", "hidebots", "hideanons", "hideliu", "hidepatrolled")
    }
    may_patrol = "patrol" in access.rights(api.user)
    anon = None if hide["hideanons"] == hide["hideliu"] else hide["hideliu"]
    keep = recentlist.RCFilter(
        minor=False if hide["hideminor"] else None,
        bot=False if hide["hidebots"] else None,
        anon=anon,
        patrolled=(recentlist.UNPATROLLED,) if hide["hidepatrolled"] and may_patrol else (),
        namespaces=(int(namespace),) if namespace is not None else (),
        invert=params.flag("invert") and namespace is not None,
        associated=params.flag("associated") and namespace is not None,
        tag=params.get("tagfilter") or None,
        exclude_user=(api.user.name if api.user is not None else None) if params.flag("hidemyself") else None,
        since=since,
        hidden_log_mask=logdelete.ACTION,  # a feed is the same for every reader
    )
    if hide["hideanons"] and hide["hideliu"]:
        keep = keep.narrowed(types=("nothing",))
    target = params.get("target")
    if target:
        keep = _linked(keep, target, params.flag("showlinkedto"))
    found = recentlist.window(keep, limit=params.int("limit") or 50)
    link = site.page_url("Special:RecentChanges")
    description = "Track the most recent changes to the wiki in this feed."
    return _raw(params.get("feedformat"), "Recent changes", link, description, feeds.change_items(found.rows))


def _linked(keep: recentlist.RCFilter, target: str, linked_to: bool) -> recentlist.RCFilter:
    try:
        title = site.parse_title(target)
    except titles.InvalidTitle:
        raise ApiError("invalidtitle", f'Bad title "{target}".') from None
    if title.namespace == 14:
        return keep.narrowed(extend=recentlist.category_members(title.dbkey))
    page = pages.get(title)
    if page is None:
        return keep.narrowed(targets=frozenset())
    return keep.narrowed(extend=recentlist.linked_targets(page.id, linked_to=linked_to))


@register("feedcontributions", "Returns a user's contributions feed.", params=CONTRIB_FEED)
def feed_contributions(api) -> dict:
    params = api.params
    name = params.get("user").replace("_", " ").strip()
    namespace = params.get("namespace")
    year, month = params.int("year"), params.int("month")
    until = None
    if year is not None:
        last_month = month or 12
        first_after = datetime(year + (last_month == 12), last_month % 12 + 1, 1)
        until = first_after - timedelta(microseconds=1)
    keep = changes.ChangeFilter(
        users=(name,),
        namespaces=(int(namespace),) if namespace is not None else (),
        tag=params.get("tagfilter") or None,
        top_only=params.flag("toponly"),
        new=True if params.flag("newonly") else None,
        minor=False if params.flag("hideminor") else None,
        until=until,
        page_id=-1 if params.flag("deletedonly") else None,  # deleted revisions are not listed here
        hidden_user_mask=revdelete.USER,  # a feed is the same for every reader
    )
    rows = changes.changes(keep, limit=feeds.MAX_ITEMS, with_text=False)[: feeds.MAX_ITEMS]
    parents = pages.sizes([rev.parent_id for rev, _p in rows])
    link = site.page_url(f"Special:Contributions/{name}")
    items = feeds.revision_items(rows, parents)
    return _raw(params.get("feedformat"), f"User contributions [{name}]", link, "User contributions", items)


def _feed_owner(owner: str, token: str) -> int | None:
    """The id of `owner` when `token` is their watchlist token (compared in constant time), else None."""
    account = users.find_user(owner) if owner else None
    return account.id if account is not None and watchlist.valid_feed_token(account.id, token) else None


@register("feedwatchlist", "Returns a watchlist feed.", params=WATCHLIST_FEED)
def feed_watchlist(api) -> dict:
    params = api.params
    kind = params.get("feedformat")
    owner, token = params.get("wlowner"), params.get("wltoken")
    link = site.page_url("Special:Watchlist")
    if owner or token:
        user_id = _feed_owner(owner or "", token or "")
        if user_id is None:
            return _error_feed(kind, "bad_wltoken", "Incorrect watchlist token provided.")
    elif api.user is None:
        return _error_feed(kind, "notloggedin", "Please log in to view or edit items on your watchlist.")
    else:
        user_id = api.user.id
    # As MediaWiki's: the last `hours` (1 to 72) of changes, newest first, the latest of each page
    # unless `allrev`; the time bound keeps the read to an index range however long the history.
    keep = recentlist.RCFilter(
        since=utcnow() - timedelta(hours=params.int("hours") or 24),
        hidden_log_mask=logdelete.ACTION,  # a feed is the same for every reader
        exclude_user=(params.get("wlexcludeuser") or "").replace("_", " ").strip() or None,
    )
    show, types = params.list("wlshow"), params.list("wltype")
    try:
        query = watchfilters.query(api, keep, show, types, latest_only=not params.flag("allrev"))
    except ApiError as exc:  # MediaWiki's list=watchlist errors reach the reader inside the feed
        return _error_feed(kind, exc.code, exc.info)
    rows, _more = watchchanges.window(user_id, query, limit=feeds.MAX_ITEMS)
    items = feeds.change_items([row.change for row in rows], link_to_sections=params.flag("linktosections"))
    return _raw(kind, "Watchlist", link, "Watchlist", items)


def _error_feed(kind: str, code: str, text: str) -> dict:
    """MediaWiki answers a feed's errors inside a feed: one entry titled "Error (code)"."""
    item = feeds.Item(f"Error ({code})", "", text, "", utcnow(), f"urn:mediawiki:error:{code}")
    return _raw(kind, "Error - Watchlist", site.page_url("Special:Watchlist"), "Watchlist", [item])
