"""Sending one message through SMTP, configured by a URL (WIKI_SMTP_URL).

smtp://host:25                      plain SMTP (a local relay)
smtp://user:password@host:587       STARTTLS, then AUTH (STARTTLS is used whenever credentials are given)
smtps://user:password@host:465      SMTP over TLS
smtp://host:2525?starttls=0         never STARTTLS (a test server)
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

TIMEOUT_SECONDS = 20


class SmtpError(RuntimeError):
    """The message could not be handed to the SMTP server (it is retried later)."""


@dataclass(frozen=True)
class Transport:
    host: str
    port: int
    tls: bool = False  # smtps: TLS from the first byte
    starttls: bool = False
    user: str = ""
    password: str = ""

    @classmethod
    def from_url(cls, url: str) -> Transport:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(
                f"WIKI_SMTP_URL must look like smtp://host:port or smtps://user:pass@host, not {url!r}"
            )
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
        query = parse_qs(parts.query)
        tls = parts.scheme == "smtps"
        starttls_default = "1" if user and not tls else "0"
        starttls = query.get("starttls", [starttls_default])[0] not in ("0", "false", "no")
        port = parts.port or (465 if tls else 25)
        return cls(parts.hostname, port, tls=tls, starttls=starttls, user=user, password=password)

    def send(self, msg: EmailMessage) -> None:
        """Hand `msg` to the server; raises SmtpError with the server's words on any failure."""
        try:
            if self.tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
            with client:
                if self.starttls:
                    client.starttls(context=ssl.create_default_context())
                if self.user:
                    client.login(self.user, self.password)
                client.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpError(f"{self.host}:{self.port}: {exc.__class__.__name__}: {exc}") from exc
