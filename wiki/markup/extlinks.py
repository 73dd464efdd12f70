"""External links: [url text], numbered [url], bare URLs, and ISBN / RFC / PMID magic links."""

from __future__ import annotations

import re
from urllib.parse import quote

from .context import RenderContext
from .escape import escape_attr, escape_text, url_protocols_regex
from .links import split_trail
from .sanitizer import decode_char_references

_URL_CHAR = r"[^\]\[<>\"\x00-\x20\x7f\s\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffd]"
_ADDR = rf"(?:[0-9.]+|\[(?i:[0-9a-f:.]+)\]|{_URL_CHAR})"
_BRACKETED = re.compile(
    r"\[((?i:" + url_protocols_regex() + rf"){_ADDR}{_URL_CHAR}*)"
    r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*([^\]\x00-\x08\x0a-\x1f\ufffd]*?)\]"
)
_SPACE = r"(?:\t|&nbsp;|&\#0*160;|&\#[Xx]0*[Aa]0;|[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000])"
_MAGIC = re.compile(
    rf"""(?:
        (<a[ \t\r\n>].*?</a>) |
        (<.*?>) |
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


def clean_url(url: str) -> str:
    url = decode_char_references(url)
    url = _CLEAN.sub(lambda m: quote(m.group(0), safe=""), url)
    m = re.match(r"^([^:]+:)(//[^/]+)?(.*)$", url, re.S | re.I)
    if not m:
        return url
    proto, host, rest = m.group(1), m.group(2) or "", m.group(3)
    host = re.sub(r"\s|\u00ad|\u180e|\u200b|\u2060|\u3164|\ufeff|\uffa0|[\ufe00-\ufe0f]", "", host)
    v6 = re.match(r"^//%5B([0-9A-Fa-f:.]+)%5D((:\d+)?)$", host)
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
        bits = _BRACKETED.split(text)
        out = [bits[0]]
        for i in range(1, len(bits), 3):
            url, label, trail = bits[i], bits[i + 1], bits[i + 2]
            m = _LT_GT.search(url)
            if m:
                label = url[m.start() :] + " " + label
                url = url[: m.start()]
            image = self.external_image(label)
            if image:
                label = image
            dtrail = ""
            link_type = "text"
            if label == "":
                self.autonumber += 1
                label = f"[{self.autonumber}]"
                link_type = "autonumber"
            else:
                dtrail, trail = split_trail(trail)
            out.append(self.make(clean_url(url), label, link_type) + dtrail + trail)
        return "".join(out)

    def free_link(self, url: str, num_post_proto: int) -> str:
        trail = ""
        m = _FREE_END.search(url)
        if m:
            trail = url[m.start() :]
            url = url[: m.start()]
        sep = ",;.:!?" + ("" if "(" in url else ")")
        n = len(url) - len(url.rstrip(sep))
        if n and url[len(url) - n] == ";" and _ENTITY_END.search(url[: len(url) - n + 1]):
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
        if m.group(1) or m.group(2):
            return m.group(0)
        if m.group(3):
            return self.free_link(m.group(0), len(m.group(4)))
        if not self.ctx.site.magic_links:
            return m.group(0)
        if m.group(5):
            num = m.group(5)
            if m.group(0).startswith("RFC"):
                url = f"https://tools.ietf.org/html/rfc{num}"
                return self.make(url, f"RFC {num}", "mw-magiclink-rfc")
            url = f"//www.ncbi.nlm.nih.gov/pubmed/{num}?dopt=Abstract"
            return self.make(url, f"PMID {num}", "mw-magiclink-pmid")
        isbn = _SPACE_RE.sub(" ", m.group(6))
        num = isbn.replace("-", "").replace(" ", "").replace("x", "X")
        special = self.ctx.site.namespace_names.get(-1, "Special")
        href = self.ctx.site.article_path.replace("$1", f"{special}:BookSources/{num}")
        return f'<a href="{escape_attr(href)}" class="internal mw-magiclink-isbn">ISBN {isbn}</a>'

    def replace_magic(self, text: str) -> str:
        if not any(c in text for c in ":IRP"):
            return text
        return _MAGIC.sub(self.magic, text)
