"""Edit tokens bound to the session (MediaWiki's wpEditToken / csrf token), for both edges: the
web forms and the API check the same token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, session

SUFFIX = "+\\"  # MediaWiki tokens end with "+\"; clients such as mwclient expect it


def edit_token() -> str:
    value = session.get("csrf")
    if not value:
        nonce = secrets.token_hex(8)
        value = nonce + _signature(nonce)
        session["csrf"] = value
    return value + SUFFIX


def _signature(nonce: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"edit-token:" + nonce.encode(), hashlib.sha256).hexdigest()[:16]


def issued(token: str | None) -> bool:
    """True when this wiki issued `token` to some session (not necessarily this one). MediaWiki gives
    every logged-out caller the same token, so a logged-out caller may use one fetched elsewhere;
    a logged-in user's token must be their session's (`check`)."""
    if not token or not token.endswith(SUFFIX) or len(token) != 32 + len(SUFFIX):
        return False
    nonce, signature = token[:16], token[16:32]
    return hmac.compare_digest(signature.encode(), _signature(nonce).encode())


def check(token: str | None) -> bool:
    """True when `token` is this session's token."""
    value = session.get("csrf")
    if not value or not token:
        return False
    return hmac.compare_digest(token.encode(), (str(value) + SUFFIX).encode())
