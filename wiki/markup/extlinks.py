"""External links: [url text], numbered [url], bare URLs, and ISBN / RFC / PMID magic links."""

from __future__ import annotations

import re

from wiki.markup.context import RenderContext
from wiki.markup.escape import escape_attr, escape_text, php_urlencode, url_protocols_regex
from wiki.markup.html.sanitizer import decode_char_references

_URL_CHAR = r"[^\]\[<>\"\x00-\x20\x7f\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]"
_ADDR = rf"(?:[0-9.]+|\[(?i:[0-9a-f:.]+)\]|{_URL_CHAR})"
# "[url" then spaces; the label runs to the first "]" unless a newline or control char
# comes first (each stretch of text is searched for stops once, so unclosed brackets stay linear).
_BRACKET_URL = re.compile(
    r"\[(?=[A-Za-z/])((?i:" + url_protocols_regex() + rf"){_ADDR}{_URL_CHAR}*)"
    r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*"
)
_LABEL_STOP = re.compile(r"[\]\x00-\x08\x0a-\x1f\ufffd]")
_SPACE = r"(?:\t|&nbsp;|&\#0*160;|&\#[Xx]0*[Aa]0;|[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000])"
_MAGIC = re.compile(
    rf"""(?:
        (\b(?i:{url_protocols_regex(False)})({_ADDR}{_URL_CHAR}*)) |
        \b(?:RFC|PMID){_SPACE}++([0-9]+)\b |
        \bISBN{_SPACE}++((?:97[89](?:-|{_SPACE})?)?(?:[0-9](?:-|{_SPACE})?){{9}}[0-9Xx])\b
    )""",
    re.X | re.S,
)
_LT_GT = re.compile(r"&(lt|gt);")
_FREE_END = re.compile(r"&(lt|gt|nbsp|#x0*(3[CcEe]|[Aa]0)|#0*(60|62|160));")
_ENTITY_END = re.compile(r"&([a-z]+|#x[\da-f]+|#\d+)$", re.I)
_IMAGE = re.compile(
    r"^(https?://)([^\]\[<>\"\x00-\x20\x7f\s]+)/([A-Za-z0-9_.,~%\-+&;#*?!=()@\x80-\U0010ffff]+)"
    r"\.((?i:gif|png|jpg|jpeg))$"
)
_CLEAN = re.compile(r"[\]\[<>\"\x00-\x20\x7f|]")
_SPACE_RE = re.compile(_SPACE)


