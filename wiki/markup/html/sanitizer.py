"""HTML tags and attributes a page may contain, as MediaWiki's Sanitizer allows them.

Every `<` of the text either starts a tag on the allow-list (its attributes filtered per tag,
`style` checked, ids escaped) or becomes the visible text `&lt;`. Nothing else reaches the
output, so no `<script>`, no `on*=` attribute and no `javascript:` URL can be produced here.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from html.entities import html5

from wiki.markup.escape import escape_id, url_protocols_regex

_PAIRS = (
    "b bdi del i ins u font big small sub sup h1 h2 h3 h4 h5 h6 cite code em s strike strong "
    "tt var div center blockquote ol ul dl table caption pre ruby rb rp rt rtc p span abbr dfn "
    "kbd samp data time mark"
).split()
SINGLE = frozenset("br wbr hr li dt dd meta link".split())
SINGLE_ONLY = frozenset("br wbr hr meta link".split())
_NEST = (
    "table tr td th div blockquote ol ul li dl dt dd font big small sub sup span var kbd samp "
    "em strong q ruby bdo"
).split()
ELEMENTS = frozenset(_PAIRS) | SINGLE | frozenset(_NEST)

_COMMON = (
    "id class style lang dir title tabindex aria-describedby aria-flowto aria-hidden aria-label "
    "aria-labelledby aria-owns role about property resource datatype typeof itemid itemprop "
    "itemref itemscope itemtype"
).split()
_BLOCK = [*_COMMON, "align"]
_TABLEALIGN = ["align", "valign"]
_TABLECELL = "abbr axis headers scope rowspan colspan nowrap width height bgcolor".split()


def _allow(*groups: list[str] | str) -> frozenset[str]:
    out: set[str] = set()
    for g in groups:
        out.update(g.split() if isinstance(g, str) else g)
    return frozenset(out)


ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "div": _allow(_BLOCK),
    "center": _allow(_COMMON),
    "span": _allow(_COMMON),
    **{f"h{i}": _allow(_BLOCK) for i in range(1, 7)},
    "p": _allow(_BLOCK),
    "br": _allow(_COMMON, "clear"),
    "blockquote": _allow(_COMMON, "cite"),
    "q": _allow(_COMMON, "cite"),
    "pre": _allow(_COMMON, "width"),
    "ins": _allow(_COMMON, "cite datetime"),
    "del": _allow(_COMMON, "cite datetime"),
    "ul": _allow(_COMMON, "type"),
    "ol": _allow(_COMMON, "type start reversed"),
    "li": _allow(_COMMON, "type value"),
    "dl": _allow(_COMMON),
    "dd": _allow(_COMMON),
    "dt": _allow(_COMMON),
    "table": _allow(_COMMON, "summary width border frame rules cellspacing cellpadding align bgcolor"),
    "caption": _allow(_BLOCK),
    "thead": _allow(_COMMON, _TABLEALIGN),
    "tfoot": _allow(_COMMON, _TABLEALIGN),
    "tbody": _allow(_COMMON, _TABLEALIGN),
    "colgroup": _allow(_COMMON, "span", _TABLEALIGN),
    "col": _allow(_COMMON, "span width", _TABLEALIGN),
    "tr": _allow(_COMMON, "bgcolor", _TABLEALIGN),
    "td": _allow(_COMMON, _TABLECELL, _TABLEALIGN),
    "th": _allow(_COMMON, _TABLECELL, _TABLEALIGN),
    "a": _allow(_COMMON, "href rel rev"),
    "font": _allow(_COMMON, "size color face"),
    "hr": _allow(_COMMON, "width"),
    "rt": _allow(_COMMON, "rbspan"),
    "data": _allow(_COMMON, "value"),
    "time": _allow(_COMMON, "datetime"),
    "meta": _allow("itemprop content"),
    "link": _allow("itemprop href title"),
}
for _tag in (
    "tt b i big small strike s u rp rb rtc ruby abbr dfn kbd samp var cite code em strong "
    "sub sup bdi bdo mark"
).split():
    ALLOWED_ATTRIBUTES[_tag] = _allow(_COMMON)

_ELEMENT_BITS = re.compile(r"^(/?)([A-Za-z][^\t\n\v />\0]*)([^>]*?)(/?>)([^<]*)$", re.S)
_SPACE = r"[\t\n\x0c\r ]"
# MediaWiki 1.39's pairs: a name is any run without space, "/", ">" or "=" (a quote too, so that
# `name=""x" y"` reads name="" and the names `x"` and `y"`, which the name check then drops).
_ATTRIBS = re.compile(
    rf"""((?:[^\t\n\x0c\r />=]|=)[^\t\n\x0c\r />=]*)
    ({_SPACE}*={_SPACE}*
      (?:"([^"]*)(?:"|$)|'([^']*)(?:'|$)|((?:(?!{_SPACE}|>).)*))
    )?""",
    re.X | re.S,
)
_VALID_ATTR_NAME = re.compile(r"^[:_\w][:_.\-\w]*$")
_EVIL_URI = re.compile(r"(^|\s|\*/\s*)(javascript|vbscript)([^\w]|$)", re.I)
_XMLNS = re.compile(r"^xmlns:[:A-Z_a-z-.0-9]+$")
_RESERVED_DATA = re.compile(r"^data-(ooui|mw|parsoid)", re.I)
_DATA_ATTR = re.compile(r"^data-[^:= \t\r\n/>\0_\uff3f]*$", re.I)


# --- character references ---------------------------------------------------------------

_HTML_ENTITIES = {k[:-1]: v for k, v in html5.items() if k.endswith(";")}
_ENTITY_ALIASES = {"\u05e8\u05dc\u05de": "rlm", "\u0631\u0644\u0645": "rlm"}
_CHAR_REFS = re.compile(r"&([A-Za-z0-9\x80-\uffff]+);|&#([0-9]+);|&#[xX]([0-9A-Fa-f]+);|&")


def _valid_codepoint(cp: int) -> bool:
    return (
        cp in (0x09, 0x0A)
        or 0x20 <= cp <= 0x7E
        or 0xA0 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


def _normalize_ref(m: re.Match[str]) -> str:
    name, dec, hexa = m.group(1), m.group(2), m.group(3)
    if name is not None:
        if name in _HTML_ENTITIES:
            return f"&{name};"
        if name in _ENTITY_ALIASES:
            return f"&{_ENTITY_ALIASES[name]};"
        return f"&amp;{name};"
    if dec is not None:
        cp = _number(dec, 10)
        return f"&#{cp};" if _valid_codepoint(cp) else f"&amp;#{dec};"
    if hexa is not None:
        cp = _number(hexa, 16)
        return f"&#x{cp:x};" if _valid_codepoint(cp) else f"&amp;#x{hexa};"
    return "&amp;"


# The common entities are already in normal form: the search skips them.
_CHAR_REFS_TO_NORMALIZE = re.compile(
    r"&(?!(?:amp|lt|gt|quot|nbsp);)(?:([A-Za-z0-9\x80-\uffff]+);|#([0-9]+);|#[xX]([0-9A-Fa-f]+);|)"
)


def normalize_char_references(text: str) -> str:
    """Keep valid entities and numeric references; escape every other `&`."""
    if "&" not in text:
        return text
    return _CHAR_REFS_TO_NORMALIZE.sub(_normalize_ref, text)


def _number(digits: str, base: int) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits, base) if len(digits) < 9 else -1


def _decode_ref(m: re.Match[str]) -> str:
    name, dec, hexa = m.group(1), m.group(2), m.group(3)
    if name is not None:
        name = _ENTITY_ALIASES.get(name, name)
        return _HTML_ENTITIES.get(name, m.group(0))
    cp = _number(dec, 10) if dec is not None else _number(hexa, 16)
    return chr(cp) if _valid_codepoint(cp) else "\ufffd"


def decode_char_references(text: str) -> str:
    if "&" not in text:
        return text
    return _CHAR_REFS.sub(lambda m: "&" if m.group(0) == "&" else _decode_ref(m), text)


def escape_html_allow_entities(text: str) -> str:
    """Escape markup but keep character references (what <nowiki> does)."""
    text = decode_char_references(text)
    return html.escape(text, quote=False).replace('"', "&quot;")


# --- CSS -----------------------------------------------------------------------------

_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \n\r\t\f]?|(.)|$)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_INSECURE = re.compile(
    r"expression|filter\s*:|accelerator\s*:|-o-link\s*:|-o-link-source\s*:|-o-replace\s*:"
    r"|url\s*\(|image\s*\(|image-set\s*\(|attr\s*\([^)]+[\s,]+url",
    re.I,
)
_CSS_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _css_unescape(m: re.Match[str]) -> str:
    if m.group(1):
        cp = int(m.group(1), 16)
        return chr(cp) if _valid_codepoint(cp) and cp else "\ufffd"
    if m.group(2) is not None:
        return "" if m.group(2) == "\n" else m.group(2)
    return ""


def check_css(value: str) -> str:
    """The style value if it is harmless, else a CSS comment saying why it was dropped."""
    value = decode_char_references(value)
    value = _CSS_ESCAPE.sub(_css_unescape, value)
    value = _CSS_COMMENT.sub(" ", value)
    if "/*" in value:
        value = value[: value.index("/*")]
    if _CSS_CONTROL.search(value) or "\ufffd" in value:
        return "/* invalid control char */"
    folded = value.translate(_FULLWIDTH)
    if _CSS_INSECURE.search(folded) or _CSS_INSECURE.search(folded.replace("\u0280", "r")):
        return "/* insecure input */"
    return value


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


# --- attributes ----------------------------------------------------------------------


def decode_tag_attributes(text: str) -> dict[str, str]:
    """Parse `a="b" c=d e` into a dict (names lower-cased, values decoded)."""
    attribs: dict[str, str] = {}
    if not text.strip():
        return attribs
    for m in _ATTRIBS.finditer(text):
        name = m.group(1).lower()
        if not _VALID_ATTR_NAME.match(name):
            continue
        if m.group(2) is None:
            value = ""
        else:
            value = next((g for g in m.group(3, 4, 5) if g is not None), "")
        value = re.sub(r"[\t\r\n ]+", " ", value).strip()
        attribs[name] = decode_char_references(value)
    return attribs


_HREF_OK = None


def _href_ok(value: str) -> bool:
    global _HREF_OK
    if _HREF_OK is None:
        _HREF_OK = re.compile(r"^(" + url_protocols_regex() + r")[^\s]|^/|^\.|^#|^[^:]*$", re.I)
    return bool(_HREF_OK.match(value))


def validate_attributes(attribs: dict[str, str], tag: str) -> dict[str, str]:
    """Keep the attributes allowed on `tag`, with safe values."""
    allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
    out: dict[str, str] = {}
    for name, value in attribs.items():
        if _XMLNS.match(name):
            if not _EVIL_URI.search(value):
                out[name] = value
            continue
        if (not _DATA_ATTR.match(name) and name not in allowed) or _RESERVED_DATA.match(name):
            continue
        if name == "style":
            value = check_css(value)
        elif name == "id":
            value = escape_id(value)
        elif name in ("aria-describedby", "aria-flowto", "aria-labelledby", "aria-owns"):
            value = " ".join(escape_id(v) for v in value.split())
        if name in _URI_ATTRS and _EVIL_URI.search(value):
            continue
        if name in ("href", "src", "poster") and not _href_ok(value):
            continue
        if name == "tabindex" and value != "0":
            continue
        out[name] = value
    if "itemscope" not in out:
        for name in ("itemtype", "itemid", "itemref"):
            out.pop(name, None)
    return out


_URI_ATTRS = frozenset(
    "rel rev about property resource datatype typeof itemid itemprop itemref itemscope itemtype".split()
)

_ATTR_ESCAPES = {
    "{": "&#123;",
    "}": "&#125;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}
_ATTR_WORDS = re.compile(r"''|ISBN|RFC|PMID|__")
_ATTR_WORD_ESC = {
    "''": "&#39;&#39;",
    "ISBN": "&#73;SBN",
    "RFC": "&#82;FC",
    "PMID": "&#80;MID",
    "__": "&#95;_",
}
_PROTO_RE = None


def safe_encode_attribute(value: str) -> str:
    """Escape an attribute value so no later wikitext pass can touch it."""
    global _PROTO_RE
    value = html.escape(value, quote=True).replace("&#x27;", "'")
    value = "".join(_ATTR_ESCAPES.get(c, c) for c in value) if _needs_esc(value) else value
    value = _ATTR_WORDS.sub(lambda m: _ATTR_WORD_ESC[m.group(0)], value)
    if _PROTO_RE is None:
        _PROTO_RE = re.compile("(" + url_protocols_regex() + ")", re.I)
    if ":" in value:
        value = _PROTO_RE.sub(lambda m: m.group(1).replace(":", "&#58;"), value)
    return value


def _needs_esc(value: str) -> bool:
    return any(c in value for c in "{}[]|\n\r\t")


def encode_attributes(attribs: dict[str, str]) -> str:
    return "".join(f' {html.escape(k)}="{safe_encode_attribute(v)}"' for k, v in attribs.items())


def fix_tag_attributes(text: str, tag: str) -> str:
    """The sanitised attribute string (with a leading space) for a tag's raw attributes."""
    if not text.strip():
        return ""
    return _fixed_attributes(text, tag)


