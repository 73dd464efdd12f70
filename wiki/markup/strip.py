"""Strip markers: pieces of finished HTML hidden from the later wikitext passes.

Extension tags (`<nowiki>`, `<pre>`, `<ref>`, `<references>`) are cut out of the text after
preprocessing and replaced by a marker such as "\\x7f'\"`UNIQ-nowiki-00000003-QINU`\"'\\x7f";
the markers go back in at the end, as MediaWiki's StripState does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

MARKER_PREFIX = "\x7f'\"`UNIQ-"
MARKER_SUFFIX = "-QINU`\"'\x7f"
MARKER_RE = re.compile(r"\x7f'\"`UNIQ-([a-z-]+)-([0-9A-F]{8})-QINU`\"'\x7f")

EXTENSION_TAGS = ("nowiki", "pre", "ref", "references", "poem", "gallery", "indicator")
_TAG_OPEN = re.compile(
    r"<(" + "|".join(EXTENSION_TAGS) + r")((?:\s[^>]*?)?)(/?)>",
    re.I,
)


@dataclass
class StripState:
    nowiki: dict[str, str] = field(default_factory=dict)
    general: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def add(self, name: str, html: str, kind: str = "general") -> str:
        self.counter += 1
        marker = f"{MARKER_PREFIX}{name}-{self.counter:08X}{MARKER_SUFFIX}"
        (self.nowiki if kind == "nowiki" else self.general)[marker] = html
        return marker

    def _unstrip(self, text: str, table: dict[str, str]) -> str:
        if not table or "\x7f" not in text:
            return text
        for _ in range(20):  # markers inside markers: bounded
            new = MARKER_RE.sub(lambda m: table.get(m.group(0), m.group(0)), text)
            if new == text:
                break
            text = new
        return text

    def unstrip_nowiki(self, text: str) -> str:
        return self._unstrip(text, self.nowiki)

    def unstrip_general(self, text: str) -> str:
        return self._unstrip(text, self.general)

    def unstrip_all(self, text: str) -> str:
        if "\x7f" not in text:
            return text
        for _ in range(5):
            new = self.unstrip_general(self.unstrip_nowiki(text))
            if new == text:
                break
            text = new
        return text


TagHandler = Callable[[str, str, str | None], tuple[str, str]]
_OPENERS: dict[frozenset[str], re.Pattern[str]] = {}


def _opener(extra: frozenset[str]) -> re.Pattern[str]:
    if not extra:
        return _TAG_OPEN
    found = _OPENERS.get(extra)
    if found is None:
        names = "|".join(re.escape(n) for n in sorted(set(EXTENSION_TAGS) | extra))
        found = _OPENERS[extra] = re.compile(r"<(" + names + r")((?:\s[^>]*?)?)(/?)>", re.I)
    return found


def extract_tags(
    text: str, handler: TagHandler, strip: StripState, extra: frozenset[str] = frozenset()
) -> str:
    """Replace each extension tag (EXTENSION_TAGS and `extra`) by a strip marker.

    `handler(name, attrs, content)` answers (html, kind); content is None for `<tag/>`.
    A tag without its closing tag stays as text (the sanitizer then escapes it).
    """
    if "<" not in text:
        return text
    opener = _opener(extra)
    out: list[str] = []
    pos = 0
    no_close: set[str] = set()
    while True:
        m = opener.search(text, pos)
        if not m:
            break
        name = m.group(1).lower()
        attrs = m.group(2) or ""
        if m.group(3):
            out.append(text[pos : m.start()])
            html, kind = handler(name, attrs, None)
            out.append(strip.add(name, html, kind))
            pos = m.end()
            continue
        if name in no_close:
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        close = re.compile(r"</" + name + r"\s*>", re.I).search(text, m.end())
        if not close:
            no_close.add(name)
            out.append(text[pos : m.end()])
            pos = m.end()
            continue
        out.append(text[pos : m.start()])
        html, kind = handler(name, attrs, text[m.end() : close.start()])
        out.append(strip.add(name, html, kind))
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)
