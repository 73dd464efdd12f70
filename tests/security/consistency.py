"""Checks that the database, the links tables and the search index agree (after concurrency or crashes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def engine_for(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def database_problems(url: str) -> list[str]:
    """Integrity of the storage: SQLite's own check, then the wiki's invariants on any database."""
    problems: list[str] = []
    engine = engine_for(url)
    with engine.connect() as conn:
        if url.startswith("sqlite"):
            verdict = conn.execute(text("PRAGMA integrity_check")).scalar()
            if verdict != "ok":
                problems.append(f"integrity_check: {verdict}")
            problems += [f"foreign key: {row}" for row in conn.execute(text("PRAGMA foreign_key_check"))]
        dangling = conn.execute(
            text(
                "SELECT p.id FROM page p LEFT JOIN revision r ON r.id = p.latest "
                "WHERE p.latest IS NULL OR r.id IS NULL OR r.page_id <> p.id"
            )
        ).all()
        problems += [f"page {row[0]} has no valid latest revision" for row in dangling]
        orphans = conn.execute(
            text("SELECT r.id FROM revision r LEFT JOIN page p ON p.id = r.page_id WHERE p.id IS NULL")
        ).all()
        problems += [f"revision {row[0]} has no page" for row in orphans]
        newer = conn.execute(
            text("SELECT p.id FROM page p JOIN revision r ON r.page_id = p.id WHERE r.id > p.latest")
        ).all()
        problems += [f"page {row[0]} has a revision newer than its latest" for row in newer]
    engine.dispose()
    return problems


def links_problems(app) -> list[str]:
    """Every page's links table rows equal what its latest revision renders to."""
    from wiki import pages, site
    from wiki.extensions import db
    from wiki.models import Page, PageLink
    from wiki.pages import linktables as links_module

    problems = []
    with app.test_request_context():
        for page in db.session.scalars(db.select(Page)):
            rev = pages.latest(page)
            rendered = pages.render_text(pages.title_of(page), rev.text)
            want = links_module.targets(rendered.links, site.namespaces())
            have = {
                (ns, key)
                for ns, key in db.session.execute(
                    db.select(PageLink.namespace, PageLink.title).where(PageLink.from_id == page.id)
                )
            }
            if want != have:
                problems.append(f"{page.title}: links {sorted(have ^ want)[:5]} differ")
    return problems


def check_index(env: dict, *args: str) -> str:
    """Run `flask --app wiki check-index` as an operator would; returns its output."""
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "check-index", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


def app_for(env: dict):
    """An app over the same database and index as a live server (for in-process checks)."""
    from wiki import create_app

    return create_app(
        {
            "TESTING": True,
            "WIKI_INSTANCE_DIR": env["WIKI_INSTANCE_DIR"],
            "SQLALCHEMY_DATABASE_URI": env["WIKI_DATABASE_URL"],
            "WIKI_INDEX_DIR": env["WIKI_INDEX_DIR"],
        }
    )


def wait_for_outbox(url: str, seconds: float = 30) -> int:
    """Wait until the running server's indexer has applied every pending search update; returns the rest."""
    import time

    engine = engine_for(url)
    deadline = time.monotonic() + seconds
    try:
        while True:
            with engine.connect() as conn:
                left = conn.execute(text("SELECT count(*) FROM search_outbox")).scalar()
            if left == 0 or time.monotonic() > deadline:
                return left
            time.sleep(0.2)
    finally:
        engine.dispose()
