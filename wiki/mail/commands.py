"""Flask commands: `mail-test ADDRESS` (queue and send one message now), `mail-queue` (what waits)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wiki.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(mail_test)
    app.cli.add_command(mail_queue)


@click.command("mail-test")
@click.argument("address")
@with_appcontext
def mail_test(address: str) -> None:
    """Send a test message to ADDRESS through WIKI_SMTP_URL, now."""
    from wiki import mail
    from wiki.mail.smtp import Transport

    url = current_app.config.get("WIKI_SMTP_URL") or ""
    if not url:
        raise click.ClickException("WIKI_SMTP_URL is not set; nothing can be sent.")
    mail.queue(address, "Test message", "This is a test message from the wiki; e-mail works.")
    db.session.commit()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy, typed as Flask
    sent = mail.drain(app, Transport.from_url(url))
    waiting, failed = mail.pending()
    click.echo(f"Sent {sent} message(s); {waiting} waiting, {failed} given up.")
    if not sent:
        raise click.ClickException("The message was not sent; see the log for the server's answer.")


@click.command("mail-queue")
@with_appcontext
def mail_queue() -> None:
    """Show how many messages wait in the outbox and how many were given up."""
    from wiki import mail

    waiting, failed = mail.pending()
    click.echo(f"{waiting} message(s) waiting, {failed} given up after {mail.MAX_ATTEMPTS} attempts.")
