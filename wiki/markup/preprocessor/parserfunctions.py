"""Parser functions: the dispatcher and MediaWiki's core functions ({{lc:}}, {{ns:}},
{{urlencode:}}, {{padleft:}}, {{#tag:}}, {{int:}}, ...).

`call()` answers None when the name before the colon is no function, and the caller then
treats the braces as a template. Functions get the expander, the frame, the text after the
colon (trimmed) and the argument nodes; most of them want their arguments expanded and
trimmed first (`_plain`). The conditional functions of the ParserFunctions extension live
in `logic.py`, the text functions with more code in `textfunctions.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from wiki.markup.preprocessor import logic, magicwords, messages, textfunctions
from wiki.markup.preprocessor.names import PHP_WS, url_form

if TYPE_CHECKING:
    from wiki.markup.preprocessor.expander import Expander, Frame
    from wiki.markup.preprocessor.transclude import Found
    from wiki.markup.preprocessor.tree import Arg

    # What a function answers: its text, a tree to expand (Found), or None: "no such function".
    Result: TypeAlias = str | Found | None
    # A parser function: (expander, frame, text after the colon, argument nodes) -> Result.
    ParserFunction: TypeAlias = Callable[[Expander, Frame, str, list[Arg]], Result]


def _plain(fn: Callable[..., Result]) -> ParserFunction:
    """Wrap a function taking expanded, trimmed strings."""

    def call(ex: Expander, frame: Frame, first: str, args: list[Arg]) -> Result:
        values = [ex.expand(a.nodes(), frame).strip(PHP_WS) for a in args]
        return fn(ex, first, *values)

    return call


def _title_function(name: str) -> ParserFunction:
    def fn(ex: Expander, text: str = "", *_rest: str) -> str:
        title = ex.title(text, 0)
        if title is None:
            return ""
        return magicwords.title_forms(ex.ctx, title)[name](ex.ctx)

    return _plain(fn)


def _int(ex: Expander, frame: Frame, key: str, args: list[Arg]) -> Result:
    if not key:
        return None
    from wiki.markup.preprocessor.transclude import Found, fetch

    name = key.replace(" ", "_")
    page = ex.title(name, 8)
    text = fetch(ex, page.prefixed_text)[0] if page is not None and page.namespace == 8 else None
    if text is None:
        text = messages.lookup(name)
    if text is None:
        # Message::toString of a missing message: htmlspecialchars, never wfEscapeWikiText, whose
        # "&" -> "&#38;" and ";" -> "&#59;" double the text at each level of {{int:{{int:...}}}}
        # The tags in a key ({{int:<pre></pre>}}) are left out: escaped, their strip markers could no
        # longer be put back and 1.39 shows their "UNIQ--pre-…-QINU" text to the reader.
        return f"⧼{textfunctions.html_escape(textfunctions.kill_markers(key))}⧽"
    params = [ex.expand(a.nodes(), frame).strip(PHP_WS) for a in args]
    for n in range(len(params), 0, -1):
        text = text.replace(f"${n}", params[n - 1])
    return Found(tree=ex.tree(text, False))


def _tag(ex: Expander, frame: Frame, first: str, args: list[Arg]) -> str:
    name = first.strip(PHP_WS).lower()
    if not name:
        return ""
    inner = ex.expand(args[0].nodes(), frame) if args else None
    attrs = []
    for arg in args[1:]:
        if arg.name is None:
            continue
        key = ex.expand(arg.name, frame).strip(PHP_WS)
        value = ex.expand(arg.value, frame).strip(PHP_WS)
        if len(value) >= 2 and value[0] in "\"'" and value[-1] in "\"'":
            value = value[1:-1]
        attrs.append(f' {textfunctions.html_escape(key)}="{textfunctions.html_escape(value)}"')
    attr_text = "".join(attrs)
    source = f"<{name}{attr_text}/>" if inner is None else f"<{name}{attr_text}>{inner}</{name}>"
    if name in ex.ext_tags:
        return ex.strip_marker(name, source)
    return source


def _displaytitle(ex: Expander, text: str = "", arg: str = "", *_rest: str) -> str:
    """{{DISPLAYTITLE:}}: kept only when it shows the page's own title ($wgRestrictDisplayTitle)."""
    plain = textfunctions.section_name(textfunctions.kill_markers(text))
    shown = ex.title(plain, 0)
    if shown is None or shown.fragment or shown.prefixed_text != ex.ctx.title.prefixed_text:
        return ""
    state = ex.state
    if state.display_title is None or arg.strip().lower() != "noreplace":
        state.display_title = text
    return ""


def _defaultsort(ex: Expander, text: str = "", arg: str = "", *_rest: str) -> str:
    text = text.strip(PHP_WS)
    if not text:
        return ""
    state = ex.state
    old = state.default_sort
    if old is None or arg.lower() != "noreplace":
        state.default_sort = text
    if old is None or old == text or arg.lower() in ("noerror", "noreplace"):
        return ""
    return (
        '<span class="error"><strong>Warning:</strong> Default sort key '
        f'"{ex.escape(text)}" overrides earlier default sort key "{ex.escape(old)}".</span>'
    )


def _expensive_count(ex: Expander, *_args: str) -> str:
    ex.expensive()
    return "0"


def _page_size(ex: Expander, page: str, raw: str) -> str:
    from wiki.markup.preprocessor.transclude import fetch

    title = ex.title(page, 0)
    size = 0
    if title is not None and not title.interwiki and ex.expensive():
        text = fetch(ex, title.prefixed_text)[0]
        size = len(text.encode("utf-8")) if text else 0
    return str(size) if raw.strip() == "R" else magicwords.format_num(size)


