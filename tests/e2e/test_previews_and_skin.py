"""Page previews and the reader's skin in Chromium: a card on resting over a link of the flagship,
keyboard and touch behaviour, the switch, and the sticky header and sidebar TOC on a long page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import FLAGSHIP, SCREENSHOTS

pytestmark = pytest.mark.e2e

CARD = "#mw-preview-card"
LINK = "#mw-content-text a[href='/wiki/Language_AI_technology_milestone']"


def test_hovering_a_link_on_the_flagship_shows_its_preview(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    link = page.locator(LINK).first
    link.hover()
    card = page.locator(CARD)
    card.wait_for(state="visible", timeout=3000)
    assert card.locator(".mw-preview-title").inner_text() == "Language AI technology milestone"
    extract = card.locator(".mw-preview-extract").inner_text()
    assert extract.startswith(
        "A language AI technology milestone is an AI technology milestone that marks"
    ), extract
    assert link.get_attribute("aria-describedby") == "mw-preview-card"
    assert card.get_attribute("role") == "tooltip"
    desktop.screenshot("preview-card")
    page.mouse.move(0, 0)
    card.wait_for(state="hidden", timeout=3000)
    assert link.get_attribute("aria-describedby") is None


def test_preview_waits_for_the_pointer_to_rest(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    page.locator(LINK).first.hover()
    page.wait_for_timeout(150)
    assert not page.locator(CARD).is_visible()
    page.mouse.move(0, 0)
    page.wait_for_timeout(700)
    assert not page.locator(CARD).is_visible()


def test_keyboard_focus_shows_the_preview_and_escape_hides_it(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    page.locator(LINK).first.focus()
    card = page.locator(CARD)
    card.wait_for(state="visible", timeout=3000)
    page.keyboard.press("Escape")
    card.wait_for(state="hidden", timeout=3000)


def test_red_link_says_the_page_does_not_exist(desktop):
    page = desktop.page
    desktop.goto("/wiki/Special:Random")  # any page works; a red link is made in the content
    page.evaluate(
        """() => { const a = document.createElement('a');
        a.href = '/w/index.php?title=No_such_concept_xyz&action=edit&redlink=1'; a.className = 'new';
        a.id = 'redtest'; a.textContent = 'red'; document.getElementById('mw-content-text').prepend(a); }"""
    )
    page.locator("#redtest").hover()
    card = page.locator(CARD)
    card.wait_for(state="visible", timeout=3000)
    assert card.locator(".mw-preview-extract").inner_text() == "This page does not exist."


def test_previews_can_be_turned_off(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    toggle = page.locator("#mw-previews-toggle")
    assert toggle.inner_text() == "Disable page previews"
    toggle.click()
    assert toggle.inner_text() == "Enable page previews"
    desktop.goto(f"/wiki/{FLAGSHIP}")  # remembered in localStorage
    assert page.locator("#mw-previews-toggle").inner_text() == "Enable page previews"
    page.locator(LINK).first.hover()
    page.wait_for_timeout(900)
    assert page.locator(CARD).count() == 0 or not page.locator(CARD).is_visible()


def test_no_preview_on_a_tap(phone):
    page = phone.page
    phone.goto(f"/wiki/{FLAGSHIP}")
    link = page.locator(LINK).first
    link.tap()
    page.wait_for_url("**/wiki/Language_AI_technology_milestone")
    assert page.locator(CARD).count() == 0


def test_toc_stays_visible_in_the_sidebar_after_scrolling(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    toc = page.locator("#mw-sidebar-toc")
    assert toc.is_visible()
    assert page.locator("#mw-sidebar-toc a").count() >= 3
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 1000
    box = toc.bounding_box()
    assert box is not None and 0 <= box["y"] < 900 and toc.is_visible()
    assert page.locator("#searchInput").is_visible()
    assert page.locator("#searchInput").bounding_box()["y"] < 100
    assert page.locator(".mw-sticky-title").is_visible()
    assert page.locator(".mw-sticky-title").inner_text() == page.locator("#firstHeading").inner_text()
    assert page.locator("#mw-sidebar-toc a.mw-toc-current").count() == 1
    desktop.screenshot("sidebar-toc-scrolled")
    toggle = page.locator(".mw-sidebar-toc-toggle")
    toggle.click()
    assert not page.locator("#mw-sidebar-toc-list").is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"


def test_skin_at_375_px_has_no_sideways_scroll_and_search_stays_reachable(phone):
    page = phone.page
    phone.goto(f"/wiki/{FLAGSHIP}")
    assert phone.horizontal_overflow() == 0
    assert not page.locator("#mw-sidebar-toc").is_visible()
    page.evaluate("window.scrollTo(0, 3000)")
    page.wait_for_timeout(200)
    search = page.locator("#searchInput")
    assert search.is_visible() and 0 <= search.bounding_box()["y"] < 200
    assert phone.horizontal_overflow() == 0
    phone.screenshot("skin-scrolled")


def test_previews_and_sidebar_toc_in_dark_mode(browser, seeded_server):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{seeded_server.url}/wiki/{FLAGSHIP}")
    page.locator(LINK).first.hover()
    card = page.locator(CARD)
    card.wait_for(state="visible", timeout=3000)
    background = card.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(16, 20, 24)", background
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "preview-card-dark-1280.png"))
    context.close()


def test_slash_focuses_the_search_box_and_suggestions_carry_descriptions(desktop):
    from playwright.sync_api import expect

    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "searchInput"
    assert page.locator("#searchInput").input_value() == ""
    page.keyboard.type("GPT-3", delay=20)
    expect(page.locator("#searchSuggestions li[role=option]").last).to_have_text(
        "Search for pages containing GPT-3", timeout=10_000
    )
    first = page.locator("#searchSuggestions li[role=option]").first
    assert first.locator(".mw-suggestion-title").inner_text().startswith("GPT-3")
    assert " is a" in first.locator(".mw-suggestion-description").inner_text()


def test_first_render_of_the_flagship_does_not_shift_the_layout(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    shift = page.evaluate(
        """() => new Promise(resolve => {
            let total = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
            }).observe({type: 'layout-shift', buffered: true});
            setTimeout(() => resolve(total), 200);
        })"""
    )
    assert shift < 0.05, shift
