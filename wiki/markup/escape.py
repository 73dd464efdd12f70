"""Small escaping helpers shared by the passes: ids, URLs, protocols, text."""

from __future__ import annotations

import html
import re
from functools import cache, lru_cache
from urllib.parse import quote

URL_PROTOCOLS = (
    "bitcoin:", "ftp://", "ftps://", "geo:", "git://", "gopher://", "http://", "https://",
    "irc://", "ircs://", "magnet:", "mailto:", "matrix:", "mms://", "news:", "nntp://",
    "redis://", "sftp://", "sip:", "sips:", "sms:", "ssh://", "svn://", "tel:", "telnet://",
    "urn:", "worldwind://", "xmpp:", "//",
)  # fmt: skip


@cache
def url_protocols_regex(relative: bool = True) -> str:
    """Alternation of the URL protocols MediaWiki links (with '//' unless relative=False)."""
    protos = [p for p in URL_PROTOCOLS if relative or p != "//"]
    return "|".join(re.escape(p) for p in protos)


def escape_text(text: str) -> str:
    """htmlspecialchars: & < > and double quotes."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def escape_attr(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


def php_urlencode(text: str) -> str:
    """PHP's urlencode(): alphanumerics and -_. kept, space as '+'."""
    return quote(text, safe="-_.~").replace("~", "%7E").replace("%20", "+")


@lru_cache(maxsize=8192)
def escape_id(text: str) -> str:
    """An id attribute in MediaWiki's legacy fragment mode ('é' -> '.C3.A9')."""
    encoded = php_urlencode(text.replace(" ", "_"))
    return encoded.replace("%3A", ":").replace("%", ".")


@lru_cache(maxsize=8192)  # pure, and pages link to the same titles again and again
def wf_url_encode(text: str) -> str:
    """wfUrlencode: the title or query part of a local URL."""
    return quote(text, safe=";:@$!*(),/~")


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]*>", "", text)
