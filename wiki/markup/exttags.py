"""Extension tags after preprocessing: calling their hooks in MediaWiki's order, and keeping what
site-provided hooks return to a safe subset of HTML.

The preprocessor leaves each extension tag behind a marker ("\\x7f'\\"`UNIQ--ref-0000000C-QINU`...");
`resolve_markers` calls the render's handler for them in the order the markers were made, which
is the order MediaWiki calls tag hooks: the tags inside a {{#tag:}} argument before the tag the
function makes, so a <ref> made by {{#tag:ref|...<ref>...</ref>}} holds its inner ref's mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from wiki.markup.escape import escape_attr, escape_text
from wiki.markup.html.sanitizer import check_css

PP_MARKER = re.compile(r"\x7f'\"`UNIQ--([a-z0-9-]+?)-([0-9A-F]{8})-QINU`\"'\x7f")
PP_PREFIX = "\x7f'\"`UNIQ--"
COMMENT = "comment"
_SOURCE = re.compile(r"<([^\s/>]+)([^>]*)>", re.S)


def parse_source(source: str) -> tuple[str, str, str | None] | None:
    """(name, attributes, inner or None for <tag/>) of a tag as the preprocessor wrote it."""
    m = _SOURCE.match(source)
    if not m:
        return None
    name, attrs = m.group(1), m.group(2)
    if m.end() == len(source) and attrs.endswith("/"):
        return name.lower(), attrs[:-1], None
    inner = source[m.end() :]
    close = re.search(r"</" + re.escape(name) + r"\s*>$", inner, re.I)
    if close:
        inner = inner[: close.start()]
    return name.lower(), attrs, inner


def resolve_markers(
    text: str,
    items: dict[str, str],
    call: Callable[[str], str],
    comment: Callable[[str, str], None],
) -> str:
    """Replace the preprocessor's tag markers in `text` by what `call(source)` answers.

    Tags are called once each, oldest marker first; a tag's source holds the answers for the
    tags made inside it. Comment markers stay and are handed to `comment(marker, html)`.
    """
    found: dict[str, int] = {}
    pending = [text]
    while pending:
        for m in PP_MARKER.finditer(pending.pop()):
            marker = m.group(0)
            if marker in found or marker not in items:
                continue
            if m.group(1) == COMMENT:
                comment(marker, items[marker])
                continue
            found[marker] = int(m.group(2), 16)
            pending.append(items[marker])
    if not found:
        return text
    done: dict[str, str] = {}

    def answer(m: re.Match[str]) -> str:
        return done.get(m.group(0), m.group(0))

    for marker in sorted(found, key=found.__getitem__):
        done[marker] = call(PP_MARKER.sub(answer, items[marker]))
    return PP_MARKER.sub(answer, text)


# --- what site hooks may return ---------------------------------------------------------------
MATHML = frozenset(
    "math semantics annotation annotation-xml mrow mi mn mo ms mtext mspace msup msub msubsup mfrac "
    "msqrt mroot mover munder munderover mtable mtr mtd mlabeledtr mstyle mpadded mphantom menclose "
    "mfenced merror mmultiscripts mprescripts none maction".split()
)
SAFE_TAGS = (
    frozenset("div span pre code p br table tbody tr td th a b i em strong sup sub small".split()) | MATHML
)
SAFE_ATTRS = frozenset(
    "class dir lang title data-line "
    # MathML presentation attributes
    "xmlns display mathvariant mathsize mathcolor mathbackground stretchy fence separator separators "
    "lspace rspace accent accentunder movablelimits largeop symmetric minsize maxsize linethickness "
    "columnalign rowalign columnspacing rowspacing columnlines rowlines frame framespacing "
    "equalrows equalcolumns displaystyle scriptlevel width height depth voffset notation open close "
    "encoding alttext form align bevelled numalign denomalign subscriptshift superscriptshift".split()
)
_VOID = frozenset({"br", "mspace", "mprescripts", "none"})
_SAFE_HREF = re.compile(r"^#[\w.:-]*$")


class _Filter(HTMLParser):
    """Re-serialises HTML keeping SAFE_TAGS and SAFE_ATTRS (and checked styles on boxes);
    other elements are dropped, their text kept as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            return
        kept = []
        for name, value in attrs:
            value = value or ""
            if name in SAFE_ATTRS or (name == "href" and tag == "a" and _SAFE_HREF.match(value)):
                kept.append(f' {name}="{escape_attr(value)}"')
            elif name == "style" and tag in ("div", "code", "span", "pre"):  # checked as wikitext's are
                kept.append(f' style="{escape_attr(check_css(value))}"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in SAFE_TAGS and tag not in _VOID and self.open and self.open[-1] == tag:
            self.open.pop()
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in SAFE_TAGS or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(escape_text(data))


def safe_html(html: str) -> str:
    """`html` with only SAFE_TAGS and SAFE_ATTRS left (scripts, handlers and URLs dropped)."""
    f = _Filter()
    f.feed(html)
    f.close()
    f.out.extend(f"</{tag}>" for tag in reversed(f.open))
    return "".join(f.out)
