"""XSS proof in a real browser: 400 attack strings planted as page text, titles, summaries, user names
and searches; every place they show up is loaded in headless Chromium. Bar: nothing runs."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter

import pytest

from tests.conftest import require_browser

from .xss_corpus import VECTORS
from .xss_harness import Browser, Planter, Report, plant

# Heavy (every attack string in every place, in Chromium): `make stress`, run by CI after `make test`.
pytestmark = [pytest.mark.stress, pytest.mark.e2e]


@pytest.fixture
def browser_needed():
    require_browser()


async def _prove(base: str, report: Report, urls: dict[str, list[str]]) -> list[int]:
    """Load everything in Chromium; returns the vectors that had to be retested on their own page."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = Browser(base, report)
        await browser.start(pw)
        try:
            caught = await browser.control()
            kinds = {f.kind for f in caught}
            assert {"execution", "residue", "foreign-request"} <= kinds, (
                f"the probe missed a planted attack: {caught}"
            )
            marks = await browser.load_all(urls["page"])
            swallowed = [
                vid
                for vid, where in sorted(report.pages_of.items())
                for path in where
                if path in marks and vid not in marks[path]
            ]
            # Vectors whose marker vanished (they swallowed what followed) are loaded again alone.
            planter, by_id, singles = Planter(base), {v.id: v for v in VECTORS}, []
            for vid in swallowed:
                title = f"Xss single {vid}"
                assert planter.save(title, by_id[vid].text + f"\n\nxssmark{vid}q", new=True) == 303
                key = title.replace(" ", "_")
                singles += [f"/wiki/{key}", f"/w/api.php?action=parse&page={key}&format=jsonfm"]
            await browser.load_all(singles)
            await browser.load_all(urls["meta"] + urls["search"])
        finally:
            await browser.close()
    return swallowed


def test_no_attack_string_runs_script_anywhere_it_is_shown(browser_needed, live_server, tmp_path):
    started = time.monotonic()
    report = Report()
    urls = plant(live_server.url, VECTORS, report)
    planted_at = time.monotonic()
    swallowed = asyncio.run(_prove(live_server.url, report, urls))
    executions = report.executions()
    residue = [f for f in report.findings if f.kind == "residue"]
    culprits = Counter(vid for f in report.findings for vid in f.vector_ids())
    summary = {
        "vectors": len(VECTORS),
        "planted": len(report.planted),
        "refused_by_the_wiki": report.refused,
        "by_surface": Counter(v.surface for v in VECTORS),
        "page_loads": report.loads,
        "retested_alone": len(swallowed),
        "executions": len(executions),
        "residue": len(residue),
        "vectors_with_findings": sorted(culprits),
        "seconds": {
            "plant": round(planted_at - started, 1),
            "loading": round(report.seconds_loading, 1),
            "probing": round(report.seconds_probing, 1),
            "total": round(time.monotonic() - started, 1),
        },
    }
    (tmp_path / "xss-report.json").write_text(
        json.dumps({**summary, "findings": [f.__dict__ for f in report.findings]}, indent=1, default=str)
    )
    print("XSS proof:", json.dumps(summary, default=str))
    assert len(report.planted) + len(report.refused) == len(VECTORS)
    assert report.loads >= 80
    detail = "\n".join(f"{f.kind} on {f.url}: {f.detail}" for f in report.findings[:40])
    assert not executions and not residue, f"{len(executions)} executions, {len(residue)} residue:\n{detail}"
