"""Finding accounts by name (used by accounts and blocks alike)."""

from __future__ import annotations

from typing import Protocol

from wiki import site, titles
from wiki.extensions import db
from wiki.models import User


class Actor(Protocol):
    """Who does something, as logs record it (pages.Actor, accounts.Performer)."""

    @property
    def name(self) -> str: ...

    @property
    def user_id(self) -> int | None: ...


def normalise_name(raw: str) -> str:
    """A user name as MediaWiki stores it: a valid title text, first letter upper-case."""
    title = site.parse_title(raw.strip())
    if title.namespace != titles.MAIN or title.fragment or "/" in title.text or "@" in title.text:
        raise titles.InvalidTitle(f'"{raw}" cannot be used as a user name.')
    return title.text


def find_user(name: str) -> User | None:
    try:
        name = normalise_name(name)
    except titles.InvalidTitle:
        return None
    found: User | None = db.session.execute(db.select(User).where(User.name == name)).scalar_one_or_none()
    return found


def get_user(user_id: int) -> User | None:
    found: User | None = db.session.get(User, user_id)
    return found
