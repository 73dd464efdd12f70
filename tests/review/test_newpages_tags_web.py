"""Special:NewPages (patrol marks, filters) and Special:Tags (list, create) in the browser."""

from __future__ import annotations

import re

from tests.review.helpers import login


def test_new_pages_lists_creations_with_patrol_links_for_patrollers(app):
    _, editor = login(app, "Npeditor")
    editor.edit("Brand new page", "Hello.")
    editor.edit("Brand new redirect", "#REDIRECT [[Brand new page]]")
    admin, _ = login(app, "Npadmin", "sysop")
    html = admin.get("/wiki/Special:NewPages").get_data(as_text=True)
    assert "Brand new page" in html and "Brand new redirect" not in html  # redirects hidden by default
    assert 'class="not-patrolled"' in html and "Mark as patrolled" in html
    assert "Brand new redirect" in admin.get("/wiki/Special:NewPages?hideredirs=0").get_data(as_text=True)
    reader = app.test_client()
    anon = reader.get("/wiki/Special:NewPages").get_data(as_text=True)
    assert "Brand new page" in anon and "Mark as patrolled" not in anon
    only = admin.get("/wiki/Special:NewPages?username=Nobody").get_data(as_text=True)
    assert "Brand new page" not in only
    assert admin.get("/wiki/Special:NewPages?limit=abc").status_code in (200, 400)


def test_tags_page_lists_and_sysops_create(app):
    admin, _ = login(app, "Tagsysop", "sysop")
    html = admin.get("/wiki/Special:Tags").get_data(as_text=True)
    assert "mw-rollback" in html and "Defined by the software" in html
    token = re.search(r'name="wpEditToken" value="([^"]+)"', html).group(1)
    made = admin.post(
        "/w/index.php?title=Special:Tags",
        data={"wpEditToken": token, "operation": "create", "tag": "checked"},
    )
    assert made.status_code == 200 and "<code>checked</code>" in made.get_data(as_text=True)
    reader = app.test_client().get("/wiki/Special:Tags").get_data(as_text=True)
    assert "<code>checked</code>" in reader and "mw-tags-create-form" not in reader


def test_new_pages_has_a_feed_and_pages_with_a_cursor(app):
    _, editor = login(app, "Npfeeder")
    for n in range(3):
        editor.edit(f"Feed new page {n}", "Hello.")
    reader = app.test_client()
    feed = reader.get("/w/index.php?title=Special:NewPages&feed=atom")
    assert feed.status_code == 200 and "Feed new page 2" in feed.get_data(as_text=True)
    first = reader.get("/wiki/Special:NewPages?limit=1").get_data(as_text=True)
    nxt = re.search(r'href="([^"]+)" class="mw-nextlink"', first).group(1).replace("&amp;", "&")
    second = reader.get(nxt).get_data(as_text=True)
    assert "Feed new page 2" in first and "Feed new page 1" in second and "Feed new page 2" not in second
    assert reader.get("/wiki/Special:NewPages?offset=garbage").status_code == 400
