"""Behaviour switches: __NOTOC__, __TOC__, __FORCETOC__, __NOEDITSECTION__ and friends."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wiki.markup.toc import TOC_PLACEHOLDER

NAMES = (
    "NOTOC NOGALLERY FORCETOC TOC NOEDITSECTION NEWSECTIONLINK NONEWSECTIONLINK HIDDENCAT "
    "EXPECTUNUSEDCATEGORY INDEX NOINDEX STATICREDIRECT NOTITLECONVERT NOTC NOCONTENTCONVERT "
    "NOCC EXPECTUNUSEDTEMPLATE DISAMBIG"
).split()
_SWITCH = re.compile(r"__(" + "|".join(NAMES) + r")__", re.I)


@dataclass
class Switches:
    found: set[str] = field(default_factory=set)

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_") or name == "found":
            raise AttributeError(name)
        return name in self.found

    def properties(self) -> dict[str, str]:
        return {name: "" for name in sorted(self.found)}


def take_switches(text: str, switches: Switches) -> str:
    """Remove the switches from the text; the first __TOC__ leaves the TOC placeholder."""
    if "__" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        name = m.group(1).lower()
        first_toc = name == "toc" and "toc" not in switches.found
        switches.found.add(name)
        return TOC_PLACEHOLDER if first_toc else ""

    return _SWITCH.sub(sub, text)
