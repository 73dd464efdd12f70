"""Magic variables: {{PAGENAME}}, {{CURRENTYEAR}}, {{SITENAME}}, {{!}} and the rest.

Names are matched as MediaWiki's English magic word table does: most are case-sensitive
(PAGENAME, CURRENTYEAR), a few are not (SERVER, SERVERNAME, SCRIPTPATH, PAGEID).
Dates come from the site's clock (UTC); LOCAL* equal CURRENT* (the wiki's time zone is UTC).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeAlias
from urllib.parse import urlsplit

from wiki.markup.preprocessor import names as t

if TYPE_CHECKING:
    from wiki.markup.context import RenderContext, TitleLike
    from wiki.markup.preprocessor.expander import Expander

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTH_ABBREVS = [m[:3] for m in MONTHS]
WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
VERSION = "1.39.0"


def format_num(number: str | int) -> str:
    """English number formatting: thousands separated by commas."""
    text = str(number)
    sign = "\u2212" if text.startswith("-") else ""
    digits, _, frac = text.lstrip("-").partition(".")
    if not digits.isdigit():
        return text
    grouped = f"{int(digits):,}" if len(digits) > 3 else digits
    return sign + grouped + ("." + frac if frac else "")


# A magic variable: its value for a render.
Variable: TypeAlias = "Callable[[RenderContext], str]"


def _now(ctx: RenderContext) -> datetime:
    return ctx.site.clock()


def _rev_time(ctx: RenderContext) -> datetime:
    return ctx.revision_timestamp or ctx.site.clock()


def _dates(key: str, now: Callable[[RenderContext], datetime]) -> dict[str, Variable]:
    def f(fmt: Callable[[datetime], str]) -> Variable:
        return lambda ctx: fmt(now(ctx))

    return {
        f"{key}YEAR": f(lambda d: str(d.year)),
        f"{key}MONTH": f(lambda d: f"{d.month:02d}"),
        f"{key}MONTH2": f(lambda d: f"{d.month:02d}"),
        f"{key}MONTH1": f(lambda d: str(d.month)),
        f"{key}MONTHNAME": f(lambda d: MONTHS[d.month - 1]),
        f"{key}MONTHNAMEGEN": f(lambda d: MONTHS[d.month - 1]),
        f"{key}MONTHABBREV": f(lambda d: MONTH_ABBREVS[d.month - 1]),
        f"{key}DAY": f(lambda d: str(d.day)),
        f"{key}DAY2": f(lambda d: f"{d.day:02d}"),
        f"{key}DAYNAME": f(lambda d: WEEKDAYS[(d.weekday() + 1) % 7]),
        f"{key}DOW": f(lambda d: str((d.weekday() + 1) % 7)),
        f"{key}WEEK": f(lambda d: str(d.isocalendar()[1])),
        f"{key}HOUR": f(lambda d: f"{d.hour:02d}"),
        f"{key}TIME": f(lambda d: f"{d.hour:02d}:{d.minute:02d}"),
        f"{key}TIMESTAMP": f(lambda d: d.strftime("%Y%m%d%H%M%S")),
    }


def title_forms(ctx: RenderContext, title: TitleLike, suffix: str = "") -> dict[str, Variable]:
    """PAGENAME and friends for `title`, as name -> callable(ctx) -> text."""
    esc = t.escape_wikitext
    ns = title.namespace
    talk = t.talk_ns(ns)
    subject = t.subject_ns(ns)

    def talk_page(c: RenderContext) -> str:
        return t.prefixed(c, talk, title.text) if talk is not None else ""

    return {
        "PAGENAME": lambda c: esc(title.text),
        "PAGENAMEE": lambda c: esc(t.url_form(title.text)),
        "FULLPAGENAME": lambda c: esc(title.prefixed_text),
        "FULLPAGENAMEE": lambda c: esc(t.url_form(title.prefixed_text)),
        "SUBPAGENAME": lambda c: esc(t.subpage_text(c, title)),
        "SUBPAGENAMEE": lambda c: esc(t.url_form(t.subpage_text(c, title))),
        "BASEPAGENAME": lambda c: esc(t.base_text(c, title)),
        "BASEPAGENAMEE": lambda c: esc(t.url_form(t.base_text(c, title))),
        "ROOTPAGENAME": lambda c: esc(t.root_text(c, title)),
        "ROOTPAGENAMEE": lambda c: esc(t.url_form(t.root_text(c, title))),
        "TALKPAGENAME": lambda c: esc(talk_page(c)),
        "TALKPAGENAMEE": lambda c: esc(t.url_form(talk_page(c))),
        "SUBJECTPAGENAME": lambda c: esc(t.prefixed(c, subject, title.text)),
        "SUBJECTPAGENAMEE": lambda c: esc(t.url_form(t.prefixed(c, subject, title.text))),
        "ARTICLEPAGENAME": lambda c: esc(t.prefixed(c, subject, title.text)),
        "ARTICLEPAGENAMEE": lambda c: esc(t.url_form(t.prefixed(c, subject, title.text))),
        "NAMESPACE": lambda c: t.ns_text(c, ns).replace("_", " "),
        "NAMESPACEE": lambda c: t.url_form(t.ns_text(c, ns)),
        "NAMESPACENUMBER": lambda c: str(ns),
        "TALKSPACE": lambda c: t.ns_text(c, talk).replace("_", " ") if talk is not None else "",
        "TALKSPACEE": lambda c: t.url_form(t.ns_text(c, talk)) if talk is not None else "",
        "SUBJECTSPACE": lambda c: t.ns_text(c, subject).replace("_", " "),
        "SUBJECTSPACEE": lambda c: t.url_form(t.ns_text(c, subject)),
        "ARTICLESPACE": lambda c: t.ns_text(c, subject).replace("_", " "),
        "ARTICLESPACEE": lambda c: t.url_form(t.ns_text(c, subject)),
    }


def _stat(name: str) -> Variable:
    return lambda ctx: format_num((ctx.site.options or {}).get("statistics", {}).get(name, 0))


def _server_name(ctx: RenderContext) -> str:
    return urlsplit(ctx.site.server).hostname or ""


def _script_path(ctx: RenderContext) -> str:
    return ctx.site.script.rsplit("/", 1)[0]


def _revision_id(ctx: RenderContext) -> str:
    return str(ctx.revision_id) if ctx.revision_id else ""


_SITE: dict[str, Variable] = {
    "!": lambda c: "|",
    "=": lambda c: "=",
    "SITENAME": lambda c: c.site.name,
    "ARTICLEPATH": lambda c: c.site.article_path,
    "CURRENTVERSION": lambda c: VERSION,
    "CONTENTLANGUAGE": lambda c: "en",
    "CONTENTLANG": lambda c: "en",
    "PAGELANGUAGE": lambda c: "en",
    "DIRECTIONMARK": lambda c: "\u200e",
    "DIRMARK": lambda c: "\u200e",
    "REVISIONID": _revision_id,
    "REVISIONUSER": lambda c: c.revision_user or "",
    "REVISIONDAY": lambda c: str(_rev_time(c).day),
    "REVISIONDAY2": lambda c: f"{_rev_time(c).day:02d}",
    "REVISIONMONTH": lambda c: f"{_rev_time(c).month:02d}",
    "REVISIONMONTH1": lambda c: str(_rev_time(c).month),
    "REVISIONYEAR": lambda c: str(_rev_time(c).year),
    "REVISIONTIMESTAMP": lambda c: _rev_time(c).strftime("%Y%m%d%H%M%S"),
    "CASCADINGSOURCES": lambda c: "",
    "NUMBEROFARTICLES": _stat("articles"),
    "NUMBEROFFILES": _stat("files"),
    "NUMBEROFUSERS": _stat("users"),
    "NUMBEROFACTIVEUSERS": _stat("activeusers"),
    "NUMBEROFPAGES": _stat("pages"),
    "NUMBEROFADMINS": _stat("admins"),
    "NUMBEROFEDITS": _stat("edits"),
    **_dates("CURRENT", _now),
    **_dates("LOCAL", _now),
}
# case-insensitive names (MediaWiki's flag 0), keyed in lower case
_INSENSITIVE: dict[str, Variable] = {
    "server": lambda c: c.site.server,
    "servername": _server_name,
    "scriptpath": _script_path,
    "stylepath": lambda c: _script_path(c) + "/skins",
    "pageid": lambda c: str((c.site.options or {}).get("page_id", "") or ""),
}


def variable(ex: Expander, name: str) -> str | None:
    """The value of magic variable `name` for this render, or None when it is not one."""
    if name == "REVISIONSIZE":
        return str(ex.state.page_size or 0)
    fn = _SITE.get(name)
    if fn is None:
        fn = _INSENSITIVE.get(name.lower())
    if fn is None:
        if not name.isupper():
            return None
        fn = title_forms(ex.ctx, ex.ctx.title).get(name)
        if fn is None:
            return None
    try:
        return fn(ex.ctx)
    except Exception:  # noqa: BLE001 - a broken setting shows as empty, never as a crash
        return ""
