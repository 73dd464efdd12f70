"""action=purge and action=protect."""

from __future__ import annotations

from wiki.access import protection
from wiki.api import access, register
from wiki.api import watch as watching
from wiki.api.edit import TOKEN, target_title
from wiki.api.errors import ApiError, missing_param
from wiki.api.output import iso
from wiki.api.pageset import PageSet, from_titles
from wiki.api.params import multi, param
from wiki.extensions import db
from wiki.models import utcnow
from wiki.pages import parsercache

PURGE = [multi("titles", required=True, help="A list of titles to purge.")]
PROTECT = [
    param("title", "title", help="Title of the page to (un)protect."),
    param("pageid", "integer", help="Page id of the page to (un)protect (instead of the title)."),
    multi("protections", required=True, help='Protection levels, "type=level" (e.g. "edit=sysop").'),
    multi("expiry", default="infinite", help="Expiry timestamps: one, or one per protection."),
    param("reason", default="", help="Reason for (un)protecting."),
    param("cascade", "boolean", help="Protect the pages this page transcludes too."),
    *watching.WATCHLIST,
    TOKEN,
]


@register("purge", "Purge the cache for the given titles.", params=PURGE, post=True)
def purge(api) -> dict:
    params = api.params
    raw = params.list("titles")
    if not raw:
        raise missing_param("titles")
    access.require_rate(api, "purge")
    pageset = PageSet()
    from_titles(raw, pageset)
    out = []
    for entry in pageset.entries:
        item = entry.base()
        item.pop("pageid", None)
        if entry.page is not None:
            parsercache.drop(entry.page.id)
            entry.page.touched = utcnow()
            item["purged"] = True
        out.append(item)
    db.session.commit()
    result: dict = {"purge": out}
    if pageset.normalized:
        result["normalized"] = pageset.normalized
    return result


@register("protect", "Change the protection level of a page.", params=PROTECT, post=True, token="token")
def protect(api) -> dict:
    """Protect a page (edit, move; cascade) or a missing title (create); an empty list lifts all."""
    params = api.params
    title = target_title(api)
    if params.get("protections") is None:
        raise missing_param("protections")
    wanted = params.list("protections")
    cascade = params.flag("cascade")
    reason = params.get("reason", "")
    expiries = params.list("expiry") or ["infinite"]
    access.require(api.user, "protect", title)
    wish = watching.requested(api, "protect")
    levels: dict[str, str] = {}
    for item in wanted:
        kind, _, level = item.partition("=")
        levels[kind] = level
    if len(expiries) not in (1, max(len(levels), 1)):
        raise ApiError(
            "toofewexpiries",
            f"{len(expiries)} expiry timestamps were provided where {len(levels)} were needed.",
        )
    per_kind = {kind: expiries[n] if len(expiries) > 1 else expiries[0] for n, kind in enumerate(levels)}
    try:
        # One call, so one log entry for all kinds, as MediaWiki writes it.
        restrictions = protection.protect(
            title, levels, actor=access.actor(api.user), reason=reason, expires=per_kind, cascade=cascade
        )
    except protection.BadProtection as exc:
        raise ApiError(exc.code, str(exc)) from None
    except ValueError as exc:  # an unreadable expiry
        raise ApiError("invalidexpiry", str(exc)) from None
    watching.apply(api, title.namespace, title.dbkey, wish)
    until = {r.type: r.expiry for r in restrictions}
    done = [
        {
            kind: protection.normalise_level(level) or "all",
            "expiry": iso(until[kind]) if until.get(kind) else "infinite",
        }
        for kind, level in levels.items()
    ]
    result: dict = {"title": title.prefixed_text, "reason": reason}
    if cascade:
        result["cascade"] = True
    result["protections"] = done
    return {"protect": result}
