"""The REST API MediaWiki 1.39 has in core, at /w/rest.php/v1/…, plus a page summary for previews.

An edge beside wiki.web and wiki.api: it reads through the services (wiki.pages, wiki.search),
writes through wiki.pages, and answers JSON shaped as MediaWiki's handlers do, errors included.
Modules: params (reading and bounding parameters), errors (MediaWiki's error bodies), output (the
shapes and URLs), handlers (the routes), edit (creating and updating pages), compare (the diff
JSON), summary (the preview text).
"""

from __future__ import annotations

from flask import Flask

from wiki.rest.handlers import bp

__all__ = ["init"]


def init(app: Flask) -> None:
    """Register the routes under the script path (/w/rest.php)."""
    app.register_blueprint(bp, url_prefix=app.config["WIKI_SCRIPT_PATH"] + "/rest.php")
