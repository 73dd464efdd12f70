"""Accounts that can be recovered: e-mail addresses confirmed by a link, password resets by e-mail,
e-mail between users and the user-talk notification.

A link carries a random token; the database keeps only its SHA-256 (AccountToken), with the account,
what it is for and when it expires. Using one is a conditional UPDATE (`used IS NULL`, not expired),
so of two concurrent uses exactly one wins. A reset request answers the same whether or not the
account exists, and is throttled per address and per account with the login throttle's counters.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, func, update

from wiki import mail, titles
from wiki.access import passwords, sessions, throttle
from wiki.access.users import find_user
from wiki.extensions import db
from wiki.models import AccountToken, Page, Revision, User, utcnow

RESET = "reset"
CONFIRM = "confirm"
LIFETIME = {RESET: timedelta(hours=24), CONFIRM: timedelta(days=7)}  # MediaWiki confirms for 7 days
RESET_PER_ADDRESS = throttle.Limit("reset-ip", 10, timedelta(hours=1), "from your IP address")
RESET_PER_ACCOUNT = throttle.Limit("reset-user", 3, timedelta(hours=1), "for this account")
EMAIL_USER = throttle.Limit("emailuser", 20, timedelta(days=1), "")  # MediaWiki: 20 a day
MAX_ACCOUNTS_PER_ADDRESS = 10
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$")


class BadAddress(ValueError):
    """Not an e-mail address this wiki can send to."""


class Refused(ValueError):
    """The action is not allowed; the message says why. `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def check_address(raw: str) -> str:
    """The address, trimmed, or BadAddress."""
    address = raw.strip()
    if len(address) > 320 or not ADDRESS.match(address):
        raise BadAddress(f'"{address[:80]}" is not a valid e-mail address.')
    return address


def url(prefixed_title: str, token: str = "") -> str:
    """The absolute URL of a wiki page, for a mail (services know no request). A token goes in the
    query string as `token`, a parameter the request log never writes (a path would be logged)."""
    cfg = current_app.config
    key = titles.url_encode(prefixed_title.replace(" ", "_"))
    if token:
        path = f"{cfg['WIKI_SCRIPT_PATH']}/index.php?title={key}&token={token}"
    else:
        path = str(cfg["WIKI_ARTICLE_PATH"]).replace("$1", key)
    return str(cfg["WIKI_SERVER"]).rstrip("/") + path


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, purpose: str, email: str = "") -> str:
    """A new token for `user` (in the caller's transaction); the plain token goes only into a mail."""
    token = secrets.token_hex(32)  # hex: it survives title normalisation ("_" would become " ")
    now = utcnow()
    db.session.add(
        AccountToken(
            token_hash=_hash(token),
            user_id=user.id,
            purpose=purpose,
            email=email,
            created=now,
            expires=now + LIFETIME[purpose],
        )
    )
    return token


def _live(token: str, purpose: str) -> tuple[ColumnElement[bool], ...]:
    return (
        AccountToken.token_hash == _hash(token),
        AccountToken.purpose == purpose,
        AccountToken.used.is_(None),
        AccountToken.expires > utcnow(),
    )


def peek(token: str, purpose: str) -> User | None:
    """The account of a token that can still be used (the form behind a reset link), or None."""
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(db.select(AccountToken).where(*_live(token, purpose)))
    return db.session.get(User, row.user_id) if row is not None else None


def redeem(token: str, purpose: str) -> AccountToken | None:
    """Use a token up (in the caller's transaction): the row, or None when unknown, used or expired."""
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(db.select(AccountToken).where(*_live(token, purpose)))
    if row is None:
        return None
    done = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used.is_(None))
        .values(used=utcnow())
        .execution_options(synchronize_session=False)
    )
    return row if done.rowcount == 1 else None  # type: ignore[attr-defined]


def send_confirmation(user: User, email: str) -> None:
    """Mail a confirmation link to `email`, the account's (new) address; commits."""
    token = issue(user, CONFIRM, email)
    mail.queue(
        email,
        "Confirm your e-mail address",
        f'Someone, probably you, set this e-mail address on the account "{user.name}" of '
        f"{current_app.config['WIKI_SITE_NAME']}.\n\nTo confirm it, open this link within 7 days:\n\n"
        f"{url('Special:ConfirmEmail', token)}\n\nIf this was not you, ignore this message.\n",
    )
    db.session.commit()
    mail.kick()


def confirm(token: str) -> User | None:
    """Confirm the address a link was sent to; the account, or None (unknown, used or expired link,
    or the address changed since)."""
    row = redeem(token, CONFIRM)
    user = db.session.get(User, row.user_id) if row is not None else None
    if user is None or (user.email or "").lower() != row.email.lower():  # type: ignore[union-attr]
        db.session.rollback()
        return None
    user.email_confirmed = utcnow()
    db.session.commit()
    return user


def set_email(user: User, raw: str) -> None:
    """Give the account a new address (or none, with ""); it is unconfirmed until its link is used."""
    email = check_address(raw) if raw.strip() else ""
    old, was_confirmed = user.email, user.email_confirmed
    user.email = email or None
    user.email_confirmed = None
    if old and was_confirmed and old.lower() != email.lower():
        mail.queue(
            old,
            "Your e-mail address was changed",
            f'The e-mail address of the account "{user.name}" was changed from this one. If this was '
            "not you, reset your password and contact an administrator.\n",
        )
    db.session.commit()
    if email:
        send_confirmation(user, email)
    else:
        mail.kick()


def request_reset(name_or_email: str, ip: str | None) -> None:
    """Mail a reset link to the account named, or to every account with that address. Answers
    nothing either way; raises throttle.Throttled only for the asker's own address."""
    if not throttle.spend(RESET_PER_ADDRESS, ip or ""):
        raise throttle.Throttled(
            "You have asked for too many password resets from your IP address. Please wait 1 hour "
            "before trying again.",
            3600,
        )
    given = name_or_email.strip()
    if "@" in given:
        found = list(
            db.session.scalars(
                db.select(User)
                .where(func.lower(User.email) == given.lower())
                .order_by(User.id)
                .limit(MAX_ACCOUNTS_PER_ADDRESS)
            )
        )
    else:
        user = find_user(given) if given else None
        found = [user] if user is not None and user.email else []
    for user in found:
        # The account's own limit is kept quietly: saying so would tell that the account exists.
        if user.disabled or not throttle.spend(RESET_PER_ACCOUNT, str(user.id)):
            continue
        token = issue(user, RESET)
        mail.queue(
            user.email or "",
            "Password reset",
            f'Someone, probably you, asked to reset the password of the account "{user.name}" of '
            f"{current_app.config['WIKI_SITE_NAME']}.\n\nTo choose a new password, open this link "
            f"within 24 hours (it works once):\n\n{url('Special:PasswordReset', token)}\n\n"
            "If this was not you, ignore this message: your password has not been changed.\n",
        )
    db.session.commit()
    mail.kick()


def reset_password(token: str, password: str) -> User | None:
    """Set a new password through a reset link (once); every session of the account ends. None when
    the link is unknown, used or expired; passwords.WeakPassword leaves the link usable."""
    user = peek(token, RESET)
    if user is None:
        return None
    passwords.require(user.name, password, user.group_list)
    if redeem(token, RESET) is None:
        db.session.rollback()
        return None
    user.password_hash = passwords.hash_password(password)
    if user.email and user.email_confirmed is None:
        user.email_confirmed = utcnow()  # the link reached this address
    db.session.commit()
    sessions.end_all(user.id)
    return user


def can_receive(user: User) -> bool:
    return bool(user.email and user.email_confirmed and not user.disabled)


def email_user(sender: User, target: User, subject: str, body: str) -> None:
    """Special:EmailUser: a message from one user to another, sent to the target's address with the
    sender's as Reply-To in the text (addresses are not shown to the other side)."""
    if not current_app.config.get("WIKI_EMAIL_USER"):
        raise Refused("Sending e-mail to other users is not enabled on this wiki.")
    if not can_receive(sender):
        raise Refused("You need a confirmed e-mail address to send e-mail to other users.")
    if not can_receive(target):
        raise Refused(f"{target.name} has not set a confirmed e-mail address.")
    if not subject.strip() or not body.strip():
        raise Refused("Please give a subject and a message.", 400)
    if not throttle.spend(EMAIL_USER, str(sender.id)):
        raise Refused("You have sent too many e-mails today. Please try again tomorrow.", 429)
    mail.queue(
        target.email or "",
        subject.strip(),
        f"{body.strip()}\n\n-- \nThis e-mail was sent by {sender.name} through "
        f"{current_app.config['WIKI_SITE_NAME']} ({url('User:' + sender.name)}).\n",
    )
    db.session.commit()
    mail.kick()


def notify_talk(page_ids: list[int]) -> None:
    """After-commit hook: mail owners of user talk pages just edited by someone else, when asked to."""
    try:
        queued = [_talk_mail(page_id) for page_id in page_ids]
    except Exception:
        db.session.rollback()  # the save is committed already; leave the session usable
        raise
    if any(queued):
        db.session.commit()
        mail.kick()


def _talk_mail(page_id: int) -> bool:
    """Queue the notification for one page if it is due; whether one was queued."""
    page = db.session.get(Page, page_id)
    if page is None or page.namespace != titles.USER_TALK or "/" in page.title or page.latest is None:
        return False
    rev = db.session.get(Revision, page.latest)
    owner = find_user(page.title.replace("_", " "))
    if rev is None or owner is None or not owner.email_on_talk or not can_receive(owner):
        return False
    if rev.user_text == owner.name or rev.timestamp < utcnow() - timedelta(minutes=5):
        return False  # your own edit; or an old revision (a restore brought the page back)
    site_name = current_app.config["WIKI_SITE_NAME"]
    mail.queue(
        owner.email or "",
        f"Your user talk page was changed by {rev.user_text}",
        f"Your user talk page on {site_name} was changed by {rev.user_text}.\n"
        f"Summary: {rev.comment or '(none)'}\n\n{url('User talk:' + owner.name)}\n\n"
        f"To stop these e-mails, untick the option in your preferences: {url('Special:Preferences')}\n",
    )
    return True
