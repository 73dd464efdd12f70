"""Screenshots of a demo wiki with Debian's Chromium (logged in where a page needs it)."""

import sys

from playwright.sync_api import sync_playwright

BASE, OUT = sys.argv[1], sys.argv[2]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def login(page, name, password):
    page.goto(BASE + "/wiki/Special:UserLogin")
    page.fill("#wpName1", name)
    page.fill("#wpPassword1", password)
    page.click("button[name=wploginattempt]")
    page.wait_for_load_state("load")


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
    anon = browser.new_page(viewport={"width": 1280, "height": 900})
    anon.goto(BASE + "/wiki/Self-attention_(demo)")
    anon.screenshot(path=f"{OUT}/article-thumbnails-footnotes.png", full_page=True)
    anon.goto(BASE + "/wiki/Special:RecentChanges?hidebots=0&days=30&limit=50")
    anon.screenshot(path=f"{OUT}/recentchanges-filters.png", full_page=False)
    anon.goto(BASE + "/wiki/Special:Contributions/Alice")
    anon.screenshot(path=f"{OUT}/contributions.png", full_page=False)
    anon.goto(BASE + "/wiki/Large_Language_Model_(LLM)_Innovation_Milestone")
    anon.hover("#mw-content-text a[href='/wiki/GPT-3']")
    anon.wait_for_timeout(1500)
    anon.screenshot(path=f"{OUT}/preview-light.png", full_page=False)
    dark = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    dark.goto(BASE + "/wiki/Large_Language_Model_(LLM)_Innovation_Milestone")
    dark.hover("#mw-content-text a[href='/wiki/GPT-3']")
    dark.wait_for_timeout(1500)
    dark.screenshot(path=f"{OUT}/preview-dark.png", full_page=False)
    narrow = browser.new_page(viewport={"width": 375, "height": 800})
    narrow.goto(BASE + "/wiki/Special:Timeline/Large_Language_Model_(LLM)_Innovation_Milestone")
    narrow.screenshot(path=f"{OUT}/timeline-375.png", full_page=True)
    admin = browser.new_page(viewport={"width": 1280, "height": 900})
    login(admin, "Admin", "quiet-harbour-lamp-77")
    admin.goto(BASE + "/wiki/Special:Watchlist")
    admin.screenshot(path=f"{OUT}/watchlist.png", full_page=False)
    admin.goto(BASE + "/wiki/Main_Page")
    admin.screenshot(path=f"{OUT}/new-messages-bar.png", full_page=False)
    admin.goto(BASE + "/wiki/User_talk:Admin")
    admin.screenshot(path=f"{OUT}/talk-page.png", full_page=False)
    browser.close()
print("shots done")
