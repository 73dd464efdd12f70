"""Rollback and patrol links in the browser: history, diff, index.php?action=rollback|markpatrolled."""

from __future__ import annotations

import re

from tests.review.helpers import login


def _vandalised(app, prefix: str, title: str, summaries: tuple[str, str] = ("", "")):
    """A page with a good edit by PREFIXgood and two by PREFIXvandal on top; a sysop's client."""
    _, good = login(app, f"{prefix}good")
    _, bad = login(app, f"{prefix}vandal")
    admin, _ = login(app, f"{prefix}admin", "sysop")
    good.edit(title, "Good.")
    for n, summary in enumerate(summaries, 1):
        bad.edit(title, f"Bad {n}.", summary=summary)
    return admin, bad


def test_history_offers_rollback_and_undo_and_the_link_rolls_back(app):
    admin, _bad = _vandalised(app, "Web", "Web rolled")
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


def test_changes_lists_offer_rollback_on_the_top_edit_only(app):
    """RecentChanges (and the watchlist, same lines) link "rollback N edits" on a page's latest edit
    for those with the right, as MediaWiki's legacy list; not on older edits, not on a page only its
    last editor ever edited, never for readers without the right."""
    admin, bad = _vandalised(app, "List", "List rolled", ("first bad", "second bad"))
    bad.edit("List alone", "Only me.", summary="alone")
    html = admin.get("/wiki/Special:RecentChanges?hidebots=0&limit=500").get_data(as_text=True)
    lines = re.findall(r'<li class="[^"]*mw-changeslist-edit[^"]*"[^>]*>(.*?)</li>', html, re.S)
    top = [line for line in lines if "second bad" in line]
    older = [line for line in lines if "first bad" in line]
    alone = [line for line in lines if ">alone<" in line or "(alone)" in line]
    assert top and older and alone
    assert "rollback 2 edits</a>]" in top[0] and 'title="Revert edits by Listvandal"' in top[0]
    assert "mw-rollback-link" not in older[0] and "mw-rollback-link" not in alone[0]
    href = (
        re.search(r'<span class="mw-rollback-link">\[<a href="([^"]+)"', top[0])
        .group(1)
        .replace("&amp;", "&")
    )
    assert admin.get(href).status_code == 200
    assert admin.get("/w/index.php?title=List_rolled&action=raw").get_data(as_text=True) == "Good."
    reader, _ = login(app, "Listreader")
    assert "mw-rollback-link" not in reader.get("/wiki/Special:RecentChanges?hidebots=0").get_data(
        as_text=True
    )


def test_contributions_offer_rollback_and_undo_under_day_headings(app):
    """Special:Contributions: rows under MediaWiki's day headings, "rollback N edits" on the page's
    current revision (for those with the right), "undo" on every edit that has a parent."""
    admin, _bad = _vandalised(app, "Cont", "Cont rolled")
    html = admin.get("/wiki/Special:Contributions/Contvandal").get_data(as_text=True)
    assert re.search(r'<h4 class="mw-index-pager-list-header-first mw-index-pager-list-header">\d', html)
    rows = re.findall(r'<li data-mw-revid="\d+"( class="mw-contributions-current")?>(.*?)</li>', html, re.S)
    assert len(rows) == 2 and rows[0][0] and not rows[1][0]
    assert "rollback 2 edits</a>" in rows[0][1] and "mw-rollback-link" not in rows[1][1]
    assert all(">undo</a>" in row for _current, row in rows)
    reader, _ = login(app, "Contreader")
    assert "mw-rollback-link" not in reader.get("/wiki/Special:Contributions/Contvandal").get_data(
        as_text=True
    )
