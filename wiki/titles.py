"""Page titles as MediaWiki understands them: normalisation, namespaces, validity, URL forms.

Pure module (no Flask, no database). The namespace table is a value passed in, so the same
code serves the wiki and the parser-test site (which has extra namespaces).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import quote

MAX_TITLE_BYTES = 255

MAIN, TALK, USER, USER_TALK, PROJECT, PROJECT_TALK = 0, 1, 2, 3, 4, 5
FILE, FILE_TALK, MEDIAWIKI, MEDIAWIKI_TALK, TEMPLATE, TEMPLATE_TALK = 6, 7, 8, 9, 10, 11
HELP, HELP_TALK, CATEGORY, CATEGORY_TALK = 12, 13, 14, 15
SPECIAL, MEDIA = -1, -2

CANONICAL_NAMES = {
    MEDIA: "Media",
    SPECIAL: "Special",
    MAIN: "",
    TALK: "Talk",
    USER: "User",
    USER_TALK: "User talk",
    PROJECT: "Project",
    PROJECT_TALK: "Project talk",
    FILE: "File",
    FILE_TALK: "File talk",
    MEDIAWIKI: "MediaWiki",
    MEDIAWIKI_TALK: "MediaWiki talk",
    TEMPLATE: "Template",
    TEMPLATE_TALK: "Template talk",
    HELP: "Help",
    HELP_TALK: "Help talk",
    CATEGORY: "Category",
    CATEGORY_TALK: "Category talk",
}

_ILLEGAL = re.compile(
    r"[\[\]{}|<>\x00-\x1f\x7f]|%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\uffff]+;|&#[0-9]+;|&#x[0-9A-Fa-f]+;"
)
_SPACES = re.compile(r"[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e]")


class InvalidTitle(ValueError):
    """A title MediaWiki would reject; the message names the reason."""


def _key(name: str) -> str:
    return _SPACES.sub(" ", name).strip().lower()


@dataclass(frozen=True)
class Namespaces:
    """The namespace table of a site: id -> local name, plus aliases (case-insensitive)."""

    names: dict[int, str] = field(default_factory=lambda: dict(CANONICAL_NAMES))
    aliases: dict[str, int] = field(default_factory=dict)

    @classmethod
    def for_site(cls, project_name: str = "Project", extra: dict[int, str] | None = None) -> Namespaces:
        names = dict(CANONICAL_NAMES)
        names[PROJECT] = project_name
        names[PROJECT_TALK] = f"{project_name} talk"
        names.update(extra or {})
        aliases = {
            "image": FILE,
            "image talk": FILE_TALK,
            "project": PROJECT,
            "project talk": PROJECT_TALK,
        }
        return cls(names=names, aliases=aliases)

    def lookup(self, prefix: str) -> int | None:
        """The namespace id for a prefix such as 'user_talk', or None."""
        key = _key(prefix)
        if not key:
            return None
        for ns, name in self.names.items():
            if name and _key(name) == key:
                return ns
        for ns, name in CANONICAL_NAMES.items():
            if name and _key(name) == key:
                return ns
        return self.aliases.get(key)

    def name(self, ns: int) -> str:
        return self.names.get(ns, "")


DEFAULT_NAMESPACES = Namespaces.for_site()


def _ucfirst(text: str) -> str:
    if not text:
        return text
    first = text[0].upper()
    # Characters such as 'ß' upper-case to two letters; MediaWiki leaves them alone.
    return (first if len(first) == 1 else text[0]) + text[1:]


@dataclass(frozen=True)
class Title:
    namespace: int
    text: str  # display form without the namespace prefix: spaces, not underscores
    fragment: str = ""
    interwiki: str = ""
    ns_name: str = ""

    @property
    def dbkey(self) -> str:
        return self.text.replace(" ", "_")

    @functools.cached_property  # a frozen title's; lists ask it a few times per row
    def prefixed_text(self) -> str:
        """'User talk:Foo bar' (display form with namespace)."""
        text = f"{self.ns_name}:{self.text}" if self.ns_name else self.text
        return f"{self.interwiki}:{text}" if self.interwiki else text

    @property
    def prefixed_dbkey(self) -> str:
        return self.prefixed_text.replace(" ", "_")

    @property
    def url_key(self) -> str:
        """The title as it appears in a URL path, escaped as MediaWiki's wfUrlencode does."""
        return url_encode(self.prefixed_dbkey)

    def __str__(self) -> str:
        return self.prefixed_text


