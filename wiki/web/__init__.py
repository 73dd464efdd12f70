"""The web layer: thin views over the pages service."""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.exceptions import HTTPException

from wiki import api, tokens
from wiki.pages import newtalk
from wiki.web import (  # noqa: F401 - modules register handlers
    admin_actions,
    auth,
    common,
    dates,
    edit,
    files,
    httpcache,
    info,
    limits,
    loglines,
    observability,
    permissions,
    review,
    security,
    skin,
    special,
    userlinks,
    views,
    watch,
    watchstar,
)
from wiki.web.special import account as special_account  # noqa: F401
from wiki.web.special import admin as admin_special  # noqa: F401
from wiki.web.special import category as special_category  # noqa: F401
from wiki.web.special import concepts as special_concepts  # noqa: F401
from wiki.web.special import export as special_export  # noqa: F401
from wiki.web.special import filelists as special_filelists  # noqa: F401
from wiki.web.special import links as special_links  # noqa: F401
from wiki.web.special import move as special_move  # noqa: F401
from wiki.web.special import preferences as special_preferences  # noqa: F401
from wiki.web.special import protected as special_protected  # noqa: F401
from wiki.web.special import resettokens as special_resettokens
from wiki.web.special import review as special_review  # noqa: F401
from wiki.web.special import revisiondelete as special_revisiondelete  # noqa: F401
from wiki.web.special import rights as special_rights  # noqa: F401
from wiki.web.special import runjobs as special_runjobs  # noqa: F401
from wiki.web.special import search as special_search
from wiki.web.special import statistics as special_statistics  # noqa: F401
from wiki.web.special import upload as special_upload  # noqa: F401
from wiki.web.special import watchlist as special_watchlist  # noqa: F401

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(special.bp)
    files.init(app)  # /images/..., the File: page view
    app.register_blueprint(special_search.bp)  # /w/opensearch_desc.php
    api.init(app)  # /w/api.php, the MediaWiki Action API
    auth.init(app)
    app.extensions.setdefault("wiki.after_commit", []).append(newtalk.note)  # "You have new messages"
    permissions.init(app)  # hands wiki.access its per-request memo
    special.publish(app)
    security.init(app)
    skin.init(app)
    userlinks.init(app)  # user_links(), summary(): template globals
    loglines.init(app)  # log_user(), log_comment(): a log entry's hidden parts, template globals
    dates.init(app)  # user_datetime() and the other dates in the reader's time zone: template globals
    watchstar.init(app)  # the watch star's state for the tabs
    httpcache.init(app)  # caching headers, gzip, static fingerprints, the front cache
    app.config.setdefault("MAX_FORM_PARTS", limits.MAX_PARAMETERS)
    app.wsgi_app = limits.ParameterLimit(app.wsgi_app, max_body=app.config.get("MAX_CONTENT_LENGTH"))
    observability.init(app)  # /healthz, /readyz, request ids, the request log (around the front cache)
    app.context_processor(common.template_globals)
    app.context_processor(review.template_globals)
    app.jinja_env.globals["csrf_token"] = tokens.edit_token
    app.jinja_env.globals["watchlist_feed_url"] = special_resettokens.watchlist_feed_url

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return common.error_page(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        log.exception("unhandled error")
        return common.error_page(
            500, "Internal error", "Something went wrong on our side; nothing you saved was lost."
        )
