"""Every page that shows a time shows it in the reader's time zone and date format (Special:Preferences),
as MediaWiki does; anonymous readers and users who never chose one see UTC.

One wiki is built for the module: a sysop in Kathmandu (UTC+05:45) and a sysop on UTC make edits,
a deletion, an upload, a block, protections and a temporary group membership; then every stored
time is set to two days ago at 22:30 UTC (the next day at 04:15 in Kathmandu: neither is today)
and every expiry to a date in 2030 at 22:30 UTC. Each page is then read by both users.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.helpers import ApiClient
from tests.conftest import close_app, fresh_database_url, make_app
from tests.files import images
from tests.helpers import WikiClient

PASSWORD = "lantern-orchid-42"
ZONE = "ZoneInfo|345|Asia/Kathmandu"


def _long(when) -> str:
    return f"{when:%H:%M}, {when.day} {when:%B %Y}"


def _day(when) -> str:
    return f"{when.day} {when:%B %Y}"


@pytest.fixture(scope="module")
def wiki(database_template, tmp_path_factory):
    work = tmp_path_factory.mktemp("tz")
    app = make_app(fresh_database_url(database_template, work), work)
    clients = {}
    for name, groups in (("Zoned", "sysop bureaucrat"), ("Utcsysop", "sysop"), ("Tzvictim", "")):
        _make_user(app, name, groups)
        client = app.test_client()
        assert WikiClient(client).login(name, PASSWORD, create=False).status_code == 303
        clients[name] = ApiClient(client, 2)
    zoned, utc = clients["Zoned"], clients["Utcsysop"]
    token = zoned.token()
    zoning = zoned.post(action="options", optionname="timecorrection", optionvalue=ZONE, token=token)
    assert zoning == {"options": "success"}, zoning
    zoned.edit("Tz page", "one", summary="first")
    utc.edit("Tz page", "one two", summary="second")
    zoned.edit("Tz gone", "soon deleted")
    assert "delete" in zoned.post(action="delete", title="Tz gone", token=token)
    for who in (zoned, utc):
        who.post(action="watch", titles="Tz page", token=who.token())
    upload = zoned.upload("Tz file.png", images.png(20, 10), comment="tz upload")
    assert upload["upload"]["result"] == "Success", upload
    later = "2030-03-10T22:30:00Z"
    assert "block" in zoned.post(action="block", user="Tzvictim", expiry=later, token=token)
    assert "protect" in zoned.post(
        action="protect", title="Tz page", protections="edit=sysop", expiry=later, token=token
    )
    assert "protect" in zoned.post(
        action="protect", title="Tz never", protections="create=sysop", expiry=later, token=token
    )
    rights = zoned.post(
        action="userrights", user="Tzvictim", add="bot", expiry=later, token=zoned.token("userrights")
    )
    assert "userrights" in rights, rights
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import (
            Archive,
            Block,
            File,
            LogEntry,
            Page,
            ProtectedTitle,
            Protection,
            RecentChange,
            Revision,
            User,
            UserGroup,
            WatchedItem,
            utcnow,
        )

        when = (utcnow() - timedelta(days=2)).replace(hour=22, minute=30, second=0, microsecond=0)
        for model, column in (
            (Revision, "timestamp"),
            (RecentChange, "timestamp"),
            (LogEntry, "timestamp"),
            (Archive, "timestamp"),
            (File, "timestamp"),
            (Page, "touched"),
            (User, "created"),
        ):
            db.session.execute(db.update(model).values({column: when}))
        db.session.execute(db.update(WatchedItem).values(notified=None))
        for model in (Block, Protection, ProtectedTitle, UserGroup):
            db.session.execute(db.update(model).where(model.expiry.is_not(None)).values(expiry=_until()))
        db.session.commit()
    yield app, zoned, utc, when, clients["Tzvictim"]
    close_app(app)


def _make_user(app, name: str, groups: str) -> None:
    """An account with a cheap password hash (the login itself goes through the form)."""
    with app.app_context():
        from werkzeug.security import generate_password_hash

        from wiki.extensions import db
        from wiki.models import User

        hashed = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        db.session.add(User(name=name, password_hash=hashed, groups=groups))
        db.session.commit()


def _until():
    from datetime import datetime

    return datetime(2030, 3, 10, 22, 30)


def _get(client: ApiClient, path: str) -> str:
    resp = client.client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    return resp.get_data(as_text=True)


def _rev_ids(app) -> tuple[int, int]:
    with app.app_context():
        from wiki.extensions import db
        from wiki.models import Page, Revision

        page = db.session.execute(db.select(Page).where(Page.title == "Tz_page")).scalar_one()
        ids = db.select(Revision.id).where(Revision.page_id == page.id).order_by(Revision.id)
        first, second = list(db.session.scalars(ids))[:2]
        return first, second


# (page, what it shows: "long" times, "day" headings with "time"s, or "expiry" dates)
PAGES = [
    ("/wiki/Special:RecentChanges", ("day", "time")),
    ("/wiki/Special:Watchlist", ("day", "time")),
    ("/wiki/Special:NewPages", ("long",)),
    ("/w/index.php?title=Tz_page&action=history", ("long",)),
    ("/w/index.php?title=Tz_page&diff={second}&oldid={first}", ("long",)),
    ("/w/index.php?title=Tz_page&oldid={first}", ("long",)),
    ("/w/index.php?title=Tz_page&action=info", ("long", "expiry")),
    ("/w/index.php?title=Tz_page&action=protect", ("expiry",)),
    ("/wiki/Special:Contributions/Zoned", ("long",)),
    ("/wiki/Special:Log", ("long", "expiry")),
    ("/wiki/Special:Undelete/Tz_gone", ("long",)),
    ("/wiki/Special:BlockList", ("expiry",)),
    ("/wiki/Special:ProtectedTitles", ("expiry",)),
    ("/wiki/Special:UserRights/Tzvictim", ("long", "expiry")),
    ("/wiki/Special:ListUsers", ("day", "time")),
    ("/wiki/File:Tz_file.png", ("long",)),
    ("/wiki/Special:ListFiles", ("long",)),
]


@pytest.mark.parametrize(("path", "shows"), PAGES, ids=[p for p, _ in PAGES])
def test_each_page_shows_times_in_the_readers_zone(wiki, path, shows):
    app, zoned, utc, when, _victim = wiki
    first, second = _rev_ids(app)
    path = path.format(first=first, second=second)
    local = when + timedelta(hours=5, minutes=45)
    until, until_local = _until(), _until() + timedelta(hours=5, minutes=45)
    forms = {
        "long": (_long(when), _long(local)),
        "day": (_day(when), _day(local)),
        "time": (f"{when:%H:%M}</", f"{local:%H:%M}</"),  # not the clock in "changes from HH:MM, date"
        "expiry": (_long(until), _long(until_local)),
    }
    as_utc, as_local = _get(utc, path), _get(zoned, path)
    for kind in shows:
        shown_utc, shown_local = forms[kind]
        assert shown_utc in as_utc and shown_local not in as_utc, (kind, shown_utc)
        assert shown_local in as_local and shown_utc not in as_local, (kind, shown_local)
    if "day" in shows and path != "/wiki/Special:ListUsers":
        assert f"<h4>{_day(local)}</h4>" in as_local and f"<h4>{_day(when)}</h4>" in as_utc


def test_anonymous_readers_see_utc_and_the_date_format_preference_applies(wiki):
    app, zoned, _utc, when, _victim = wiki
    anonymous = ApiClient(app.test_client(), 2)
    assert f"<h4>{_day(when)}</h4>" in _get(anonymous, "/wiki/Special:RecentChanges")
    assert _long(when) in _get(anonymous, "/w/index.php?title=Tz_page&action=history")
    local = when + timedelta(hours=5, minutes=45)
    for style, shown in (
        ("ISO 8601", f"{local:%Y-%m-%dT%H:%M:%S}"),
        ("mdy", f"{local:%H:%M}, {local:%B} {local.day}, {local.year}"),
        ("ymd", f"{local:%H:%M}, {local.year} {local:%B} {local.day}"),
    ):
        zoned.post(action="options", change=f"date={style}", token=zoned.token())
        assert shown in _get(zoned, "/w/index.php?title=Tz_page&action=history"), style
    day = f"{local:%Y-%m-%d}"  # ISO 8601 headings
    zoned.post(action="options", change="date=ISO 8601", token=zoned.token())
    assert f"<h4>{day}</h4>" in _get(zoned, "/wiki/Special:RecentChanges")
    page = _get(zoned, "/wiki/Special:Preferences")
    assert re.search(r'name="wpdate" value="ISO 8601" checked', page)
    zoned.post(action="options", change="date", token=zoned.token())  # back to the default
    assert _long(local) in _get(zoned, "/w/index.php?title=Tz_page&action=history")


def test_a_block_notice_gives_the_expiry_in_the_blocked_users_zone(wiki):
    _app, _zoned, _utc, _when, victim = wiki
    refused = victim.client.get("/w/index.php?title=Tz_other&action=edit")
    assert f"The block expires: {_long(_until())}." in refused.get_data(as_text=True)
    zoning = victim.post(
        action="options", optionname="timecorrection", optionvalue=ZONE, token=victim.token()
    )
    assert zoning == {"options": "success"}, zoning
    local = _long(_until() + timedelta(hours=5, minutes=45))
    assert f"The block expires: {local}." in victim.client.get(
        "/w/index.php?title=Tz_other&action=edit"
    ).get_data(as_text=True)
    info = victim.post(action="edit", title="Tz other", text="x", token=victim.token())["error"]["info"]
    assert f"The block expires: {local}." in info
