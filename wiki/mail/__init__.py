"""E-mail: messages are rows of the mail outbox, sent after commit by a sender in the background.

`queue()` adds a row in the caller's transaction, so a message exists exactly when the change that
asked for it committed (a password-reset token and its mail, say). Each process runs a `Sender`
thread while WIKI_SMTP_URL is set: woken by `kick()` after a commit, and every POLL_SECONDS on its
own, it claims due rows (one conditional UPDATE each, so two processes or hosts never send the same
row), sends them through SMTP and deletes them; a failure is retried later with a growing delay, up to
MAX_ATTEMPTS. Without WIKI_SMTP_URL nothing is sent and the rows wait.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import delete, func, or_, update

from wiki.extensions import db
from wiki.mail.smtp import SmtpError, Transport
from wiki.models import MailOutbox, utcnow

log = logging.getLogger(__name__)
SENDER_KEY = "wiki.mail.sender"
POLL_SECONDS = 2.0
CLAIM_SECONDS = 120
MAX_ATTEMPTS = 8
BATCH = 50


def queue(recipient: str, subject: str, body: str) -> MailOutbox:
    """Add a message to the outbox in the current transaction (the caller commits)."""
    row = MailOutbox(recipient=recipient, subject=subject[:255], body=body, next_attempt=utcnow())
    db.session.add(row)
    return row


def kick() -> None:
    """Wake this process's sender (after the commit that queued a message)."""
    sender = current_app.extensions.get(SENDER_KEY)
    if sender is not None:
        sender.kick()


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... up to an hour between tries."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def sender_address(app: Flask) -> str:
    configured = app.config.get("WIKI_EMAIL_SENDER") or ""
    if configured:
        return configured
    host = urlsplit(app.config.get("WIKI_SERVER", "")).hostname or "localhost"
    return f"wiki@{host}"


def message(app: Flask, row: MailOutbox) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = formataddr((app.config.get("WIKI_SITE_NAME", "Wiki"), sender_address(app)))
    msg["To"] = row.recipient
    msg["Subject"] = row.subject
    msg["Message-ID"] = make_msgid(idstring=f"outbox{row.id}")
    msg.set_content(row.body)
    return msg


def drain(app: Flask, transport: Transport, limit: int = BATCH) -> int:
    """Send the due messages (at most `limit`); answers how many were sent."""
    sent = 0
    for row_id in _due(limit):
        row = _claim(row_id)
        if row is None:
            continue  # another sender took it
        try:
            transport.send(message(app, row))
        except SmtpError as exc:
            _failed(row, str(exc))
            continue
        db.session.execute(delete(MailOutbox).where(MailOutbox.id == row.id))
        db.session.commit()
        sent += 1
    return sent


def pending() -> tuple[int, int]:
    """(messages waiting, messages given up on after MAX_ATTEMPTS)."""
    waiting = db.session.scalar(
        db.select(func.count(MailOutbox.id)).where(MailOutbox.attempts < MAX_ATTEMPTS)
    )
    failed = db.session.scalar(
        db.select(func.count(MailOutbox.id)).where(MailOutbox.attempts >= MAX_ATTEMPTS)
    )
    db.session.rollback()
    return waiting or 0, failed or 0


def _due(limit: int) -> list[int]:
    now = utcnow()
    ids = list(
        db.session.scalars(
            db.select(MailOutbox.id)
            .where(
                MailOutbox.next_attempt <= now,
                MailOutbox.attempts < MAX_ATTEMPTS,
                or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now),
            )
            .order_by(MailOutbox.next_attempt, MailOutbox.id)
            .limit(limit)
        )
    )
    db.session.rollback()
    return ids


def _claim(row_id: int) -> MailOutbox | None:
    now = utcnow()
    claimed = db.session.execute(
        update(MailOutbox)
        .where(
            MailOutbox.id == row_id,
            or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE answers a CursorResult
        return None
    return db.session.get(MailOutbox, row_id)


def _failed(row: MailOutbox, error: str) -> None:
    row.attempts += 1
    row.last_error = error[:500]
    row.next_attempt = utcnow() + retry_delay(row.attempts)
    row.claimed_until = None
    db.session.commit()
    if row.attempts >= MAX_ATTEMPTS:
        log.error("mail to %s given up after %s attempts: %s", row.recipient, row.attempts, error)
    else:
        log.warning("mail to %s failed (attempt %s), retried later: %s", row.recipient, row.attempts, error)


class Sender:
    """This process's sending thread, started on the first request (gunicorn forks after import)."""

    def __init__(self, app: Flask, transport: Transport) -> None:
        self.app_ref = weakref.ref(app)
        self.transport = transport
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            if self.stopped.is_set():
                return  # stopped for good (the app is closing, or a command sends by itself)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
                self.thread.start()

    def kick(self) -> None:
        self.start()
        self.wake.set()

    def stop(self, wait: float = 5.0) -> None:
        self.stopped.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(wait)

    def _run(self) -> None:
        while not self.stopped.is_set():
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()
            app = self.app_ref()
            if app is None or self.stopped.is_set():
                return
            with app.app_context():
                try:
                    while drain(app, self.transport) == BATCH:
                        pass
                except Exception:  # the rows stay; the next round tries again
                    log.exception("mail sender round failed")
                    db.session.rollback()
                finally:
                    db.session.remove()


def init_app(app: Flask) -> None:
    """Start sending when WIKI_SMTP_URL is configured; register the mail commands."""
    from wiki.mail import commands

    commands.register(app)
    url = app.config.get("WIKI_SMTP_URL") or ""
    if not url:
        return
    sender = Sender(app, Transport.from_url(url))
    app.extensions[SENDER_KEY] = sender
    app.before_request(sender.start)
