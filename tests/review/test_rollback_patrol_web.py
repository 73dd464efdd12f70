"""Rollback and patrol links in the browser: history, diff, index.php?action=rollback|markpatrolled."""

from __future__ import annotations

import re

from tests.review.helpers import login


def test_history_offers_rollback_and_undo_and_the_link_rolls_back(app):
    _, good = login(app, "Webgood")
    _, bad = login(app, "Webvandal")
    admin, _ = login(app, "Webadmin", "sysop")
    good.edit("Web rolled", "Good.")
    bad.edit("Web rolled", "Bad 1.")
    bad.edit("Web rolled", "Bad 2.")
    html = admin.get("/w/index.php?title=Web_rolled&action=history").get_data(as_text=True)
    assert "rollback 2 edits" in html
    assert html.count(">undo</a>") == 2  # every row but the page's creation
    href = re.search(r'<span class="mw-rollback-link"><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    done = admin.get(href)
    assert done.status_code == 200 and "Rollback finished" in done.get_data(as_text=True)
    assert admin.get("/w/index.php?title=Web_rolled&action=raw").get_data(as_text=True) == "Good."
    again = admin.get(href)
    assert again.status_code == 409
    # Without the token: a confirmation form, nothing done.
    form = admin.get("/w/index.php?title=Web_rolled&action=rollback&from=Webgood")
    assert form.status_code == 200 and 'name="token"' in form.get_data(as_text=True)


def test_readers_see_no_rollback_and_cannot_use_it(app):
    _, good = login(app, "Webgood2")
    good.edit("Web kept", "One.")
    good.edit("Web kept", "Two.")
    reader, _ = login(app, "Webreader")
    assert "rollback" not in reader.get("/w/index.php?title=Web_kept&action=history").get_data(as_text=True)
    assert reader.get("/w/index.php?title=Web_kept&action=rollback&from=Webgood2&token=x").status_code == 403


def test_diff_offers_mark_as_patrolled_to_patrollers(app):
    _, newbie = login(app, "Webnewbie")
    rev = newbie.edit("Web patrolled", "Text.")["edit"]["newrevid"]
    admin, _ = login(app, "Webpatroller", "sysop")
    html = admin.get(f"/w/index.php?title=Web_patrolled&diff={rev}").get_data(as_text=True)
    href = re.search(r'<div class="patrollink"[^>]*>\[<a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    form = admin.get(href).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    rcid = re.search(r"rcid=(\d+)", href).group(1)
    done = admin.post(
        "/w/index.php?title=Web_patrolled&action=markpatrolled", data={"rcid": rcid, "token": token}
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert "patrollink" not in admin.get(f"/w/index.php?title=Web_patrolled&diff={rev}").get_data(
        as_text=True
    )
    log = admin.get("/wiki/Special:Log/patrol").get_data(as_text=True)
    assert "marked revision" in log and "Web patrolled" in log
