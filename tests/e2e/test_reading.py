"""Reading the wiki in a browser: the skin's chrome, links, redirects, the table of contents,
access keys, dark mode and the narrow-screen layout."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import FLAGSHIP, SCREENSHOTS, press_access_key
from tests.helpers import solve_captcha

pytestmark = pytest.mark.e2e


def test_flagship_page_shows_the_skin_and_a_link_leads_to_another_page(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    assert page.locator("#firstHeading").inner_text() == "Large Language Model (LLM) Innovation Milestone"
    assert page.locator("#siteSub").inner_text() == "From LLM Knowledge Wiki"
    assert page.locator(".mw-logo").get_attribute("accesskey") == "z"
    assert page.locator("#searchInput").is_visible()
    assert page.locator("#pt-login a").inner_text() == "Log in"
    assert page.locator("#pt-createaccount a").inner_text() == "Create account"
    sidebar = page.locator("#p-navigation").inner_text()
    for item in ("Main page", "Recent changes", "Random page", "Special pages", "Help"):
        assert item in sidebar
    assert page.locator("#ca-nstab").inner_text() == "Page"
    assert page.locator("#ca-talk").inner_text() == "Discussion"
    assert page.locator("#ca-view.selected").inner_text() == "Read"
    assert page.locator("#ca-edit").inner_text() == "Edit"
    assert page.locator("#ca-history").inner_text() == "View history"
    # Move, Delete and Protect are for logged-in users and administrators only.
    assert page.locator("#p-cactions").count() == 0
    assert page.locator("#catlinks li").count() >= 1
    assert "This page was last edited on" in page.locator("#footer-info-lastmod").inner_text()
    assert "Creative Commons" in page.locator("#footer-info-copyright").inner_text()
    jump = page.locator(".mw-jump-link")
    assert jump.all_inner_texts() == ["Jump to content", "Jump to navigation", "Jump to search"]
    desktop.screenshot("flagship")
    desktop.screenshot("flagship-full", full_page=True)

    link = page.locator("#mw-content-text a[href^='/wiki/']:not(.new)").first
    target = link.get_attribute("title")
    link.click()
    page.wait_for_load_state()
    assert page.locator("#firstHeading").inner_text() == target
    desktop.assert_clean()


def test_first_sentence_self_link_is_bold(desktop):
    desktop.goto("/wiki/Large_language_model")
    selflink = desktop.page.locator("#mw-content-text p a.mw-selflink").first
    assert selflink.evaluate("el => getComputedStyle(el).fontWeight") == "700"
    assert selflink.get_attribute("href") is None


def test_redirect_lands_on_the_target_with_a_notice(desktop):
    page = desktop.page
    desktop.goto("/wiki/Transformer_Model")
    assert page.locator("#firstHeading").inner_text() == "Transformer architecture"
    notice = page.locator(".mw-redirectedfrom")
    assert re.fullmatch(r"\(Redirected from Transformer Model\)", notice.inner_text())
    assert "redirect=no" in notice.locator("a").get_attribute("href")
    desktop.screenshot("redirect")
    desktop.assert_clean()


def test_table_of_contents_collapses_and_expands(desktop):
    page = desktop.page
    desktop.goto("/wiki/Main_Page")
    entries = page.locator("#toc ul").first
    assert entries.is_visible()
    toggle = page.locator(".toctogglelabel")
    assert toggle.evaluate("el => getComputedStyle(el, '::after').content") == '"hide"'
    toggle.click()
    assert entries.is_hidden()
    assert toggle.evaluate("el => getComputedStyle(el, '::after').content") == '"show"'
    toggle.click()
    assert entries.is_visible()
    edit_links = page.locator("#mw-content-text .mw-editsection a")
    assert edit_links.count() >= 4
    assert "action=edit&section=1" in edit_links.first.get_attribute("href")
    desktop.screenshot("main-page")
    desktop.assert_clean()


def test_access_keys_reach_edit_history_and_search(desktop):
    page = desktop.page
    desktop.goto("/wiki/GPT-3")
    press_access_key(page, "f")
    assert page.evaluate("document.activeElement.id") == "searchInput"
    with page.expect_navigation():
        press_access_key(page, "h")
    assert "action=history" in page.url
    with page.expect_navigation():
        press_access_key(page, "e")
    assert "action=edit" in page.url
    assert page.locator("#wpTextbox1").is_visible()
    keys = {
        "#wpSave": "s",
        "#wpPreview": "p",
        "#wpDiff": "v",
        ".mw-logo": "z",
        "#n-randompage a": "x",
        "#n-recentchanges a": "r",
    }
    for selector, key in keys.items():
        assert page.locator(selector).get_attribute("accesskey") == key, selector
    desktop.assert_clean()


def test_dark_mode_follows_the_system_setting(browser, seeded_server):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{seeded_server.url}/wiki/{FLAGSHIP}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = page.evaluate("getComputedStyle(document.body).color")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "flagship-dark-1280.png"))
    context.close()
    assert background == "rgb(16, 20, 24)"
    assert text == "rgb(234, 236, 240)"


def test_narrow_screen_folds_the_sidebar_into_a_menu_without_sideways_scroll(phone):
    page = phone.page
    phone.goto(f"/wiki/{FLAGSHIP}")
    assert phone.horizontal_overflow() == 0
    sidebar = page.locator("#mw-navigation")
    assert sidebar.is_hidden()
    phone.screenshot("flagship")
    page.locator(".mw-menu-button").click()
    assert sidebar.is_visible()
    assert page.locator("#n-recentchanges a").is_visible()
    phone.screenshot("flagship-menu")
    assert phone.axe_violations() == []
    page.locator(".mw-menu-button").click()
    assert sidebar.is_hidden()
    for path in ("/wiki/Main_Page", "/wiki/Transformer_Model", "/wiki/Special:RecentChanges"):
        phone.goto(path)
        assert phone.horizontal_overflow() == 0, path
    phone.assert_clean()


def test_print_stylesheet_drops_the_chrome(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    page.emulate_media(media="print")
    for selector in (".mw-header", "#mw-navigation", "#p-views", ".mw-editsection"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator("#mw-content-text").is_visible()
    desktop.assert_clean()


def test_a_new_account_sees_its_name_log_out_and_a_more_menu_with_move(desktop):
    page = desktop.page
    desktop.goto(f"/wiki/{FLAGSHIP}")
    with page.expect_navigation():
        page.locator("#pt-createaccount a").click()
    page.locator("#wpName2").fill("Browser Reader")
    page.locator("#wpPassword2").fill("a long enough password 42")
    page.locator("#wpRetype").fill("a long enough password 42")
    question = page.locator("label[for=wpCaptchaWord]").inner_text()
    page.locator("#wpCaptchaWord").fill(solve_captcha(question))  # the spam defence's question
    with page.expect_navigation():
        page.locator("button[name=wpCreateaccount]").click()
    desktop.goto(f"/wiki/{FLAGSHIP}")
    assert page.locator("#pt-userpage").inner_text() == "Browser Reader"
    assert page.locator("#pt-logout button").inner_text() == "Log out"
    more = page.locator("#p-cactions")
    more.locator("summary").click()
    assert more.locator("li").all_inner_texts() == ["Move"]  # Delete and Protect are for administrators
    desktop.screenshot("logged-in-more-menu")
    page.keyboard.press("Escape")
    assert more.locator("#ca-move").is_hidden()
    desktop.assert_clean()
