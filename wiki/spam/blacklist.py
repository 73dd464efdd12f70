"""The link blacklist and whitelist, as MediaWiki's SpamBlacklist reads them from wiki pages.

`MediaWiki:Spam-blacklist` and `MediaWiki:Spam-whitelist` hold one regular expression fragment a
line (`#` starts a comment), matched case-insensitively against the host and path of each URL (any
subdomain of a listed host matches). A URL that matches the whitelist is never refused.

Python's `re` has no timeout, so the cost is bounded instead: each line is compiled alone (a bad
line is skipped and reported, never the whole list), lines with nested quantifiers are refused,
and the number and length of lines, of URLs and of each URL checked are capped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app

from wiki import pages, site

BLACKLIST_PAGE = "MediaWiki:Spam-blacklist"
WHITELIST_PAGE = "MediaWiki:Spam-whitelist"
MAX_LINES = 2000
MAX_LINE = 300
MAX_URLS = 500
MAX_URL = 2000
# A group repeated that itself repeats, e.g. (a+)+ or (\w*)*: the shape of catastrophic backtracking.
NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
PREFIX = r"^(?:[a-z][a-z0-9+.\-]*:)?//+[a-z0-9_\-.]*"


@dataclass
class RuleList:
    rules: list[re.Pattern[str]] = field(default_factory=list)
    invalid: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, line, why)

    def first_match(self, url: str) -> bool:
        return any(rule.search(url) for rule in self.rules)


def parse(text: str) -> RuleList:
    """The rules of a list page's text; lines that cannot be used are listed in `invalid`."""
    out = RuleList()
    for number, raw in enumerate(text.splitlines()[:MAX_LINES], start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if len(line) > MAX_LINE:
            out.invalid.append((number, line[:80], f"longer than {MAX_LINE} characters"))
            continue
        if NESTED_QUANTIFIER.search(line):
            out.invalid.append((number, line, "a repeated group that repeats inside (too slow to match)"))
            continue
        try:
            out.rules.append(re.compile(PREFIX + "(?:" + line + ")", re.IGNORECASE))
        except re.error as exc:
            out.invalid.append((number, line, f"not a valid regular expression ({exc})"))
    return out


def rules_of(page_title: str) -> RuleList:
    """The parsed list on that page, reparsed only when the page has a new revision."""
    page = pages.get(site.parse_title(page_title))
    if page is None or not page.latest:
        return RuleList()
    cache: dict[str, tuple[int, RuleList]] = current_app.extensions.setdefault("wiki.spam.blacklist", {})
    cached = cache.get(page_title)
    if cached is not None and cached[0] == page.latest:
        return cached[1]
    revision = pages.latest(page)
    if revision is None:
        return RuleList()
    parsed = parse(revision.text)
    cache[page_title] = (page.latest, parsed)
    return parsed


def active() -> bool:
    """Whether any blacklist rule exists (so the links of a save need to be found at all)."""
    return bool(rules_of(BLACKLIST_PAGE).rules)


def matches(urls: list[str]) -> list[str]:
    """The URLs among `urls` the blacklist refuses and the whitelist does not allow."""
    black = rules_of(BLACKLIST_PAGE)
    if not black.rules:
        return []
    white = rules_of(WHITELIST_PAGE)
    refused = []
    for url in urls[:MAX_URLS]:
        checked = url[:MAX_URL]
        if black.first_match(checked) and not white.first_match(checked):
            refused.append(url)
    return refused
