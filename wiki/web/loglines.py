"""What a log entry's hidden parts (wiki.pages.logdelete) read as, for this reader, as MediaWiki's
LogFormatter writes them: struck through (`history-deleted`) for those who may see them, "(log
details removed)", "(username removed)" or "(edit summary removed)" for the others. Template globals
for every page that shows log entries (Special:Log, the changes lists, Special:RevisionDelete)."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup

from wiki import titles
from wiki.models import LogEntry
from wiki.pages import logdelete
from wiki.web import permissions
from wiki.web.userlinks import summary, user_links


def _bits(entry: LogEntry) -> int:
    return int(entry.deleted or 0)


def log_sees(entry: LogEntry, part: int) -> bool:
    """Whether the reader may see this part (logdelete.ACTION, COMMENT, USER, RESTRICTED) of `entry`."""
    return logdelete.can_see(_bits(entry), part, permissions.reader_rights())


def log_struck(entry: LogEntry, html: str) -> Markup:
    """A hidden part for a reader who may see it (MediaWiki's styleRestrictedElement)."""
    suppressed = " mw-history-suppressed" if _bits(entry) & logdelete.RESTRICTED else ""
    return Markup(f'<span class="history-deleted{suppressed}">{html}</span>')


def log_removed(entry: LogEntry, part: int) -> Markup:
    """What a reader who may not see `part` reads instead ("(log details removed)", ...)."""
    return log_struck(entry, logdelete.REMOVED[part])


def log_user(entry: LogEntry) -> Markup:
    """The performer with their tool links, struck through or removed when hidden."""
    if not _bits(entry) & logdelete.USER:
        return user_links(entry.user_text)
    if not log_sees(entry, logdelete.USER):
        return log_removed(entry, logdelete.USER)
    return log_struck(entry, user_links(entry.user_text))


def log_comment(entry: LogEntry, target: titles.Title | None) -> Markup:
    """The entry's summary, struck through or removed when hidden; its section links name the
    target only for readers who may see the target."""
    bits = _bits(entry)
    if bits & logdelete.COMMENT and not log_sees(entry, logdelete.COMMENT):
        return log_removed(entry, logdelete.COMMENT)
    html = summary(entry.comment, target if log_sees(entry, logdelete.ACTION) else None)
    return log_struck(entry, html) if bits & logdelete.COMMENT and entry.comment else html


def may_change_log_visibility() -> bool:
    """Whether the reader gets Special:Log's checkboxes (MediaWiki: deletedhistory and deletelogentry)."""
    rights = permissions.reader_rights()
    return "deletedhistory" in rights and "deletelogentry" in rights


def init(app: Flask) -> None:
    app.jinja_env.globals.update(
        log_sees=log_sees,
        log_struck=log_struck,
        log_removed=log_removed,
        log_user=log_user,
        log_comment=log_comment,
        may_change_log_visibility=may_change_log_visibility,
        LOGDEL=logdelete,
    )
