"""Keeping the index equal to the database: ensure (build when missing), check, rebuild.

`check` compares what every document was built from (its revision id and the redirects that
lead to it) with the database and repairs missing, stale and extra documents. `rebuild` builds
a new generation beside the live one (search keeps answering), swaps it in, and then runs
`check` under the writer lock, which picks up every save made while the build was reading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from wiki.search import documents, outbox
from wiki.search.base import SearchIndex

log = logging.getLogger(__name__)
REPAIR_BATCH = 500
Progress = Callable[[int], None]


class RebuildRunning(RuntimeError):
    """Another process is rebuilding the index."""


@dataclass
class CheckReport:
    pages: int = 0
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)

    @property
    def repairs(self) -> int:
        return len(self.missing) + len(self.stale) + len(self.extra)


def compare(index: SearchIndex) -> CheckReport:
    latest = documents.latest_revisions()
    redirects = documents.redirect_sources_all()
    indexed = index.indexed()
    report = CheckReport(pages=len(latest))
    for page_id, rev_id in latest.items():
        have = indexed.get(page_id)
        if have is None:
            report.missing.append(page_id)
        elif have.rev_id != rev_id or have.redirects != redirects.get(page_id, ()):
            report.stale.append(page_id)
    report.extra = [page_id for page_id in indexed if page_id not in latest]
    return report


def check(
    index: SearchIndex,
    *,
    repair: bool = True,
    progress: Progress | None = None,
    on_report: Callable[[CheckReport], None] | None = None,
) -> CheckReport:
    """Compare index and database; with `repair`, fix what differs (holding the writer lock)."""
    with index.exclusive(wait=True):
        report = compare(index)
        if on_report is not None:
            on_report(report)
        if repair and report.repairs:
            todo = report.missing + report.stale
            for start in range(0, len(todo), REPAIR_BATCH):
                batch = todo[start : start + REPAIR_BATCH]
                docs, gone = documents.for_pages(batch)
                index.update(docs, gone)
                if progress is not None:
                    progress(len(batch))
            if report.extra:
                index.update([], report.extra)
                if progress is not None:
                    progress(len(report.extra))
    return report


def rebuild(index: SearchIndex, progress: Progress | None = None, *, wait: bool = False) -> int:
    """Build a new index from the database and swap it in; raises RebuildRunning if one is."""
    with index.exclusive("rebuild", wait=wait) as held:
        if not held:
            raise RebuildRunning("The search index is being rebuilt by another process.")
        count = index.rebuild(documents.all_documents(), progress)
        report = check(index)
        log.info("search index rebuilt: %d pages, %d repaired after the swap", count, report.repairs)
        return count


def ensure(index: SearchIndex, echo: Callable[[str], None] = log.info) -> None:
    """Build the index when it is missing or unreadable, then apply pending updates."""
    if not index.available():
        echo("The search index is missing or unreadable; building it.")
        count = rebuild(index, wait=True)
        echo(f"Indexed {count} pages.")
    applied = outbox.drain(index, wait=True)
    if applied:
        echo(f"Applied {applied} pending search-index updates.")
