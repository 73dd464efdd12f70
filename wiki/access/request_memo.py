"""Answers kept for the current request only (rows the skin, rights and views ask for more than once).

Nothing is kept between requests: several processes and hosts serve the wiki, and what they share
lives in the database. This package knows nothing of requests: the web layer installs a provider at
app start (`install`), a function that answers the current request's dict (or None outside one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context

Memo = dict[str, dict[Any, Any]]
Provider = Callable[[], Memo | None]
KEY = "wiki.request_memo"


def install(app: Flask, provider: Provider) -> None:
    """Let access code keep answers per request: `provider()` is the current request's dict."""
    app.extensions[KEY] = provider


def get(kind: str) -> dict[Any, Any] | None:
    """A dict that lives as long as the current request, for answers asked again in it (None outside
    a request, or when no provider is installed: commands and workers keep no answers)."""
    if not has_app_context():
        return None
    provider = current_app.extensions.get(KEY)
    store = provider() if provider is not None else None
    return None if store is None else store.setdefault(kind, {})
