"""Searching in a browser: suggestions from the API's opensearch while typing, and the results page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import FLAGSHIP

pytestmark = pytest.mark.e2e


def test_suggestions_appear_as_you_type_and_arrow_keys_pick_one(desktop):
    from playwright.sync_api import expect

    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    box = page.locator("#searchInput")
    box.click()
    box.press_sequentially("Transformer M", delay=20)
    options = page.locator("#searchSuggestions li[role=option]")
    # The list belongs to the whole query once its last entry names it (earlier keystrokes may
    # have shown a list for a shorter prefix).
    expect(options.last).to_have_text("Search for pages containing Transformer M", timeout=10_000)
    titles = page.locator("#searchSuggestions li[role=option] .mw-suggestion-title").all_inner_texts()
    # Each suggestion carries its page's description (the REST API's search/title).
    assert page.locator("#searchSuggestions .mw-suggestion-description").count() >= 1
    # The redirect "Transformer Model" is resolved to its target, so the target is suggested.
    assert "Transformer architecture" in titles
    assert box.get_attribute("aria-expanded") == "true"
    desktop.screenshot("search-suggestions")

    box.press("ArrowDown")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    assert box.input_value() == titles[0]
    box.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert options.nth(0).get_attribute("aria-selected") == "false"
    box.press("ArrowUp")
    assert box.input_value() == titles[0]
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("#firstHeading").inner_text() == titles[0]
    desktop.assert_clean()


def test_escape_closes_the_suggestions_and_restores_the_typed_text(desktop):
    from playwright.sync_api import expect

    page = desktop.page
    desktop.goto("/wiki/Main_Page")
    box = page.locator("#searchInput")
    box.click()
    box.press_sequentially("GPT", delay=20)
    expect(page.locator("#searchSuggestions li[role=option]").last).to_have_text(
        "Search for pages containing GPT", timeout=10_000
    )
    box.press("ArrowDown")
    box.press("Escape")
    assert page.locator("#searchSuggestions").is_hidden()
    assert box.input_value() == "GPT"
    desktop.assert_clean()


def test_search_box_leads_to_full_text_results(desktop, phone):
    page = desktop.page
    desktop.goto("/wiki/Main_Page")
    page.locator("#searchInput").fill("pre-trained tokens")
    with page.expect_navigation():
        page.locator("#searchInput").press("Enter")
    assert "Special:Search" in page.url or "search=" in page.url
    results = page.locator(".mw-search-result, .mw-search-results li")
    assert results.count() >= 1
    desktop.screenshot("search")
    desktop.assert_clean()

    phone.goto("/w/index.php?title=Special:Search&search=pre-trained+tokens&fulltext=1")
    assert phone.horizontal_overflow() == 0
    phone.screenshot("search")
    phone.assert_clean()
