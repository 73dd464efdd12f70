"""Headings: `== x ==` lines, their anchors, section edit links and the table of contents.

Anchors follow MediaWiki's legacy fragment mode ('é' -> '.C3.A9'); a repeated anchor gets
'_2', '_3'... The TOC appears at 4 or more headings, where `__TOC__` stands, or with
`__FORCETOC__`; `__NOTOC__` suppresses it and `__NOEDITSECTION__` the edit links.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.markup.context import Heading, RenderContext
from wiki.markup.escape import escape_attr, escape_id
from wiki.markup.html.sanitizer import decode_char_references
from wiki.markup.limits import UNLIMITED, Budget

SECTION_MARK = "\x7fSECTION\x7f"
# The preprocessor's marker after the opening '=' of a heading: heading_origins[N] tells
# which page (this one or a template) and which section index the heading came from.
PP_MARK = re.compile(r"\x7f'\"`UNIQ--h-(\d+)--QINU`\"'\x7f")
TOC_PLACEHOLDER = "<!--MWTOC'\"-->"
# Where the TOC goes: as in MediaWiki, a block-level placeholder element that the block pass
# and tidying see instead of the TOC, which is tidied on its own and put in at the end.
TOC_MARK = "<mw:tocplace></mw:tocplace>"
# One pass for all levels: backtracking tries 6 '=' first, then 5..., as MediaWiki's loop does.
_HEADING_RE = re.compile(r"^(={1,6})[ \t]*(.+?)[ \t]*\1\s*$", re.M)
_HEADLINES = re.compile(r"<H([1-6])(.*?>)([\s\S]*?)</H[1-6] *>", re.I)
_SPLIT = re.compile(r"<H[1-6].*?>[\s\S]*?</H[1-6]>", re.I)
_TOC_DROP = re.compile(r"<(?!/?(span|sup|sub|bdi|i|b|s|strike|q)(?: [^>]*)?>).*?>")
_TOC_KEEP = re.compile(r"<(/?(?:span(?: dir=\"(?:rtl|ltr)\")?|sup|sub|bdi|i|b|s|strike|q))(?: .*?)?>")
_STYLE_SCRIPT = re.compile(r"<(style|script)(?: [^>]*[^>/])?>.*?</\1>", re.I | re.S)
_ANY_TAG = re.compile(r"<.*?>")
_WS = re.compile(r"[ _]+")


def do_headings(text: str) -> str:
    """Turn `==x==` lines into <hN> elements marked as sections of this page."""
    if "=" not in text:
        return text
    # Only lines starting with "=" can be headings: jump to them rather than try every line.
    out: list[str] = []
    last = 0
    i = 0 if text[0] == "=" else _next_line(text, 0)
    while i >= 0:
        m = _HEADING_RE.match(text, i)
        if m:
            out.append(text[last : m.start()])
            out.append(_heading(len(m.group(1)), m.group(2)))
            last = i = m.end()
        i = _next_line(text, i)
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _next_line(text: str, pos: int) -> int:
    """Start of the next line after `pos` that begins with "=", or -1."""
    k = text.find("\n=", pos)
    return k + 1 if k >= 0 else -1


def _heading(level: int, inner: str) -> str:
    # Only headings the preprocessor marked are sections of a page (edit links).
    return f"<h{level}>{inner}</h{level}>"


@dataclass
class TocOptions:
    show_toc: bool = True
    force_toc: bool = False  # __FORCETOC__
    toc_position: bool = False  # __TOC__ placeholder present
    edit_links: bool = True
    origins: list[tuple[str, int]] = field(default_factory=list)  # from the preprocessor


@dataclass
class HeadingsResult:
    html: str
    headings: list[Heading] = field(default_factory=list)
    toc: str = ""  # the TOC's HTML, put in place of TOC_MARK once the page is tidied


class _Toc:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def indent(self) -> None:
        self.parts.append("\n<ul>\n")

    def unindent(self, levels: int) -> None:
        self.parts.append("</li>\n" + "</ul>\n</li>\n" * max(levels, 0))

    def line_end(self) -> None:
        self.parts.append("</li>\n")

    def line(self, anchor: str, text: str, number: str, level: int, section: int | None) -> None:
        cls = f"toclevel-{level}" + (f" tocsection-{section}" if section is not None else "")
        self.parts.append(
            f'<li class="{cls}"><a href="#{escape_attr(anchor)}"><span class="tocnumber">'
            f'{number}</span> <span class="toctext">{text}</span></a>'
        )

    def html(self) -> str:
        return (
            '<div id="toc" class="toc" role="navigation" aria-labelledby="mw-toc-heading">'
            '<input type="checkbox" role="button" id="toctogglecheckbox" '
            'class="toctogglecheckbox" style="display:none" />'
            '<div class="toctitle" lang="en" dir="ltr"><h2 id="mw-toc-heading">Contents</h2>'
            '<span class="toctogglespan"><label class="toctogglelabel" for="toctogglecheckbox">'
            "</label></span></div>" + "".join(self.parts) + "</ul>\n</div>\n"
        )


def _edit_link(ctx: RenderContext, page: str, section: str, hint: str, bases: dict[str, str]) -> str:
    from wiki.markup.links import local_url

    if page not in bases:  # the edit URL of a page, but for the section number
        title = ctx.site.parse_title(page, default_namespace=0) or ctx.title
        bases[page] = escape_attr(local_url(ctx, title, "action=edit&section="))
    href = bases[page] + escape_attr(section)
    tip = escape_attr("Edit section: " + decode_char_references(hint))
    return (
        '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
        f'<a href="{href}" title="{tip}">edit</a>'
        '<span class="mw-editsection-bracket">]</span></span>'
    )


def format_headings(
    text: str,
    ctx: RenderContext,
    opts: TocOptions,
    plain: Callable[[str], str],
    budget: Budget = UNLIMITED,
) -> HeadingsResult:
    """Give headings their anchors and edit links, and insert the TOC.

    `plain` turns heading HTML with holders and strip markers into displayable HTML; the
    HTML made is counted against `budget` heading by heading.
    """
    matches = list(_HEADLINES.finditer(text))
    made = len(text)
    if not matches:
        return HeadingsResult(text.replace(TOC_PLACEHOLDER, ""))
    enough = opts.show_toc and (len(matches) >= 4 or opts.toc_position)
    if opts.force_toc:
        enough = True
    toc = _Toc()
    heads: list[str] = []
    headings: list[Heading] = []
    refers: set[str] = set()
    suffixes: dict[str, int] = {}
    edit_bases: dict[str, str] = {}
    sublevel: dict[int, int] = {}
    level_count: dict[int, int] = {}
    level = prevlevel = toclevel = prevtoclevel = 0
    num_visible = 0
    section = 0
    max_level = 999
    for m in matches:
        level_s, attrib, headline = m.group(1), m.group(2), m.group(3)
        section_index: int | None = None
        page, section_id = ctx.title.prefixed_text, ""
        mark = PP_MARK.match(headline)
        if mark and int(mark.group(1)) < len(opts.origins):
            page, index = opts.origins[int(mark.group(1))]
            headline = headline[mark.end() :].lstrip()
            if page == ctx.title.prefixed_text:
                section_index, section_id = index, str(index)
            else:
                section_id = f"T-{index}"
        elif headline.startswith(SECTION_MARK):
            section += 1
            section_index = section
            section_id = str(section)
            headline = headline[len(SECTION_MARK) :].lstrip()
        if toclevel:
            prevlevel = level
        level = int(level_s)
        if level > prevlevel:
            toclevel += 1
            sublevel[toclevel] = 0
            if toclevel < max_level:
                prevtoclevel = toclevel
                toc.indent()
                num_visible += 1
        elif level < prevlevel and toclevel > 1:
            i = toclevel
            while i > 0:
                if level_count.get(i) == level:
                    toclevel = i
                    break
                if level_count.get(i, 0) < level:
                    toclevel = i + 1
                    break
                i -= 1
            if i == 0:
                toclevel = 1
            toc.unindent(prevtoclevel - toclevel)
            prevtoclevel = toclevel
        else:
            toc.line_end()
        level_count[toclevel] = level
        sublevel[toclevel] = sublevel.get(toclevel, 0) + 1
        numbering = ".".join(str(sublevel[i]) for i in range(1, toclevel + 1) if sublevel.get(i))
        safe = plain(headline)
        if "<" in safe:
            safe = _STYLE_SCRIPT.sub("", safe)
            tocline = _TOC_KEEP.sub(r"<\1>", _TOC_DROP.sub("", safe))
            tocline = tocline.replace("<span></span>", "").strip()
            safe = _ANY_TAG.sub("", safe)
        else:
            tocline = safe.strip()
        safe = _WS.sub(" ", safe).strip()
        hint = safe
        anchor = escape_id(decode_char_references(safe))
        key = anchor.lower()
        if key in refers:
            # The smallest free suffix never shrinks (refers only grows): resume from the last.
            i = suffixes.get(key, 2)
            while f"{key}_{i}" in refers:
                i += 1
            suffixes[key] = i + 1
            anchor += f"_{i}"
            refers.add(f"{key}_{i}")
        else:
            refers.add(key)
        if enough:
            toc.line(anchor, tocline, numbering, toclevel, section_index)
        edit = ""
        if opts.edit_links and ctx.site.section_edit_links and section_id:
            edit = _edit_link(ctx, page, section_id, hint, edit_bases)
        head = (
            f'<h{level}{attrib}<span class="mw-headline" id="{escape_attr(anchor)}">'
            f"{headline}</span>{edit}</h{level}>"
        )
        heads.append(head)
        made += 2 * len(head) if enough else len(head)  # a TOC line is about as long again
        budget.check_size(made)
        budget.tick()
        headings.append(Heading(level, decode_char_references(hint), anchor, numbering, section_index))
    if num_visible < 1:
        enough = False
    toc_html = ""
    if enough:
        if 0 < prevtoclevel < max_level:
            toc.unindent(prevtoclevel - 1)
        toc_html = toc.html()
    blocks = _SPLIT.split(text)
    out = [blocks[0]]
    for i, block in enumerate(blocks[1:]):
        out.append(heads[i] + block)
    if enough and not opts.toc_position:
        out[0] += TOC_MARK + "\n"
    full = "".join(out)
    if opts.toc_position:
        full = full.replace(TOC_PLACEHOLDER, TOC_MARK if toc_html else "", 1).replace(TOC_PLACEHOLDER, "")
    return HeadingsResult(full, headings, toc_html)
