"""The title blacklist, as MediaWiki's TitleBlacklist reads `MediaWiki:Titleblacklist`.

One regular expression a line, matched against the whole title (case-insensitively unless the
line says `casesensitive`), then options in angle brackets: `<newaccountonly>` (only account
names), `<noedit>` (existing pages cannot be edited either), `<moveonly>`, `<autoconfirmed>`
(established accounts may), `<casesensitive>`; unknown options are ignored. Without options a line
stops page creation, moves to the title and account names. The `tboverride` right (sysops) is
exempt. Costs are bounded as the link blacklist's are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from wiki import pages, site, titles
from wiki.access import rights
from wiki.spam.blacklist import MAX_LINE, MAX_LINES, NESTED_QUANTIFIER

PAGE = "MediaWiki:Titleblacklist"
OPTIONS = re.compile(r"<([^<>]*)>\s*$")
ACTIONS = ("create", "edit", "move", "new-account")


@dataclass(frozen=True)
class Entry:
    pattern: re.Pattern[str]
    source: str
    options: frozenset[str]

    def applies(self, action: str) -> bool:
        if "newaccountonly" in self.options:
            return action == "new-account"
        if "moveonly" in self.options:
            return action == "move"
        if action == "edit":
            return "noedit" in self.options
        return True


def parse(text: str) -> list[Entry]:
    entries = []
    for raw in text.splitlines()[:MAX_LINES]:
        line = raw.split("#", 1)[0].strip()
        options: frozenset[str] = frozenset()
        found = OPTIONS.search(line)
        if found:
            options = frozenset(o.strip().lower() for o in found.group(1).split("|"))
            line = line[: found.start()].strip()
        if not line or len(line) > MAX_LINE or NESTED_QUANTIFIER.search(line):
            continue
        flags = 0 if "casesensitive" in options else re.IGNORECASE
        try:
            pattern = re.compile(f"(?:{line})", flags)
        except re.error:
            continue
        entries.append(Entry(pattern, line, options))
    return entries


def _entries() -> list[Entry]:
    page = pages.get(site.parse_title(PAGE))
    if page is None or not page.latest:
        return []
    cache: dict[str, tuple[int, list[Entry]]] = current_app.extensions.setdefault("wiki.spam.titles", {})
    cached = cache.get(PAGE)
    if cached is None or cached[0] != page.latest:
        revision = pages.latest(page)
        if revision is None:
            return []
        cached = (page.latest, parse(revision.text))
        cache[PAGE] = cached
    return cached[1]


def forbidden(user, title: titles.Title | str, action: str) -> str | None:
    """The blacklist line that forbids `action` on `title` (an account name for new-account), or None."""
    if action not in ACTIONS:
        raise ValueError(action)
    if "tboverride" in rights.rights_for(user):
        return None
    candidates = [title.prefixed_text] if isinstance(title, titles.Title) else [title, f"User:{title}"]
    for entry in _entries():
        if not entry.applies(action):
            continue
        if "autoconfirmed" in entry.options and rights.is_autoconfirmed(user):
            continue
        if any(entry.pattern.fullmatch(text) for text in candidates):
            return entry.source
    return None
