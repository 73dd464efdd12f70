"""Special:Contributions/NAME-or-IP: a user's edits, newest first, paged by revision id
(offset=the id of the first revision of the next page, dir=prev for newer), with MediaWiki's
filters: namespace (nsInvert, associated), tagfilter, start/end dates, topOnly, newOnly, hideMinor."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import abort, render_template, request

from wiki import site, titles
from wiki.access import users
from wiki.pages import changes, revdelete
from wiki.web import common, contribslines, feeds, permissions, special
from wiki.web.special.params import bool_arg, int_arg, namespace_arg, private, text_arg, title_arg
from wiki.web.userlinks import is_ip

LIMITS = (20, 50, 100, 250, 500)
MAX_LIMIT = 500
KEPT = (
    "namespace", "nsInvert", "associated", "tagfilter", "start", "end", "topOnly", "newOnly", "hideMinor",
    "limit",
)  # fmt: skip


def _bad(message: str):
    abort(common.error_page(400, "Bad parameter", message))


def _date(name: str, end: bool) -> datetime | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d")
    except ValueError:
        _bad(f'The parameter "{name}" must be a date as YYYY-MM-DD (got "{raw[:40]}").')
    return day + timedelta(days=1) - timedelta(microseconds=1) if end else day


def _target(sub: str) -> str | None:
    text = (text_arg("target") or sub).strip()
    if not text:
        return None
    if is_ip(text) or _is_range(text):
        return text
    user = title_arg("User:" + text, "target")
    if user.namespace != titles.USER or user.interwiki or user.fragment or "/" in user.text:
        _bad(f'"{text[:40]}" is not a valid user name or IP address.')
    return user.text


def _is_range(text: str) -> bool:
    if "/" not in text:
        return False
    try:
        changes.ip_range(text)  # its editors are looked up once, by contributions_filter
    except changes.RangeTooWide as exc:
        _bad(f'The IP range "{text[:60]}" is too wide: ranges broader than {exc} are not listed.')
    except ValueError:
        return False
    return True


def _args(**changes: object) -> dict[str, object]:
    out: dict[str, object] = {k: v for k, v in request.args.items() if k in KEPT}
    out.update(changes)
    return {k: v for k, v in out.items() if v not in (None, "")}


def contributions_filter(name: str) -> changes.ChangeFilter:
    """The filter the request's parameters describe (shared with the contributions feed)."""
    namespace = namespace_arg()
    spaces: tuple[int, ...] = ()
    if namespace is not None:
        spaces = (namespace, namespace ^ 1) if bool_arg("associated") else (namespace,)
    return changes.ChangeFilter(
        users=changes.names_in_range(name) if "/" in name else (name,),
        namespaces=spaces,
        invert=bool_arg("nsInvert") and namespace is not None,
        tag=text_arg("tagfilter").strip() or None,
        since=_date("start", False),
        until=_date("end", True),
        top_only=bool_arg("topOnly"),
        new=True if bool_arg("newOnly") else None,
        minor=False if bool_arg("hideMinor") else None,
        hidden_user_mask=revdelete.user_mask(permissions.reader_rights()),
    )


@special.register("Contributions", "User contributions")
def contributions(sub: str):
    name = _target(sub)
    limit = int_arg("limit", 50, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0, common.MAX_ID) or None
    newer = request.args.get("dir") == "prev"
    if name is None:
        return private(render_template("contributions.html", name=None, days=None, **_blank()))
    feed = request.args.get("feed", "")
    keep = contributions_filter(name)
    if feed:
        return feeds.contributions(feed, name, keep, limit)
    rows = changes.change_lines(keep, newer=newer, from_id=offset, limit=limit)
    more = len(rows) > limit
    following = rows[limit].id if more else None
    rows = rows[:limit]
    if newer:
        rows.reverse()
    if not rows:
        newer_id = older_id = None
    elif newer:
        newer_id, older_id = (rows[0].id + 1 if more else None), rows[-1].id - 1
    else:
        newer_id, older_id = (rows[0].id + 1 if offset else None), following
    registered = is_ip(name) or "/" in name or users.find_user(name) is not None
    days = contribslines.days(rows, changes.revision_tags([row.id for row in rows]))
    status = 200 if registered else 404
    body = render_template(
        "contributions.html",
        name=name,
        registered=registered,
        days=days,
        limit=limit,
        limits=LIMITS,
        newer_id=newer_id,
        older_id=older_id if older_id else None,
        args=_args,
        **_blank(),
    )
    return private(body, status)


def _blank() -> dict[str, object]:
    names = site.namespaces().names
    return {
        "namespaces": [(ns, names[ns] or "(Main)") for ns in sorted(names) if ns >= 0],
        "selected_ns": namespace_arg(),
        "target_text": (text_arg("target") or "").strip(),
    }
