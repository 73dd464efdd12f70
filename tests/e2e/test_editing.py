"""Editing in a browser: the toolbar, preview, show changes, save, the leave warning, history and diffs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_edit_with_toolbar_preview_and_show_changes_then_save(desktop, phone):
    page = desktop.page
    desktop.goto("/wiki/Parameter_count")
    with page.expect_navigation():
        page.locator("#ca-edit a").click()
    assert page.locator("#firstHeading").inner_text() == "Editing Parameter count"
    textarea = page.locator("#wpTextbox1")
    assert textarea.evaluate("el => getComputedStyle(el).fontFamily").lower().find("mono") >= 0
    toolbar = page.locator("#wikiEditor-toolbar")
    assert toolbar.is_visible()
    assert toolbar.locator("button").all_inner_texts() == ["B", "I", "Link", "H", "\u2022 List"]
    desktop.screenshot("edit")

    textarea.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nAdded in the browser: ")
    toolbar.get_by_role("button", name="Bold").click()
    page.keyboard.type("very bold")  # replaces the selected sample text; the caret stays inside
    page.keyboard.press("End")
    page.keyboard.type(" and ")
    toolbar.get_by_role("button", name="Internal link").click()
    page.keyboard.type("GPT-3")
    assert textarea.input_value().endswith("Added in the browser: '''very bold''' and [[GPT-3]]")

    with page.expect_navigation():
        page.locator("#wpPreview").click()
    preview = page.locator("#wikiPreview")
    assert "Remember that this is only a preview" in preview.inner_text()
    assert preview.locator("b", has_text="very bold").count() == 1
    assert textarea.input_value().endswith("'''very bold''' and [[GPT-3]]")
    desktop.screenshot("edit-preview")

    with page.expect_navigation():
        page.locator("#wpDiff").click()
    added = page.locator("#wikiDiff td.diff-addedline")
    assert "very bold" in " ".join(added.all_inner_texts())
    assert page.locator("#wikiDiff td.diff-deletedline").count() == 0  # only lines were added
    desktop.screenshot("edit-changes")

    page.locator("#wpSummary").fill("Browser test edit")
    with page.expect_navigation():
        page.locator("#wpSave").click()
    assert page.locator("#firstHeading").inner_text() == "Parameter count"
    assert page.locator("#mw-content-text b", has_text="very bold").count() == 1
    assert desktop.dialogs == []  # saving never asks "leave the page?"
    desktop.assert_clean()

    phone.goto("/w/index.php?title=Parameter_count&action=edit")
    assert phone.horizontal_overflow() == 0
    phone.screenshot("edit")
    phone.assert_clean()


def test_leaving_the_edit_page_with_unsaved_changes_asks_first(desktop):
    page = desktop.page
    desktop.goto("/w/index.php?title=PaLM&action=edit")
    with page.expect_navigation():
        page.locator("#n-mainpage a").click()
    assert desktop.dialogs == []  # nothing typed, nothing to lose

    desktop.goto("/w/index.php?title=PaLM&action=edit")
    with page.expect_navigation():
        page.locator("#wpPreview").click()
    with page.expect_navigation():
        page.locator("#n-mainpage a").click()
    assert desktop.dialogs == []  # a preview of the unchanged text has nothing to lose either

    desktop.goto("/w/index.php?title=PaLM&action=edit")
    page.locator("#wpTextbox1").click()
    page.keyboard.type("unsaved words")
    with page.expect_navigation():
        page.locator("#n-mainpage a").click()
    assert desktop.dialogs == ["beforeunload"]
    desktop.assert_clean()


def test_history_compares_two_selected_revisions(desktop, phone, edited_page):
    page = desktop.page
    desktop.goto(f"/w/index.php?title={edited_page}&action=history")
    rows = page.locator("#pagehistory li")
    assert rows.count() == 2
    for radio in page.locator("#pagehistory input[type=radio]").all():
        assert radio.get_attribute("aria-label").startswith("Compare ")
    # The newest revision cannot be the older side of a comparison: its "from" radio is hidden.
    newest_from = rows.nth(0).locator("input[name=oldid]")
    assert newest_from.evaluate("el => getComputedStyle(el).visibility") == "hidden"
    assert "Clarify the definition" in rows.nth(0).inner_text()
    desktop.screenshot("history")

    rows.nth(1).locator("input[name=oldid]").check()
    rows.nth(0).locator("input[name=diff]").check()
    with page.expect_navigation():
        page.locator(".historysubmit").first.click()
    assert page.locator("#firstHeading").inner_text() == "Few-shot learning: Difference between revisions"
    table = page.locator("table.diff")
    assert table.locator("td.diff-deletedline del.diffchange").first.is_visible()
    removed = " ".join(table.locator("td.diff-deletedline del.diffchange").all_inner_texts())
    added = " ".join(table.locator("td.diff-addedline ins.diffchange").all_inner_texts())
    assert "small number" in removed
    assert "handful" in added
    assert "An added closing line." in " ".join(table.locator("td.diff-addedline").all_inner_texts())
    desktop.screenshot("diff")
    desktop.assert_clean()

    phone.goto(f"/w/index.php?title={edited_page}&action=history")
    assert phone.horizontal_overflow() == 0
    phone.screenshot("history")
    phone.page.locator(".historysubmit").first.click()
    phone.page.wait_for_selector("table.diff")
    assert phone.horizontal_overflow() == 0
    phone.screenshot("diff")
    phone.assert_clean()


def test_reading_searching_editing_and_saving_work_without_javascript(browser, seeded_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = seeded_server.url
    page.goto(f"{base}/wiki/Main_Page")
    page.locator("#searchInput").fill("Codex model")
    with page.expect_navigation():
        page.locator("#searchInput").press("Enter")
    assert page.locator("#firstHeading").inner_text() == "Codex model"
    with page.expect_navigation():
        page.locator("#ca-edit a").click()
    assert page.locator("#wikiEditor-toolbar").is_hidden()  # the toolbar is a script's comfort
    textarea = page.locator("#wpTextbox1")
    textarea.fill(textarea.input_value() + "\n\nSaved without JavaScript.")
    with page.expect_navigation():
        page.locator("#wpPreview").click()
    assert "Saved without JavaScript." in page.locator("#wikiPreview").inner_text()
    with page.expect_navigation():
        page.locator("#wpSave").click()
    assert page.url.endswith("/wiki/Codex_model")
    assert "Saved without JavaScript." in page.locator("#mw-content-text").inner_text()
    context.close()