@functools.lru_cache(maxsize=4096)
def _fixed_attributes(text: str, tag: str) -> str:
    # Pure, and pages repeat the same attributes (class="wikitable") many times.
    return encode_attributes(validate_attributes(decode_tag_attributes(text), tag))


def _valid_tag(params: str, tag: str) -> bool:
    if tag not in ("meta", "link"):
        return True
    attribs = decode_tag_attributes(params)
    if tag == "meta":
        return "itemprop" in attribs and "content" in attribs
    return "itemprop" in attribs and "href" in attribs


def remove_html_tags(text: str, unstrip: Callable[[str], str] = str) -> str:
    """Escape every tag that is not allowed; clean the attributes of those that are.

    `unstrip` puts strip markers in attribute values back (`style="<nowiki>...</nowiki>"`).
    """
    bits = text.split("<")
    out = [bits[0].replace(">", "&gt;")]
    for bit in bits[1:]:
        m = _ELEMENT_BITS.match(bit)
        if m:
            slash, tag, params, brace, rest = m.groups()
            tag = tag.lower()
            if tag in ELEMENTS and _valid_tag(params, tag):
                if brace == "/>" and tag not in SINGLE:
                    brace = ">"
                attrs = fix_tag_attributes(unstrip(params), tag) if not slash else ""
                if brace == "/>" and tag not in SINGLE_ONLY:
                    brace = f"></{tag}>"
                out.append(f"<{slash}{tag}{attrs}{brace}{rest.replace('>', '&gt;')}")
                continue
        out.append("&lt;" + bit.replace(">", "&gt;"))
    return "".join(out)
