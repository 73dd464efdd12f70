""" "You have new messages": set when someone else edits a user's talk page, cleared when they view it.

`note` runs after each committed change of pages (the after-commit hooks); an account's talk page
notifies the account, the talk page of an IP address notifies that address (as MediaWiki's
user_newtalk). A subpage of a talk page notifies no one.
"""

from __future__ import annotations

import ipaddress
import logging

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from wiki import titles
from wiki.extensions import db
from wiki.models import Page, Revision, User, UserNewtalk

log = logging.getLogger(__name__)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _owner(page: Page) -> tuple[int | None, str | None, str]:
    """(user id, address, name) of the owner of a user talk page; (None, None, "") if no one."""
    name = page.title.replace("_", " ")
    if _is_ip(name):
        return None, name, name
    user_id = db.session.scalar(db.select(User.id).where(User.name == name))
    return user_id, None, name if user_id is not None else ""


def note(page_ids: list[int]) -> None:
    """After-commit hook: mark the owners of user talk pages edited by someone else."""
    marked = False
    for page_id in page_ids:
        page = db.session.get(Page, page_id)
        if page is None or page.namespace != titles.USER_TALK or "/" in page.title or page.latest is None:
            continue
        user_id, ip, name = _owner(page)
        editor = db.session.scalar(db.select(Revision.user_text).where(Revision.id == page.latest))
        if not name or editor == name or has(user_id, ip):
            continue
        db.session.add(UserNewtalk(user_id=user_id, user_ip=ip))
        marked = True
    if marked:
        try:
            db.session.commit()
        except IntegrityError:  # marked by a concurrent save: the same answer
            db.session.rollback()


def _where(user_id: int | None, ip: str | None):  # type: ignore[no-untyped-def]
    if user_id is not None:
        return UserNewtalk.user_id == user_id
    return UserNewtalk.user_ip == (ip or "")


# Built once: every page a logged-in reader views asks.
_BY_USER = select(UserNewtalk.id).where(UserNewtalk.user_id == bindparam("user_id")).limit(1)


def has(user_id: int | None, ip: str | None) -> bool:
    """Whether this account (or, without one, this address) has unread messages."""
    if user_id is not None:
        found = db.session.connection().execute(_BY_USER, {"user_id": user_id}).first()
    else:
        found = db.session.execute(select(UserNewtalk.id).where(_where(None, ip)).limit(1)).first()
    return found is not None


def seen(user_id: int | None, ip: str | None) -> None:
    """The owner viewed their talk page: no more bar."""
    if not has(user_id, ip):
        return
    db.session.execute(db.delete(UserNewtalk).where(_where(user_id, ip)))
    db.session.commit()
