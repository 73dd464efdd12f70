"""Helpers shared by the views: URLs, title parsing from requests, error pages."""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request
from flask_login import current_user
from markupsafe import Markup

from wiki import diffs, site, titles

# The web layer's URL builders are the site's (the API builds the same URLs).
page_url = site.page_url
index_url = site.index_url


def request_title(text: str | None) -> titles.Title:
    """The title named by a URL or form, or a 400 page naming what is wrong with it."""
    try:
        return site.parse_title(text or "")
    except titles.InvalidTitle as exc:
        abort(error_page(400, "Bad title", f"The requested page title is invalid. {exc}"))


MAX_ID = 2**31 - 1  # ids are the database's 32-bit integers: a larger number names nothing


def int_arg(name: str, default: int, lo: int = 0, hi: int = 5000) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(error_page(400, "Bad parameter", f'The parameter "{name}" must be a whole number.'))
    return max(lo, min(hi, value))


def error_page(status: int, heading: str, message: str, **extra) -> Response:
    body = render_template("error.html", heading=heading, message=message, status=status, **extra)
    return make_response(body, status)


def client_ip() -> str:
    return request.remote_addr or "127.0.0.1"


def diff_table_rows(rows: list[diffs.DiffRow]) -> Markup:
    """The <tr> rows of MediaWiki's diff table (escaped by wiki.diffs)."""
    return Markup(diffs.table_rows_html(rows))


def template_globals() -> dict:
    return {
        "diff_table_rows": diff_table_rows,
        "site_name": current_app.config["WIKI_SITE_NAME"],
        "page_url": page_url,
        "index_url": index_url,
        "current_user": current_user,
        "license_line": current_app.config["WIKI_LICENSE"],
        "script_path": current_app.config["WIKI_SCRIPT_PATH"],
    }
