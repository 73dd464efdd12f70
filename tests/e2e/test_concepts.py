"""Reading the knowledge base in a browser (issue 19): `gpt3` in the search box opens GPT-3, the
flagship shows its concept box and its timeline of 14 milestones in order, in light and dark."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import FLAGSHIP

pytestmark = pytest.mark.e2e


def test_gpt3_in_the_search_box_opens_gpt_3(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    box = page.locator("#searchInput")
    box.fill("gpt3")
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("#firstHeading").inner_text() == "GPT-3"
    desktop.assert_clean()


def test_flagship_shows_its_concept_box_and_timeline(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    broader = page.locator("#concept-box .concept-broader a").all_inner_texts()
    assert broader == [
        "Language AI technology milestone",
        "AI technology milestone",
        "Technical milestone",
        "Milestone",
        "Event",
    ]
    narrower = page.locator("#concept-box .concept-narrower a").all_inner_texts()
    assert "Early LLM Technology Milestone" in narrower and len(narrower) == 4
    items = page.locator("#mw-content-text .concept-timeline-list li")
    assert items.count() == 14
    years = [
        int(t)
        for t in page.locator("#mw-content-text .concept-timeline-list time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))"
        )
    ]
    assert years == sorted(years) and years[0] == 2017 and years[-1] == 2024
    chart = page.locator("#mw-content-text svg.concept-timeline-chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    page.locator(".concept-timeline").scroll_into_view_if_needed()
    desktop.screenshot("concept-timeline")
    assert desktop.axe_violations() == []
    page.emulate_media(color_scheme="dark")
    desktop.screenshot("concept-timeline-dark")
    assert desktop.axe_violations() == []
    desktop.assert_clean()


def test_timeline_special_page_on_a_phone(phone):
    phone.goto(f"/wiki/Special:Timeline/{FLAGSHIP}")
    assert phone.page.locator(".concept-timeline-list li").count() == 14
    assert phone.horizontal_overflow() == 0
    phone.screenshot("special-timeline")
    phone.assert_clean()
