"""The mail outbox: queued in the transaction, sent by the background sender, retried on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import close_app, make_app


def _queue(app, recipient: str, subject: str, body: str = "Hello.") -> None:
    from wiki import mail
    from wiki.extensions import db

    with app.app_context():
        mail.queue(recipient, subject, body)
        db.session.commit()
        mail.kick()


def _rows(app) -> list:
    from wiki.extensions import db
    from wiki.models import MailOutbox

    with app.app_context():
        rows = list(db.session.scalars(db.select(MailOutbox)))
        db.session.expunge_all()
        return rows


def test_a_queued_message_reaches_the_smtp_server(mail_app, smtp_server):
    _queue(mail_app, "reader@example.org", "Your wiki account", "Words of the message.")
    [received] = smtp_server.wait_for(1)
    assert received["To"] == "reader@example.org"
    assert received["Subject"] == "Your wiki account"
    assert "LLM Knowledge Wiki" in received["From"] and "<wiki@127.0.0.1>" in received["From"]
    assert received.get_content().strip() == "Words of the message."
    assert _eventually_empty(mail_app)  # sent messages leave the outbox


def _eventually_empty(app, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while _rows(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _rows(app) == []


def test_a_message_is_not_sent_when_its_transaction_rolls_back(mail_app, smtp_server):
    from wiki import mail
    from wiki.extensions import db

    with mail_app.app_context():
        mail.queue("nobody@example.org", "Never sent", "Body.")
        db.session.rollback()
    _queue(mail_app, "someone@example.org", "Sent")
    received = smtp_server.wait_for(1)
    assert [m["Subject"] for m in received] == ["Sent"]


def test_a_refused_message_is_kept_and_retried_until_it_goes(mail_app, smtp_server):
    from wiki import mail
    from wiki.extensions import db
    from wiki.mail.smtp import Transport
    from wiki.models import MailOutbox

    smtp_server.refuse = True
    mail_app.extensions["wiki.mail.sender"].stop()  # drive the sends by hand, deterministically
    _queue(mail_app, "later@example.org", "Eventually")
    with mail_app.app_context():
        transport = Transport.from_url(smtp_server.url)
        assert mail.drain(mail_app, transport) == 0
        [row] = db.session.scalars(db.select(MailOutbox)).all()
        assert row.attempts == 1 and "451" in row.last_error and row.claimed_until is None
        assert mail.drain(mail_app, transport) == 0  # not due yet: no second try at once
        smtp_server.refuse = False
        row.next_attempt = row.next_attempt - timedelta(minutes=5)
        db.session.commit()
        assert mail.drain(mail_app, transport) == 1
    assert [m["Subject"] for m in smtp_server.messages] == ["Eventually"]
    assert _rows(mail_app) == []


def test_an_unreachable_server_delays_the_message_without_losing_it(database_url, instance_dir):
    from wiki import mail
    from wiki.extensions import db
    from wiki.mail.smtp import Transport

    app = make_app(database_url, instance_dir)
    try:
        with app.app_context():
            mail.queue("patient@example.org", "Waits", "Body.")
            db.session.commit()
            assert mail.drain(app, Transport.from_url("smtp://127.0.0.1:9")) == 0
            assert mail.pending() == (1, 0)
    finally:
        close_app(app)
    [row] = _rows_of(database_url, instance_dir)
    assert row.attempts == 1 and "127.0.0.1:9" in row.last_error


def _rows_of(database_url, instance_dir):
    app = make_app(database_url, instance_dir)
    try:
        return _rows(app)
    finally:
        close_app(app)


def test_two_senders_never_send_one_message_twice(mail_app, smtp_server, database_url, tmp_path):
    from wiki import mail
    from wiki.extensions import db
    from wiki.mail.smtp import Transport

    mail_app.extensions["wiki.mail.sender"].stop()
    other = make_app(database_url, tmp_path / "other-host", WIKI_SMTP_URL=smtp_server.url)
    other.extensions["wiki.mail.sender"].stop()
    try:
        with mail_app.app_context():
            for i in range(20):
                mail.queue(f"r{i}@example.org", f"Message {i}", "Body.")
            db.session.commit()
        import threading

        counts: list[int] = []

        def run(app) -> None:
            with app.app_context():
                counts.append(mail.drain(app, Transport.from_url(smtp_server.url)))

        threads = [threading.Thread(target=run, args=(a,)) for a in (mail_app, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        close_app(other)
    subjects = sorted(m["Subject"] for m in smtp_server.wait_for(20))
    assert sum(counts) == 20
    assert subjects == sorted(f"Message {i}" for i in range(20))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, "")),
        ("smtp://u%40x:p%3Aw@mail.example.org:587", ("mail.example.org", 587, False, True, "u@x")),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, True, False, "u")),
        ("smtp://127.0.0.1:2525?starttls=0", ("127.0.0.1", 2525, False, False, "")),
    ],
)
def test_smtp_urls_are_read_as_documented(url, expected):
    from wiki.mail.smtp import Transport

    t = Transport.from_url(url)
    assert (t.host, t.port, t.tls, t.starttls, t.user) == expected


def test_a_malformed_smtp_url_is_refused_with_its_form():
    from wiki.mail.smtp import Transport

    with pytest.raises(ValueError, match="smtp://host:port"):
        Transport.from_url("mailto:someone@example.org")


def test_mail_queue_command_reports_what_waits(database_url, instance_dir):
    from wiki import mail
    from wiki.extensions import db

    app = make_app(database_url, instance_dir)
    try:
        with app.app_context():
            mail.queue("a@example.org", "One", "Body.")
            db.session.commit()
        output = app.test_cli_runner().invoke(args=["mail-queue"]).output
        assert "1 message(s) waiting" in output
    finally:
        close_app(app)
