"""action=history groups its rows under the reader's local days, as MediaWiki 1.39's history pager:
<section id="pagehistory"> with an <h4 class="mw-index-pager-list-header"> and a
<ul class="mw-contributions-list"> per day, the first heading also "-first"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from tests.api.helpers import ApiClient, logged_in

HEADING = re.compile(r'<h4 class="([^"]*)">([^<]*)</h4>\s*<ul class="mw-contributions-list">')


def _days(html: str) -> list[tuple[str, str, list[str]]]:
    """(heading classes, heading text, revision ids) of each day of the history."""
    body = html[html.index('<section id="pagehistory" class="mw-pager-body">') :]
    body = body[: body.index("</section>")]
    out = HEADING.split(body)[1:]  # classes, text, rows, classes, text, rows, ...
    days = []
    for i in range(0, len(out), 3):
        classes, text, rows = out[i], out[i + 1], out[i + 2]
        days.append((classes, text, re.findall(r'<li data-mw-revid="(\d+)"', rows)))
    return days


def _set_times(app, stamps: dict[int, datetime]) -> None:
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import Revision

        for rev_id, when in stamps.items():
            db.session.execute(db.update(Revision).where(Revision.id == rev_id).values(timestamp=when))
        db.session.commit()


def test_history_rows_are_grouped_under_the_readers_days(app, client):
    editor = logged_in(app, client, "Dayeditor")
    ids = [editor.edit("Days page", f"version {n}")["edit"]["newrevid"] for n in range(3)]
    base = datetime(2026, 3, 9, 0, 0)
    # UTC: the first on 9 March 22:30, the others on 10 March; in Kathmandu (UTC+05:45) all on 10 March.
    _set_times(
        app, {ids[0]: base + timedelta(hours=22, minutes=30), ids[1]: base + timedelta(days=1, hours=9)}
    )
    _set_times(app, {ids[2]: base + timedelta(days=1, hours=12)})

    anonymous = app.test_client().get("/w/index.php?title=Days_page&action=history").get_data(as_text=True)
    assert _days(anonymous) == [
        (
            "mw-index-pager-list-header-first mw-index-pager-list-header",
            "10 March 2026",
            [str(ids[2]), str(ids[1])],
        ),
        ("mw-index-pager-list-header", "9 March 2026", [str(ids[0])]),
    ]
    assert '<span class="mw-changeslist-time">22:30</span>' in anonymous

    zoned = ApiClient(client)
    option = "ZoneInfo|345|Asia/Kathmandu"
    got = zoned.post(action="options", optionname="timecorrection", optionvalue=option, token=zoned.token())
    assert got == {"options": "success"}
    mine = client.get("/w/index.php?title=Days_page&action=history").get_data(as_text=True)
    assert _days(mine) == [
        (
            "mw-index-pager-list-header-first mw-index-pager-list-header",
            "10 March 2026",
            [str(i) for i in ids[::-1]],
        )
    ]
    assert '<span class="mw-changeslist-time">04:15</span>' in mine
    # The comparison radios still pick the two newest revisions across the day groups.
    assert f'value="{ids[2]}" id="diff-{ids[2]}"' in mine and f'id="oldid-{ids[1]}" aria-label' in mine
    assert re.search(rf'id="oldid-{ids[1]}"[^>]*checked', mine)
    assert re.search(rf'id="diff-{ids[2]}"[^>]*checked', mine)


def test_the_date_format_preference_writes_the_headings(app, client):
    editor = logged_in(app, client, "Isoreader")
    rev = editor.edit("Iso page", "text")["edit"]["newrevid"]
    _set_times(app, {rev: datetime(2026, 3, 9, 8, 0)})
    got = editor.post(action="options", optionname="date", optionvalue="ISO 8601", token=editor.token())
    assert got == {"options": "success"}
    html = client.get("/w/index.php?title=Iso_page&action=history").get_data(as_text=True)
    assert [(text, rows) for _, text, rows in _days(html)] == [("2026-03-09", [str(rev)])]
