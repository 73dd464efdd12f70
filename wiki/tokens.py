"""Edit tokens bound to the session (MediaWiki's wpEditToken / csrf token), for both edges: the
web forms and the API check the same token."""

from __future__ import annotations

import hmac
import secrets

from flask import session

SUFFIX = "+\\"  # MediaWiki tokens end with "+\"; clients such as mwclient expect it


def edit_token() -> str:
    value = session.get("csrf")
    if not value:
        value = secrets.token_hex(16)
        session["csrf"] = value
    return value + SUFFIX


def check(token: str | None) -> bool:
    """True when `token` is this session's token."""
    value = session.get("csrf")
    if not value or not token:
        return False
    return hmac.compare_digest(token.encode(), (str(value) + SUFFIX).encode())