def _expensive_empty(ex: Expander, *_args: str) -> str:
    ex.expensive()
    return ""


def _number_of(name: str) -> ParserFunction:
    def fn(ex: Expander, raw: str = "", *_rest: str) -> str:
        count = (ex.ctx.site.options or {}).get("statistics", {}).get(name, 0)
        return str(count) if raw.strip() == "R" else magicwords.format_num(count)

    return _plain(fn)


# case-insensitive names (lower case) and case-sensitive names
INSENSITIVE: dict[str, ParserFunction] = {
    "ns": _plain(textfunctions.ns),
    "nse": _plain(lambda ex, s="", *_: textfunctions.nse(ex, s)),
    "urlencode": _plain(textfunctions.urlencode),
    "lc": _plain(lambda ex, s="", *_: textfunctions.skip_markers(s, str.lower)),
    "uc": _plain(lambda ex, s="", *_: textfunctions.skip_markers(s, str.upper)),
    "lcfirst": _plain(lambda ex, s="", *_: s[:1].lower() + s[1:]),
    "ucfirst": _plain(lambda ex, s="", *_: textfunctions.ucfirst(s)),
    "localurl": _plain(lambda ex, s="", q=None, *_: textfunctions.local_url(ex, s, q)),
    "localurle": _plain(lambda ex, s="", q=None, *_: textfunctions.local_url(ex, s, q, True)),
    "fullurl": _plain(lambda ex, s="", q=None, *_: textfunctions.full_url(ex, s, q)),
    "fullurle": _plain(lambda ex, s="", q=None, *_: textfunctions.full_url(ex, s, q, True)),
    "canonicalurl": _plain(lambda ex, s="", q=None, *_: textfunctions.full_url(ex, s, q)),
    "canonicalurle": _plain(lambda ex, s="", q=None, *_: textfunctions.full_url(ex, s, q, True)),
    "formatnum": _plain(textfunctions.formatnum),
    "grammar": _plain(lambda ex, case="", word="", *_: textfunctions.kill_markers(word)),
    "gender": _plain(textfunctions.gender),
    "plural": _plain(textfunctions.plural),
    "bidi": _plain(textfunctions.bidi),
    "padleft": _plain(lambda ex, s="", n="0", p="0", *_: textfunctions.pad(s, n, p, True)),
    "padright": _plain(lambda ex, s="", n="0", p="0", *_: textfunctions.pad(s, n, p, False)),
    "anchorencode": _plain(textfunctions.anchorencode),
    "filepath": _plain(textfunctions.filepath),
    "int": _int,
    "pageid": _plain(lambda ex, *_: ""),
    "#special": _plain(textfunctions.special),
    "#speciale": _plain(lambda ex, s="", *_: url_form(textfunctions.special(ex, s))),
    "#tag": _tag,
    "#formatdate": _plain(textfunctions.formatdate),
    "#dateformat": _plain(textfunctions.formatdate),
    "#language": _plain(textfunctions.language),
    **logic.FUNCTIONS,
}
SENSITIVE: dict[str, ParserFunction] = {
    "DISPLAYTITLE": _plain(_displaytitle),
    "DEFAULTSORT": _plain(_defaultsort),
    "DEFAULTSORTKEY": _plain(_defaultsort),
    "DEFAULTCATEGORYSORT": _plain(_defaultsort),
    "PAGESINCATEGORY": _plain(_expensive_count),
    "PAGESINCAT": _plain(_expensive_count),
    "PAGESIZE": _plain(lambda ex, page="", raw="", *_: _page_size(ex, page, raw)),
    "PROTECTIONLEVEL": _plain(_expensive_empty),
    "PROTECTIONEXPIRY": _plain(_expensive_empty),
    "CASCADINGSOURCES": _plain(lambda ex, *_: ""),
    "NUMBERINGROUP": _plain(lambda ex, *_: "0"),
    "NUMINGROUP": _plain(lambda ex, *_: "0"),
    "REVISIONID": _plain(lambda ex, *_: ""),
    "REVISIONUSER": _plain(lambda ex, *_: ""),
    **{
        name: _number_of(name[8:].lower())
        for name in (
            "NUMBEROFPAGES",
            "NUMBEROFUSERS",
            "NUMBEROFACTIVEUSERS",
            "NUMBEROFARTICLES",
            "NUMBEROFFILES",
            "NUMBEROFADMINS",
            "NUMBEROFEDITS",
        )
    },
    **{
        name: _title_function(name)
        for name in (
            "PAGENAME",
            "PAGENAMEE",
            "FULLPAGENAME",
            "FULLPAGENAMEE",
            "SUBPAGENAME",
            "SUBPAGENAMEE",
            "BASEPAGENAME",
            "BASEPAGENAMEE",
            "ROOTPAGENAME",
            "ROOTPAGENAMEE",
            "TALKPAGENAME",
            "TALKPAGENAMEE",
            "SUBJECTPAGENAME",
            "SUBJECTPAGENAMEE",
            "ARTICLEPAGENAME",
            "ARTICLEPAGENAMEE",
            "NAMESPACE",
            "NAMESPACEE",
            "NAMESPACENUMBER",
            "TALKSPACE",
            "TALKSPACEE",
            "SUBJECTSPACE",
            "SUBJECTSPACEE",
            "ARTICLESPACE",
            "ARTICLESPACEE",
        )
    },
}


def call(ex: Expander, frame: Frame, name: str, first: str, args: list[Arg]) -> Result:
    """Run parser function `name`; None when there is none by that name."""
    fn = SENSITIVE.get(name)
    if fn is None:
        fn = INSENSITIVE.get(name.lower())
        if fn is None:
            return None
    return fn(ex, frame, first.strip(PHP_WS), args)
