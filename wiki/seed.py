"""Load the seed pages of content/ into the wiki, idempotently.

A page is created when missing; updated when its file changed and nobody but the seed edited it
since; left alone (and reported) when a person has edited it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from wiki import pages, recent, site, titles
from wiki.access import rights
from wiki.extensions import db
from wiki.models import User

SEED_USER = "Wiki seed"
SEED_SUMMARY = "Seed content"


@dataclass
class SeedReport:
    file: str
    title: str
    outcome: str  # created | updated | unchanged | kept (user edits) | error: ...


def title_for(path: Path) -> str:
    """A file name's title: `Category:Foo_bar.wiki` -> 'Category:Foo bar'."""
    return path.stem.replace("_", " ")


def seed_account() -> User:
    """The seed's account: a bot (so its edits are bot edits, hidden from RecentChanges by default)
    that nobody can log in as ("!" matches no password)."""
    user = db.session.execute(db.select(User).where(User.name == SEED_USER)).scalar_one_or_none()
    if user is None:
        user = User(name=SEED_USER, password_hash="!", groups="bot")
        db.session.add(user)
        db.session.commit()
    return user


def seed_actor() -> pages.Actor:
    user = seed_account()
    return pages.Actor(user.name, user.id, rights.bot_flag(user, True))


def seed_dir(directory: Path) -> Iterator[SeedReport]:
    user = seed_account()
    actor = pages.Actor(user.name, user.id, rights.bot_flag(user, True))
    flags = rights.edit_flags(user, requested_bot=True)
    for path in sorted(directory.glob("*.wiki")):
        yield seed_file(path, actor, flags)


def seed_file(path: Path, actor: pages.Actor, flags: recent.Flags = recent.PLAIN) -> SeedReport:
    name = title_for(path)
    try:
        text = path.read_text(encoding="utf-8")
        title = site.parse_title(name)
    except (OSError, UnicodeDecodeError) as exc:
        return SeedReport(path.name, name, f"error: cannot read the file ({exc.__class__.__name__}: {exc})")
    except titles.InvalidTitle as exc:
        return SeedReport(path.name, name, f"error: invalid title ({exc})")
    page = pages.get(title)
    current = pages.latest(page) if page is not None and page.latest else None
    if current is not None:
        if current.text == pages.normalise_text(text):
            return SeedReport(path.name, str(title), "unchanged")
        if current.user_text != actor.name or current.comment != SEED_SUMMARY:
            return SeedReport(path.name, str(title), f"kept (edited by {current.user_text} since seeding)")
    result = pages.save(
        title,
        text,
        actor=actor,
        summary=SEED_SUMMARY,
        base_rev_id=current.id if current else None,
        flags=flags,
    )
    return SeedReport(path.name, str(title), "created" if result.status == "created" else "updated")