# What url_encode leaves as it is; most titles are made of nothing else and skip quote() (a changes
# list encodes hundreds of titles).
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~;:@$!*(),/-]*")


def url_encode(text: str) -> str:
    if _URL_SAFE.fullmatch(text):
        return text
    return quote(text, safe=";:@$!*(),/~")


def parse(
    text: str,
    namespaces: Namespaces = DEFAULT_NAMESPACES,
    default_namespace: int = MAIN,
    interwiki: Collection[str] = (),
) -> Title:
    """Normalise `text` into a Title, or raise InvalidTitle saying what is wrong."""
    if not isinstance(text, str):
        raise InvalidTitle("The title is missing.")
    text = html.unescape(text) if "&" in text else text
    text = unicodedata.normalize("NFC", _BIDI.sub("", text))
    fragment = ""
    if "#" in text:
        text, fragment = text.split("#", 1)
        fragment = _SPACES.sub(" ", fragment).strip()
    text = _SPACES.sub(" ", text).strip()
    namespace = default_namespace
    iw = ""
    if text.startswith(":"):
        namespace = MAIN
        text = text[1:].lstrip(" ")
    if ":" in text:
        prefix, rest = text.split(":", 1)
        ns = namespaces.lookup(prefix)
        if ns is not None:
            namespace, text = ns, rest.lstrip(" ")
        elif _key(prefix) in {p.lower() for p in interwiki}:
            iw, text = _key(prefix), rest.lstrip(" ")
            if text.startswith(":"):
                text = text[1:]
        if namespace == TALK and ns == TALK and ":" in text:
            inner = text.split(":", 1)[0]
            if namespaces.lookup(inner) is not None or _key(inner) in {p.lower() for p in interwiki}:
                raise InvalidTitle("A talk page cannot have a namespace or interwiki prefix.")
    _check(text, namespace, iw, fragment)
    if not iw:
        text = _ucfirst(text)
    return Title(namespace, text, fragment, iw, namespaces.name(namespace) if not iw else "")


def _check(text: str, namespace: int, iw: str, fragment: str) -> None:
    if not text:
        if iw or fragment:
            return
        raise InvalidTitle("The title is empty.")
    bad = _ILLEGAL.search(text)
    if bad:
        char = bad.group(0)
        shown = repr(char) if len(char) == 1 and ord(char) < 32 else f'"{char}"'
        raise InvalidTitle(f"The title contains the character {shown}, which is not allowed in titles.")
    if text.startswith(":"):
        raise InvalidTitle("The title starts with a colon.")
    if text in (".", "..") or text.startswith(("./", "../")) or "/./" in text or "/../" in text:
        raise InvalidTitle('The title is a relative path ("." or "..").')
    if text.endswith(("/.", "/..")):
        raise InvalidTitle('The title is a relative path ("." or "..").')
    if "~~~" in text:
        raise InvalidTitle('The title contains "~~~", which is reserved for signatures.')
    size = len(text.encode("utf-8"))
    if namespace != SPECIAL and size > MAX_TITLE_BYTES:
        raise InvalidTitle(f"The title is {size} bytes long; the limit is {MAX_TITLE_BYTES} bytes.")


def try_parse(text: str, namespaces: Namespaces = DEFAULT_NAMESPACES, **kw) -> Title | None:
    """parse() that answers None instead of raising."""
    try:
        return parse(text, namespaces, **kw)
    except InvalidTitle:
        return None
