"""Saves render before they take the write lock, and {{REVISIONID}} still shows the saved revision."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, text

from tests.api.helpers import ApiClient


def _other_writer_can_take_the_lock(url: str, namespace: int, dbkey: str) -> bool:
    """From a second connection: is the write lock of this title free right now?"""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            if url.startswith("sqlite"):
                conn.exec_driver_sql("PRAGMA busy_timeout = 0")
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                except Exception:
                    return False
                conn.exec_driver_sql("ROLLBACK")
                return True
            from wiki.pages import locks

            key = locks.lock_id(namespace, dbkey)
            return bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
    finally:
        engine.dispose()


def test_a_save_renders_before_taking_the_write_lock(app, client, database_url):
    """Issue 16: an 8 s render made an unrelated save wait 6.5 s; the render holds no lock now."""
    from wiki.pages import derive

    seen = []
    original = derive.render

    def observing(source, ctx):
        seen.append(_other_writer_can_take_the_lock(database_url, 0, "Slow_page"))
        return original(source, ctx)

    derive.render = observing
    try:
        saved = ApiClient(client).edit("Slow page", "Some [[text]] to render.")
    finally:
        derive.render = original
    assert saved["edit"]["result"] == "Success"
    assert seen == [True]  # rendered once, with the lock free


def _content(client, title: str) -> str:
    html = client.get(f"/wiki/{title}").get_data(as_text=True)
    return re.search(r'<div class="mw-parser-output">(.*?)</div>', html, re.S).group(1)


def test_revisionid_shows_the_id_of_the_saved_revision(client):
    api = ApiClient(client)
    first = api.edit("Numbered", "This is revision {{REVISIONID}}.")["edit"]["newrevid"]
    assert f"This is revision {first}." in _content(client, "Numbered")
    second = api.edit("Numbered", "Now revision {{REVISIONID}}.")["edit"]["newrevid"]
    assert f"Now revision {second}." in _content(client, "Numbered")


def test_revisionid_from_a_template_shows_the_id_of_the_saved_revision(client):
    api = ApiClient(client)
    api.edit("Template:Stamp", "rev {{REVISIONID}}")
    saved = api.edit("Stamped", "Made at {{Stamp}}.")["edit"]["newrevid"]
    assert f"Made at rev {saved}." in _content(client, "Stamped")
