"""The JSON shapes MediaWiki 1.39's REST handlers answer with, and the URLs they link to."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from flask import Response, current_app

from wiki import titles
from wiki.models import Page, Revision
from wiki.pages import reads, revdelete

PREFIX = "/rest.php/v1"
MAX_AGE = 5  # seconds, as MediaWiki's page and revision handlers
SOURCE_VARIANTS = frozenset({"source", "bare", "rev-source", "rev-bare"})


def iso(when: datetime | None) -> str | None:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else None


def route_path(path: str) -> str:
    """The path of a REST route on this host."""
    return f"{current_app.config['WIKI_SCRIPT_PATH']}{PREFIX}{path}"


def route_url(path: str, query: dict[str, Any] | None = None) -> str:
    """An absolute URL of a REST route (MediaWiki's getRouteUrl)."""
    url = current_app.config["WIKI_SERVER"] + route_path(path)
    return url + ("?" + urlencode(query) if query else "")


def title_path(title: titles.Title) -> str:
    return quote(title.prefixed_dbkey, safe=":()!*,;@$~")


def url_title(title: titles.Title) -> str:
    """The title in a route URL as MediaWiki's Handler::urlEncodeTitle writes it ("/" encoded)."""
    return quote(title.prefixed_dbkey, safe=";@$!*(),~:")


def text_path(title: titles.Title) -> str:
    """The prefixed text in a route URL as MediaWiki's getRouteUrl writes a {title} parameter."""
    return quote(title.prefixed_text, safe="")


def license_info() -> dict[str, str]:
    cfg = current_app.config
    return {"url": cfg.get("WIKI_RIGHTS_URL", ""), "title": cfg.get("WIKI_RIGHTS_TEXT", "")}


def page_stub(page: Page) -> dict[str, Any]:
    title = reads.title_of(page)
    return {"id": page.id, "key": title.prefixed_dbkey, "title": title.prefixed_text}


def page_bare(page: Page, latest: Revision) -> dict[str, Any]:
    return page_stub(page) | {
        "latest": {"id": latest.id, "timestamp": iso(latest.timestamp)},
        "content_model": "wikitext",
        "license": license_info(),
    }


def user_of(rev: Revision) -> dict[str, Any] | None:
    """The editor, null when revision deletion hides it (REST answers are public, as MediaWiki's)."""
    if not revdelete.public(rev.deleted, revdelete.USER):
        return None
    return {"id": rev.user_id, "name": rev.user_text}


def comment_of(rev: Revision) -> str | None:
    """The edit summary, null when hidden."""
    return rev.comment if revdelete.public(rev.deleted, revdelete.COMMENT) else None


def revision_bare(rev: Revision, page: Page, parent_size: int | None) -> dict[str, Any]:
    return {
        "id": rev.id,
        "size": rev.size,
        "minor": bool(rev.minor),
        "timestamp": iso(rev.timestamp),
        "content_model": "wikitext",
        "page": page_stub(page),
        "license": license_info(),
        "user": user_of(rev),
        "comment": comment_of(rev),
        "delta": rev.size - parent_size if parent_size is not None else None,
    }


def cacheable(response: Response, rev: Revision | tuple[int, datetime], page: Page, variant: str) -> Response:
    """ETag and Last-Modified from the revision, or its (id, timestamp), and for rendered variants
    page.touched (which moves when links change colour or a template changes), max-age as
    MediaWiki's; conditional requests get 304."""
    rev_id, stamp = rev if isinstance(rev, tuple) else (rev.id, rev.timestamp)
    # The source and metadata change only with a revision: their Last-Modified is its timestamp,
    # as MediaWiki's (clients compare it with latest.timestamp).
    rendered = variant not in SOURCE_VARIANTS
    touched = max(page.touched, stamp) if page.touched and rendered else stamp
    hidden = getattr(rev, "deleted", 0) or 0  # a change of visibility is a new answer
    tag = hashlib.sha1(f"{variant}:{rev_id}:{touched.isoformat()}:{hidden}".encode()).hexdigest()
    response.set_etag(tag)
    response.last_modified = touched
    response.headers["Cache-Control"] = f"max-age={MAX_AGE}"
    return response
