"""The pages a query works on: from titles=, pageids=, revids= or a generator, with the
`normalized` and `redirects` lists MediaWiki reports on the way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app

from wiki import pages, site, titles
from wiki.api.errors import ApiError
from wiki.api.output import Bool
from wiki.models import Page
from wiki.pages import changes, graph

REDIRECT_HOPS = 8


@dataclass
class Entry:
    """One page of the set: an existing page, a missing title, an invalid title or a missing id."""

    title: titles.Title | None = None
    page: Page | None = None
    raw: str = ""
    invalid: str = ""  # the reason, for an invalid title
    missing_id: int | None = None

    @property
    def key(self):
        if self.page is not None:
            return ("page", self.page.id)
        if self.title is not None:
            return ("title", self.title.namespace, self.title.dbkey)
        return ("raw", self.raw, self.missing_id)

    def base(self) -> dict:
        """The page's entry in query.pages before any prop module adds to it."""
        if self.invalid:
            return {"title": self.raw, "invalidreason": self.invalid, "invalid": True}
        if self.missing_id is not None:
            return {"pageid": self.missing_id, "missing": True}
        title = self.title
        if self.page is not None:
            return {"pageid": self.page.id, "ns": title.namespace, "title": title.prefixed_text}
        if title.namespace == titles.SPECIAL:
            known = {n.lower() for n in current_app.extensions.get(site.SPECIAL_PAGES_KEY, ())}
            name = title.text.split("/", 1)[0].lower()
            return {"ns": -1, "title": title.prefixed_text, "special": True, "missing": name not in known}
        return {"ns": title.namespace, "title": title.prefixed_text, "missing": True}


@dataclass
class PageSet:
    entries: list[Entry] = field(default_factory=list)
    normalized: list[dict] = field(default_factory=list)
    redirects: list[dict] = field(default_factory=list)
    badrevids: list[int] = field(default_factory=list)
    revids: dict[int, list[int]] = field(default_factory=dict)  # page id -> revisions asked for

    def add(self, entry: Entry) -> None:
        if all(e.key != entry.key for e in self.entries):
            self.entries.append(entry)

    @property
    def good(self) -> list[Entry]:
        return [e for e in self.entries if e.page is not None]


def parse_title(raw: str, default_namespace: int = titles.MAIN) -> titles.Title:
    try:
        title = site.parse_title(raw, default_namespace)
    except titles.InvalidTitle as exc:
        raise ApiError("invalidtitle", f'Bad title "{raw}". {exc}') from None
    if title.interwiki:
        raise ApiError("invalidtitle", f'Bad title "{raw}". Interwiki titles are not pages here.')
    return title


def lookup(wanted: list[titles.Title]) -> dict[tuple[int, str], Page]:
    """Existing pages for these titles."""
    return graph.pages_at([(t.namespace, t.dbkey) for t in wanted if t.namespace >= 0])


def from_titles(raw_titles: list[str], pageset: PageSet) -> None:
    parsed: list[tuple[str, titles.Title | None, str]] = []
    for raw in raw_titles:
        try:
            title = site.parse_title(raw)
            if title.interwiki:
                raise titles.InvalidTitle("Interwiki titles are not pages on this wiki.")
            parsed.append((raw, title, ""))
        except titles.InvalidTitle as exc:
            parsed.append((raw, None, invalid_reason(str(exc))))
    found = lookup([t for _raw, t, _why in parsed if t is not None])
    for raw, title, why in parsed:
        if title is None:
            pageset.add(Entry(raw=raw, invalid=why or "The requested page title is invalid."))
            continue
        shown = title.prefixed_text
        if raw != shown and not any(n["from"] == raw for n in pageset.normalized):
            pageset.normalized.append({"fromencoded": Bool(False), "from": raw, "to": shown})
        pageset.add(Entry(title=title, page=found.get((title.namespace, title.dbkey))))


_CHARACTER = re.compile(r'the character (".+?"|\'.+?\')')


def invalid_reason(message: str) -> str:
    """MediaWiki's wording of why a title is invalid, from ours."""
    if "bytes long" in message:
        return (
            f"The requested page title is too long. It must be no longer than {titles.MAX_TITLE_BYTES} "
            "bytes in UTF-8 encoding."
        )
    if "is empty" in message:
        return "The requested page title is empty or contains only the name of a namespace."
    match = _CHARACTER.search(message)
    if match:
        return f"The requested page title contains invalid characters: {match.group(1)}."
    return message


def from_pages(page_list: list[Page | titles.Title], pageset: PageSet) -> None:
    """Generator output: existing pages, or titles that may not exist."""
    as_titles = [p for p in page_list if isinstance(p, titles.Title)]
    found = lookup(as_titles) if as_titles else {}
    for item in page_list:
        if isinstance(item, Page):
            pageset.add(Entry(title=pages.title_of(item), page=item))
        else:
            pageset.add(Entry(title=item, page=found.get((item.namespace, item.dbkey))))


def from_pageids(numbers: list[int], pageset: PageSet) -> None:
    rows = graph.pages_by_id(numbers)
    for number in numbers:
        page = rows.get(number)
        if page is None:
            pageset.add(Entry(missing_id=number))
        else:
            pageset.add(Entry(title=pages.title_of(page), page=page))


def from_revids(numbers: list[int], pageset: PageSet) -> None:
    revs = changes.revisions_by_id(numbers)
    owners = graph.pages_by_id(sorted({r.page_id for r in revs.values()}))
    for number in numbers:
        rev = revs.get(number)
        if rev is None:
            pageset.badrevids.append(number)
            continue
        page = owners[rev.page_id]
        pageset.add(Entry(title=pages.title_of(page), page=page))
        pageset.revids.setdefault(page.id, []).append(number)


def resolve_redirects(pageset: PageSet) -> None:
    """Replace redirects by their targets, recording {"from", "to", "tofragment"} for each."""
    for _hop in range(REDIRECT_HOPS):
        sources = [e for e in pageset.entries if e.page is not None and e.page.is_redirect]
        if not sources:
            return
        rows = graph.redirects_of([e.page.id for e in sources])
        changed = False
        for entry in sources:
            row = rows.get(entry.page.id)
            if row is None:
                continue
            target = titles.Title(
                row.namespace, row.title.replace("_", " "), ns_name=site.namespaces().name(row.namespace)
            )
            if any(r["from"] == target.prefixed_text for r in pageset.redirects):
                continue  # a loop: leave the page where it is
            item = {"from": entry.title.prefixed_text, "to": target.prefixed_text}
            if row.fragment:
                item["tofragment"] = row.fragment
            pageset.redirects.append(item)
            page = pages.get(target)
            index = pageset.entries.index(entry)
            replacement = Entry(title=target, page=page)
            if any(e.key == replacement.key for e in pageset.entries):
                pageset.entries.pop(index)
            else:
                pageset.entries[index] = replacement
            changed = True
        if not changed:
            return
