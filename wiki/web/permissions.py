"""Who may do what. Returns a 403 page saying why, or None when allowed."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from .. import titles
from . import common


def is_logged_in() -> bool:
    return bool(getattr(current_user, "is_authenticated", False))


def check_edit(title: titles.Title):
    if title.namespace < 0:
        return common.error_page(403, "Cannot edit", f'"{title}" is a special page and cannot be edited.')
    if not is_logged_in() and not current_app.config["WIKI_ANON_EDIT"]:
        return common.error_page(
            403,
            "Login required",
            "Anonymous editing is disabled on this wiki. Please log in to edit.",
        )
    return None
