"""Special:Log: the log of moves, deletions, protections, blocks and account creations, newest first,
filtered by type (Special:Log/move or type=), performer (user=) and target page (page=), paged as
MediaWiki pages it (offset = the timestamp and id of the last entry shown, dir=prev for newer).

One query reads the entries and one more tells which of the pages they name exist (blue or red links).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request

from wiki import logs, site, titles
from wiki.models import LogEntry
from wiki.pages import logdelete
from wiki.web import common, loglines, permissions, special
from wiki.web.special.params import int_arg, private, text_arg, title_arg

LIMITS = (20, 50, 100, 250, 500)
ALL_LOGS = (
    "Logs",
    "Every public log of this wiki together. Choose a log type, a performer or a target page to narrow "
    "the list (names are case-sensitive after the first letter).",
)


@dataclass
class LogLine:
    entry: LogEntry
    target: titles.Title
    params: dict
    destination: titles.Title | None = None  # a move's new title

    @property
    def summary_pair(self) -> tuple[str, titles.Title]:
        return (self.entry.comment, self.target)

    @property
    def key(self) -> str:
        return f"{self.entry.type}/{self.entry.action}"


def _bad(message: str):
    abort(common.error_page(400, "Bad parameter", message))


def _log_type(text: str) -> str:
    name = text.strip().lower()
    if name in ("", "all", "*"):
        return ""
    if name not in logs.LOG_TYPES:
        _bad(f'"{text[:40]}" is not a log type. The logs are: {", ".join(logs.LOG_TYPES)}.')
    return name


def _user_name(text: str, name: str) -> str | None:
    """A performer's name as stored (first letter upper case, spaces), or a 400 naming the problem."""
    if not text.strip():
        return None
    user = title_arg("User:" + text.strip(), name)
    if user.namespace != titles.USER or user.interwiki or user.fragment or "/" in user.text:
        _bad(f'The parameter "{name}" is not a valid user name: "{text[:40]}".')
    return user.text


def _target(text: str) -> titles.Title | None:
    if not text.strip():
        return None
    target = title_arg(text, "page")
    if target.fragment:
        _bad(f'The parameter "page" names a section ("#{target.fragment}"); give the page only.')
    if target.interwiki:
        _bad(f'"{target}" is on another wiki; its log is kept there.')
    return target


def _cursor() -> logs.Cursor | None:
    raw = request.args.get("offset", "").strip()
    if not raw:
        return None
    try:
        return logs.Cursor.parse(raw)
    except logs.BadCursor as exc:
        _bad(f'The parameter "offset" must be a position in the log, as the "older" link gives it: {exc}')


def _subpage(sub: str) -> tuple[str, str]:
    """Special:Log/move, Special:Log/move/Name or, as MediaWiki reads it, Special:Log/Name."""
    first, _, rest = sub.partition("/")
    if first.strip().lower() in logs.LOG_TYPES:
        return first.strip().lower(), rest
    return "", sub


def _title(namespace: int, dbkey: str) -> titles.Title:
    return titles.Title(namespace, dbkey.replace("_", " "), ns_name=site.namespaces().name(namespace))


def _line(entry: LogEntry) -> LogLine:
    params = logs.params_of(entry)
    line = LogLine(entry, _title(entry.namespace, entry.title), params)
    if entry.type == "move" and isinstance(params.get("target"), str):
        line.destination = titles.try_parse(params["target"], site.namespaces())
    return line


line_of = _line  # Special:RecentChanges words its log rows with the same lines


def _existing(lines: list[LogLine]) -> set[str]:
    """Prefixed titles (of targets, destinations and performers' user and talk pages) that exist."""
    wanted: set[str] = set()
    for line in lines:
        wanted.add(line.target.prefixed_text)
        if line.destination is not None:
            wanted.add(line.destination.prefixed_text)
        wanted.update((f"User:{line.entry.user_text}", f"User talk:{line.entry.user_text}"))
    return site.existing_titles(wanted)


existing_of = _existing  # and Special:RevisionDelete its selected entries


@special.register("Log", "Logs")
def log(sub: str):
    sub_type, sub_user = _subpage(sub)
    log_type = _log_type(request.args.get("type", "")[:64]) or sub_type
    user_text = text_arg("user") or sub_user
    user = _user_name(user_text, "user")
    page_text = text_arg("page")
    target = _target(page_text)
    limit = int_arg("limit", 50, 1, 500)
    cursor = _cursor()
    newer = request.args.get("dir") == "prev"
    seen = permissions.reader_rights()
    found = logs.window(
        logs.LogFilter(
            types=(log_type,) if log_type else (),
            user=user,
            target=(target.namespace, target.dbkey) if target is not None else None,
            hidden=logs.hidden_types(list(seen)),
            hidden_user_mask=logdelete.hidden_mask(logdelete.USER, seen),
            hidden_action_mask=logdelete.hidden_mask(logdelete.ACTION, seen),
        ),
        limit=limit,
        cursor=cursor,
        newer=newer,
    )
    lines = [_line(e) for e in found.entries]
    heading, intro = logs.LOG_TYPES.get(log_type, ALL_LOGS)
    filters = {"type": log_type or None, "user": user, "page": page_text or None}
    return private(
        render_template(
            "special_log.html",
            title=site.parse_title("Special:Log/" + log_type if log_type else "Special:Log"),
            heading=heading,
            intro=intro,
            log_types=logs.LOG_TYPES,
            log_type=log_type,
            user_text=user or "",
            page_text=page_text,
            lines=lines,
            existing=_existing(lines),
            window=found,
            first=logs.Cursor.of(found.entries[0]) if found.entries else None,
            last=logs.Cursor.of(found.entries[-1]) if found.entries else None,
            filters={k: v for k, v in filters.items() if v is not None},
            limit=limit,
            limits=LIMITS,
            paged=cursor is not None or newer,
            may_revdel=loglines.may_change_log_visibility(),
        )
    )