_URL_PARTS = re.compile(r"^([^:]+:)(//[^/]+)?(.*)$", re.S | re.I)
# Characters ignored in IDNs (RFC 8264 9.13), stripped from the host as MediaWiki does.
_HOST_INVISIBLE = re.compile(
    "\\s|[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_HOST_V6 = re.compile(r"^//%5B([0-9A-Fa-f:.]+)%5D((:\d+)?)$")


def clean_url(url: str) -> str:
    url = decode_char_references(url)
    url = _CLEAN.sub(lambda m: php_urlencode(m.group(0)), url)
    m = _URL_PARTS.match(url)
    if not m:
        return url
    proto, host, rest = m.group(1), m.group(2) or "", m.group(3)
    host = _HOST_INVISIBLE.sub("", host)
    v6 = _HOST_V6.match(host)
    if v6:
        host = f"//[{v6.group(1)}]{v6.group(2)}"
    return proto + host + rest


class ExternalLinks:
    """Numbering and attributes of the external links of one render."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self.autonumber = 0
        self.urls: list[str] = []

    def attribs(self, url: str) -> str:
        site = self.ctx.site
        if not site.nofollow:
            return ""
        host = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/?#:]*)", url, re.I)
        name = host.group(1).lower() if host else ""
        for domain in site.nofollow_exceptions:
            if name == domain or name.endswith("." + domain):
                return ""
        return ' rel="nofollow"'

    def make(self, url: str, text: str, link_type: str, escape: bool = False) -> str:
        if escape:
            text = escape_text(text)
        self.urls.append(url)
        return f'<a{self.attribs(url)} class="external {link_type}" href="{escape_attr(url)}">{text}</a>'

    def external_image(self, url: str) -> str | None:
        if not self.ctx.site.external_images or not _IMAGE.match(url):
            return None
        alt = escape_attr(url.rsplit("/", 1)[-1])
        return f'<img src="{escape_attr(url)}" alt="{alt}" />'

    def replace_bracketed(self, text: str) -> str:
        if "[" not in text:
            return text
        out: list[str] = []
        pos = 0
        size = len(text)
        close = -1  # the first stop character after the last search start: searches never overlap
        for cand in _BRACKET_URL.finditer(text):
            if cand.start() < pos:
                continue
            if close < cand.end():
                stop = _LABEL_STOP.search(text, cand.end())
                close = stop.start() if stop else size
            if close == size or text[close] != "]":
                continue
            out.append(text[pos : cand.start()])
            out.append(self._bracketed(cand.group(1), text[cand.end() : close]))
            pos = close + 1
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)

    def _bracketed(self, url: str, label: str) -> str:
        """One [url label] link; an empty label gets the next number."""
        m = _LT_GT.search(url)
        if m:
            label = url[m.start() :] + " " + label
            url = url[: m.start()]
        image = self.external_image(label)
        if image:
            label = image
        link_type = "text"
        if label == "":
            self.autonumber += 1
            label = f"[{self.autonumber}]"
            link_type = "autonumber"
        return self.make(clean_url(url), label, link_type)

    def free_link(self, url: str, num_post_proto: int) -> str:
        trail = ""
        m = _FREE_END.search(url)
        if m:
            trail = url[m.start() :]
            url = url[: m.start()]
        sep = ",;.:!?" + ("" if "(" in url else ")")
        n = len(url) - len(url.rstrip(sep))
        if n and url[len(url) - n] == ";" and _ENTITY_END.search(url[: len(url) - n]):
            n -= 1
        if n:
            trail = url[-n:] + trail
            url = url[:-n]
        if len(trail) >= num_post_proto:
            return url + trail
        url = clean_url(url)
        image = self.external_image(url)
        if image:
            return image + trail
        return self.make(url, url, "free", escape=True) + trail

    def magic(self, m: re.Match[str]) -> str:
        if m.group(1):
            return self.free_link(m.group(0), len(m.group(2)))
        if not self.ctx.site.magic_links:
            return m.group(0)
        if m.group(3):
            num = m.group(3)
            if m.group(0).startswith("RFC"):
                url = f"https://tools.ietf.org/html/rfc{num}"
                return self.make(url, f"RFC {num}", "mw-magiclink-rfc")
            url = f"//www.ncbi.nlm.nih.gov/pubmed/{num}?dopt=Abstract"
            return self.make(url, f"PMID {num}", "mw-magiclink-pmid")
        isbn = _SPACE_RE.sub(" ", m.group(4))
        num = isbn.replace("-", "").replace(" ", "").replace("x", "X")
        special = self.ctx.site.namespace_names.get(-1, "Special")
        href = self.ctx.site.article_path.replace("$1", f"{special}:BookSources/{num}")
        return f'<a href="{escape_attr(href)}" class="internal mw-magiclink-isbn">ISBN {isbn}</a>'

    def replace_magic(self, text: str) -> str:
        """Bare URLs and ISBN/RFC/PMID outside tags and outside existing links."""
        if not any(c in text for c in ":IRP"):
            return text
        out: list[str] = []
        pos = 0
        for start in _candidates(text):
            if start < pos or _inside_tag_or_link(text, start):
                continue
            m = _MAGIC.match(text, start)
            if not m:
                continue
            out.append(text[pos:start])
            out.append(self.magic(m))
            pos = m.end()
        if not out:
            return text
        out.append(text[pos:])
        return "".join(out)


_WINDOW = 8192
_SCHEMES = sorted({p.split(":")[0] for p in url_protocols_regex(False).replace("\\", "").split("|")})
# The scheme before a colon, matched on the reversed text before it: longest first, which is
# the leftmost start a forward search would find.
_SCHEME_REVERSED = re.compile(
    "(?:" + "|".join(s[::-1] for s in sorted(_SCHEMES, key=len, reverse=True)) + ")", re.I
)
_SCHEME_MAX = max(map(len, _SCHEMES))
_WORD = re.compile(r"\w")


def _candidates(text: str) -> list[int]:
    """Where a bare URL or an ISBN/RFC/PMID may start (cheap string searches first)."""
    found: list[int] = []
    i = text.find(":")
    while i >= 0:
        m = _SCHEME_REVERSED.match(text[max(0, i - _SCHEME_MAX) : i][::-1])
        if m:
            start = i - m.end()
            if start == 0 or not _WORD.match(text, start - 1):
                found.append(start)
        i = text.find(":", i + 1)
    for word in ("ISBN", "RFC", "PMID"):
        i = text.find(word)
        while i >= 0:
            if i == 0 or not _WORD.match(text, i - 1):
                found.append(i)
            i = text.find(word, i + 1)
    found.sort()
    return found


def _inside_tag_or_link(text: str, pos: int) -> bool:
    """Is `pos` inside a tag, or inside the text of an <a> element?"""
    lo = max(0, pos - _WINDOW)
    if text.rfind("<", lo, pos) > text.rfind(">", lo, pos):
        return True
    opened = max(text.rfind("<a ", lo, pos), text.rfind("<a>", lo, pos))
    return opened >= 0 and opened > text.rfind("</a>", lo, pos)
