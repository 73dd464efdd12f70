"""axe-core on the main views, in light and dark mode: no serious or critical violation of WCAG 2.1
A/AA (contrast included) or of axe's best practices."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DESKTOP, FLAGSHIP, _make_page

pytestmark = pytest.mark.e2e

VIEWS = {
    "flagship": f"/wiki/{FLAGSHIP}",
    "main page": "/wiki/Main_Page",
    "redirect": "/wiki/Transformer_Model",
    "search results": "/w/index.php?title=Special:Search&search=pre-trained+tokens&fulltext=1",
    "edit": "/w/index.php?title=GPT-2&action=edit",
    "history": "/w/index.php?title={edited}&action=history",
    "diff": "/w/index.php?title={edited}&diff=cur",
    "old revision": "",
    "recent changes": "/wiki/Special:RecentChanges",
    "special pages": "/wiki/Special:SpecialPages",
    "log in": "/wiki/Special:UserLogin",
    "missing page": "/wiki/No_such_page_here",
}

DARK_VIEWS = ["flagship", "search results", "diff"]


def _path(view: str, edited: str) -> str:
    return VIEWS[view].format(edited=edited)


def test_main_views_have_no_serious_accessibility_violations(browser, seeded_server, edited_page):
    failures = {}
    # Dark mode changes only colours: the views with the most kinds of them are checked in both.
    for scheme, views in (("light", list(VIEWS)), ("dark", DARK_VIEWS)):
        context, watched = _make_page(browser, seeded_server, DESKTOP, color_scheme=scheme)
        for view in views:
            status = 404 if view == "missing page" else 200
            path = _path(view, edited_page)
            if view == "old revision":  # the oldest revision's permanent link, from the history
                watched.goto(_path("history", edited_page))
                path = watched.page.locator("#pagehistory a.mw-changeslist-date").last.get_attribute("href")
            watched.goto(path, expect_status=status)
            violations = watched.axe_violations()
            if violations:
                failures[f"{view} ({scheme})"] = violations
        context.close()
        assert not watched.problems, watched.problems
    assert not failures, "\n".join(f"{view}: {v}" for view, vs in failures.items() for v in vs)
