"""Core parser functions that compute text: namespaces, URLs, numbers, padding, anchors,
dates, plural and language names (MediaWiki's CoreParserFunctions, English only)."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus, unquote

from wiki.markup import limits
from wiki.markup.preprocessor.magicwords import MONTHS, format_num
from wiki.markup.preprocessor.names import raw_urlencode, url_form, wf_urlencode

if TYPE_CHECKING:
    from collections.abc import Callable

    from wiki.markup.context import TitleLike
    from wiki.markup.preprocessor.expander import Expander

_MARKER = re.compile(r"\x7f'\"`UNIQ-.*?-QINU`\"'\x7f", re.S)
_NUMBER = re.compile(r"(-(?=[\d.]))?(\d+|(?=\.\d))(\.\d*)?([Ee][-+]?\d+)?")
_PHP_NUMERIC = re.compile(r"^[ \t\n\r\x0b\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\x0b\f]*$")
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
SPECIAL_ALIASES = {
    "randompage": "Random",
    "random": "Random",
    "badtitle": "Badtitle",
    "recentchanges": "RecentChanges",
    "allpages": "AllPages",
    "search": "Search",
    "whatlinkshere": "WhatLinksHere",
    "specialpages": "SpecialPages",
    "version": "Version",
    "prefixindex": "PrefixIndex",
    "categories": "Categories",
    "userlogin": "UserLogin",
    "userlogout": "UserLogout",
    "preferences": "Preferences",
    "upload": "Upload",
    "movepage": "MovePage",
    "undelete": "Undelete",
    "export": "Export",
    "import": "Import",
    "log": "Log",
    "newpages": "NewPages",
    "statistics": "Statistics",
    "listusers": "ListUsers",
    "booksources": "BookSources",
    "mypage": "MyPage",
}
LANGUAGES = {
    "en": "English",
    "ar": "العربية",
    "de": "Deutsch",
    "fr": "français",
    "es": "español",
    "it": "italiano",
    "ja": "日本語",
    "zh": "中文",
    "ru": "русский",
    "pt": "português",
    "nl": "Nederlands",
    "pl": "polski",
    "sv": "svenska",
    "fi": "suomi",
    "he": "עברית",
    "ko": "한국어",
    "mi": "Māori",
    "el": "Ελληνικά",
    "tr": "Türkçe",
    "uk": "українська",
    "cs": "čeština",
    "da": "dansk",
    "no": "norsk",
    "hu": "magyar",
    "fa": "فارسی",
    "hi": "हिन्दी",
    "id": "Bahasa Indonesia",
    "vi": "Tiếng Việt",
    "is": "íslenska",
}


def html_escape(text: str) -> str:
    return "".join(_HTML_ESCAPES.get(c, c) for c in text)


def kill_markers(text: str) -> str:
    return _MARKER.sub("", text) if "\x7f" in text else text


def skip_markers(text: str, fn: Callable[[str], str]) -> str:
    """Apply `fn` to the text between strip markers (MediaWiki's markerSkipCallback)."""
    if "\x7f" not in text:
        return fn(text)
    out, pos = [], 0
    for m in _MARKER.finditer(text):
        out.append(fn(text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(fn(text[pos:]))
    return "".join(out)


def php_intval(text: str) -> int:
    m = re.match(r"[ \t\n\r\x0b\f]*([+-]?\d+)", text)
    return int(m.group(1)) if m else 0


def is_numeric(text: str) -> bool:
    return bool(_PHP_NUMERIC.match(text))


def ucfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def bidi(ex: Expander, text: str = "", *_rest: str) -> str:
    """Embed `text` in the direction of its first strong character (Language::embedBidi)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "\u202a" + text + "\u202c"
        if kind in ("R", "AL"):
            return "\u202b" + text + "\u202c"
    return text


def ns(ex: Expander, name: str = "", *_rest: str) -> str | None:
    if not name:
        return ""
    if php_intval(name) or (is_numeric(name) and float(name) == 0):
        index = php_intval(name)
        return ex.ctx.site.namespace_names.get(index, "").replace("_", " ")
    title = ex.title(name.replace(" ", "_") + ":X", 0)
    if title is None or title.namespace == 0 or title.interwiki:
        return None
    return title.ns_name.replace("_", " ")


def nse(ex: Expander, name: str = "") -> str | None:
    text = ns(ex, name)
    return None if text is None else url_form(text)


def urlencode(ex: Expander, text: str = "", kind: str = "", *_rest: str) -> str:
    text = kill_markers(text)
    kind = kind.strip().upper()
    if kind == "WIKI":
        return wf_urlencode(text.replace(" ", "_"))
    if kind == "PATH":
        return raw_urlencode(text)
    return quote_plus(text, safe="").replace("~", "%7E")


def _url_title(ex: Expander, text: str) -> TitleLike | None:
    title = ex.title(text, 0)
    if title is None and "%" in text:
        title = ex.title(unquote(text), 0)
    if title is not None and title.namespace == -2:  # Media: links point at the file page
        title = ex.title(f"File:{title.text}", 0)
    return title


def local_url(ex: Expander, text: str, query: str | None, escape: bool = False) -> str | None:
    title = _url_title(ex, text)
    if title is None:
        return None
    site = ex.ctx.site
    if title.interwiki:
        url = site.interwiki.get(title.interwiki, "$1").replace("$1", quote(title.text))
    elif query:
        url = f"{site.script}?title={title.url_key}&{query}"
    else:
        url = site.article_path.replace("$1", title.url_key)
    return html_escape(url) if escape else url


def full_url(ex: Expander, text: str, query: str | None, escape: bool = False) -> str | None:
    url = local_url(ex, text, query)
    if url is None:
        return None
    if url.startswith("/") and not url.startswith("//"):
        url = ex.ctx.site.server + url
    title = _url_title(ex, text)
    if title is not None and title.fragment:
        url += "#" + wf_urlencode(title.fragment.replace(" ", "_"))
    return html_escape(url) if escape else url


def filepath(ex: Expander, name: str = "", arg_a: str = "", arg_b: str = "", *_rest: str) -> str:
    """{{filepath:Name.jpg|size|nowiki}}: the URL of an uploaded file (of a thumbnail with a size).

    As in MediaWiki, the file does not count among the files the page uses (imagelinks)."""
    from wiki.markup import filepaths, imagesize

    title = ex.title(name, 6)
    if title is None or title.namespace not in (6, -2) or title.interwiki or not title.text:
        return ""
    facts = ex.ctx.files([title.dbkey]).get(title.dbkey)
    if facts is None:
        return ""
    nowiki = arg_a == "nowiki"
    size = imagesize.parse_width(arg_b if nowiki else arg_a)
    nowiki = nowiki or arg_b == "nowiki"
    upload = ex.ctx.site.upload_path
    url = filepaths.original_url(upload, facts.name)
    if size.get("width"):
        thumb = imagesize.transform(upload, facts, size["width"], size.get("height"))
        url = thumb.url if thumb is not None else url
    if url.startswith("/") and not url.startswith("//"):
        url = ex.ctx.site.server + url
    return ex.strip_marker("nowiki", f"<nowiki>{url}</nowiki>") if nowiki else url


def formatnum(ex: Expander, number: str = "", arg: str = "", *_rest: str) -> str:
    arg = arg.strip()
    if arg == "R":
        return skip_markers(number, lambda s: s.replace(",", ""))
    if arg.upper() == "NOSEP":
        return number
    if is_numeric(number):
        return format_num(number.strip())
    return skip_markers(number, lambda s: _NUMBER.sub(lambda m: format_num(m.group(0)), s))


def _forms(forms: tuple[str, ...], count: int) -> list[str]:
    forms = tuple(f for f in forms)
    if not forms:
        return []
    return list(forms) + [forms[-1]] * (count - len(forms))


def gender(ex: Expander, user: str = "", *forms: str) -> str:
    """Users have no gender set here: the neutral form, else the first."""
    if not forms:
        return ""
    return forms[2] if len(forms) > 2 else forms[0]


def plural(ex: Expander, number: str = "", *forms: str) -> str:
    number = number.replace(",", "").strip()
    try:
        value = float(number) if is_numeric(number) else float("nan")
    except ValueError:
        value = float("nan")
    plain = []
    for form in forms:
        key, eq, text = form.partition("=")
        if eq and is_numeric(key) and float(key) == value:
            return text
        if not (eq and is_numeric(key)):
            plain.append(form)
    if not plain:
        return ""
    return _forms(tuple(plain), 2)[0 if abs(value) == 1 else 1]


def pad(text: str, length: str, padding: str, left: bool) -> str:
    padding = kill_markers(padding)
    if not padding:
        return text
    remaining = min(php_intval(length), limits.MAX_PAD_LENGTH) - len(text)
    if remaining <= 0:
        return text
    fill = (padding * (remaining // len(padding) + 1))[:remaining]
    return fill + text if left else text + fill


def section_name(text: str) -> str:
    """The plain text of a heading as MediaWiki guesses it (Parser::stripSectionName)."""
    text = re.sub(r"\[\[:?([^\[|]+)\|([^\[]+)\]\]", r"\2", text)
    text = re.sub(r"\[\[:?([^\[]+?)\|?\]\]", r"\1", text)
    text = re.sub(r"\[(?:https?:|ftp:|mailto:|//)([^ ]+?) ([^\[]+)\]", r"\2", text)
    text = re.sub(r"'{5}|'{3}|'{2}", "", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"[ _\t\n\r]+", " ", text).strip()
    return html.unescape(text)


def anchorencode(ex: Expander, text: str = "", *_rest: str) -> str:
    text = section_name(kill_markers(text)).replace(" ", "_")
    mode = (ex.ctx.site.options or {}).get("fragment_mode", "legacy")
    if mode == "legacy":
        text = quote_plus(text, safe=":").replace("%3A", ":").replace("%", ".")
    return html_escape(text).replace("'", "&#039;")


def special(ex: Expander, text: str = "", *_rest: str) -> str:
    page, slash, sub = text.partition("/")
    name = SPECIAL_ALIASES.get(page.replace(" ", "_").lower())
    if name is not None:
        return f"Special:{name}" + (slash + sub if slash else "")
    title = ex.title(f"Special:{text}", 0)
    return title.prefixed_text if title is not None and title.namespace == -1 else "Special:Badtitle"


def language(ex: Expander, code: str = "", in_language: str = "", *_rest: str) -> str:
    code = code.lower()
    return LANGUAGES.get(code, code)


_ISO_DATE = re.compile(r"^(-?\d{1,4})-(\d\d)-(\d\d)$")
_MONTH_NAMES = {m.lower(): n for n, m in enumerate(MONTHS, 1)}
_MONTH_NAMES.update({m[:3].lower(): n for n, m in enumerate(MONTHS, 1)})
_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)(?:\s+(\d{1,4}))?$")
_MDY = re.compile(r"^([A-Za-z]+)\s+(\d{1,2})(?:,?\s+(\d{1,4}))?$")


def formatdate(ex: Expander, text: str = "", pref: str = "", *_rest: str) -> str:
    """{{#formatdate:}}: recognise a date and write it in the preferred order."""
    date = text.strip()
    year = month = day = None
    source = ""
    m = _ISO_DATE.match(date)
    if m:
        year, month, day = m.group(1), int(m.group(2)), int(m.group(3))
        source = "iso 8601"
    elif m := _DMY.match(date):
        day, month, year = int(m.group(1)), _MONTH_NAMES.get(m.group(2).lower()), m.group(3)
        source = "dmy"
    elif m := _MDY.match(date):
        month, day, year = _MONTH_NAMES.get(m.group(1).lower()), int(m.group(2)), m.group(3)
        source = "mdy"
    if not month or not 1 <= month <= 12 or not day or not 1 <= day <= 31:
        return text
    iso = (f"{year}-" if year else "") + f"{month:02d}-{day:02d}"
    name = MONTHS[month - 1]
    pref = pref.strip().lower() or source  # no preference: the format it is written in
    if pref == "dmy":
        out = f"{day} {name}" + (f" {year}" if year else "")
    elif pref == "ymd" and year:
        out = f"{year} {name} {day}"
    elif pref in ("iso", "iso 8601") and year:
        out = iso
    else:
        out = f"{name} {day}" + (f", {year}" if year else "")
    return f'<span class="mw-formatted-date" title="{iso}">{out}</span>'
