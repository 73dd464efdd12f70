"""The MediaWiki Action API at /w/api.php: the subset that real clients (mwclient, pywikibot) use.

One blueprint, one route. Each module (action=query, edit, login, ...) registers a handler in
MODULES; the dispatcher here reads the common parameters (format, formatversion, assert), checks
POST and tokens for write modules, and turns ApiError into MediaWiki's error object (HTTP 200).
Parameters nobody read are reported as MediaWiki's "Unrecognized parameter" warnings.
"""

from __future__ import annotations

import logging
import socket

from flask import Blueprint, Flask, current_app, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from wiki import site
from wiki.api import access
from wiki.api.errors import ApiError, Warnings, bad_token, bad_value, missing_param, must_post
from wiki.api.output import Node, iso, json_response
from wiki.api.params import Params, param
from wiki.api.registry import MODULES, Module, register
from wiki.extensions import db
from wiki.models import utcnow

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__)


__all__ = ["MODULES", "Api", "Module", "register"]

FORMATS = ("json", "jsonfm")
# The parameters of every request (MediaWiki's ApiMain); the action's own come from its module.
MAIN_PARAMS = [
    param("action", help="Which action to perform."),
    param("format", FORMATS, default="jsonfm", help="The format of the output."),
    param("formatversion", ("1", "2", "latest"), default="1", help="Output formatting."),
    param("utf8", "boolean", help="Non-ASCII characters unescaped (formatversion=1)."),
    param("ascii", "boolean", help="Every non-ASCII character escaped."),
    param("maxlag", "integer", min=0, help="Maximum lag (this wiki has no replicas: never exceeded)."),
    param("assert", ("anon", "bot", "user"), help="Verify the user is logged in (user, bot) or not (anon)."),
    param("assertuser", "user", help="Verify the current user is the named user."),
    param("requestid", help="Any value given here is included in the response."),
    param("servedby", "boolean", help="Include the hostname that served the request."),
    param("curtimestamp", "boolean", help="Include the current timestamp in the result."),
]


class Api:
    """One API request: parameters, warnings, the user, the output format."""

    def __init__(self, values: MultiDict, method: str, query_names: frozenset[str] = frozenset()):
        self.params = Params(values, lambda: {n for n in site.namespaces().names if n >= 0})
        self.method = method
        self.query_names = query_names  # the parameters given in the URL (a token must not be)
        self.warnings = Warnings()
        self.params.warn = self.warn
        self.retry_after: int | None = None  # seconds, when a rate limit refused the request
        self.version = 2 if values.get("formatversion") in ("2", "latest") else 1
        self.user = access.current()
        self.params.high_limits = self.user is not None and "apihighlimits" in access.rights(self.user)

    def warn(self, module: str, text: str) -> None:
        self.warnings.add(module, text)


@bp.route("/w/api.php", methods=["GET", "POST"])
def api_php():
    values = MultiDict(request.args)
    try:
        values.update(request.form)
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        error = ApiError("contenttoobig", f"The request is larger than the limit of {limit:,} bytes.")
        return json_response(_error(error), version=1, ascii_only=True, error=error.code)
    if not values:
        return help_page()
    api = Api(values, request.method, frozenset(request.args))
    # MediaWiki's opensearch answers JSON when no format is asked for (its default is "json").
    fmt = values.get("format", "json" if values.get("action") == "opensearch" else "jsonfm")
    ascii_only = api.version == 1 and "utf8" not in values or "ascii" in values
    try:
        if fmt not in FORMATS:
            raise bad_value("format", fmt)
        result = _run(api)
        error = ""
    except ApiError as exc:
        db.session.rollback()
        result, error = _error(exc), exc.code
    except Exception as exc:  # never a 500: clients such as mwclient retry those for minutes
        db.session.rollback()
        # Parameter names only: values may hold passwords and tokens (lgpassword, password, token).
        log.exception("API request failed: action=%s, parameters %s", values.get("action"), sorted(values))
        name = exc.__class__.__name__
        result = _error(ApiError(f"internal_api_error_{name}", f"Caught exception of type {name}."))
        error = result["error"]["code"]
    if "__raw__" in result:  # the feed modules answer Atom or RSS: (body, content type)
        body, content_type = result["__raw__"]
        return current_app.response_class(body, content_type=content_type)
    if "__list__" in result:  # opensearch answers a bare JSON array
        result = result["__list__"]
    elif api.warnings:  # after batchcomplete and continue, before the data, as MediaWiki orders them
        head = {k: result.pop(k) for k in ("batchcomplete", "continue") if k in result}
        result = {**head, "warnings": _warnings(api), **result}
    pretty = fmt == "jsonfm"
    resp = json_response(result, version=api.version, ascii_only=ascii_only, pretty=pretty, error=error)
    if pretty:
        resp = current_app.response_class(
            render_template("api_result.html", body=resp.get_data(as_text=True)), mimetype="text/html"
        )
    if api.retry_after is not None:
        resp.headers["Retry-After"] = str(api.retry_after)
    return resp


def _run(api: Api) -> dict:
    params = api.params
    for name, value in params.values.items(multi=True):
        if "\x00" in value or "\x00" in name:  # no database stores it; MediaWiki refuses it too
            raise ApiError(
                "badvalue", f'The parameter "{name.replace(chr(0), "")}" contains a NUL character.'
            )
    params.declare(MAIN_PARAMS)
    action = params.get("action")
    if action is None:
        return {"help": help_summary()}
    module = MODULES.get(action)
    if module is None:
        raise bad_value("action", action)
    access.check_assert(params.get("assert"), params.get("assertuser"), api.user)
    params.declare(module.params, module.prefix, action)
    if module.token is not None:
        _check_token(api, module.token)
    if module.post and api.method != "POST":
        raise must_post(action)
    result = module.handler(api)
    if "__list__" not in result and "__raw__" not in result:
        result = {**_echoed(params), **result}
    unused = params.unused()
    if unused:
        noun = "parameter" if len(unused) == 1 else "parameters"
        api.warn("main", f"Unrecognized {noun}: {', '.join(unused)}.")
    return result


def _check_token(api: Api, name: str) -> None:
    """MediaWiki's order (ApiMain::setupModule), after the module's other parameters: a missing or
    empty token is `missingparam`, one in the URL `mustpostparams` (so a GET never gets further),
    a wrong one `badtoken`."""
    token = api.params.values.get(name)
    if not token:
        raise missing_param(name)
    if name in api.query_names:
        raise ApiError(
            "mustpostparams",
            f"The following parameter was found in the query string, but must be in the POST body: {name}.",
        )
    if not access.valid_csrf(token):
        raise bad_token()


def _echoed(params: Params) -> dict:
    out: dict = {}
    if params.get("requestid") is not None:
        out["requestid"] = params.get("requestid")
    if params.flag("servedby"):
        out["servedby"] = socket.gethostname()
    if params.flag("curtimestamp"):
        out["curtimestamp"] = iso(utcnow())
    return out


def _error(exc: ApiError) -> dict:
    server = current_app.config["WIKI_SERVER"] + current_app.config["WIKI_SCRIPT_PATH"]
    usage = f"See {server}/api.php for API usage."
    return {"error": Node("docref", usage, code=exc.code, info=exc.info, **exc.extra)}


def _warnings(api: Api) -> dict:
    return {module: Node("warnings", "\n".join(texts)) for module, texts in api.warnings.by_module.items()}


def help_summary() -> str:
    return "Supported modules: " + ", ".join(sorted(MODULES)) + "."


def help_page():
    from wiki.api.registry import SUBMODULES

    modules = sorted(MODULES.values(), key=lambda m: m.name)
    submodules = sorted(SUBMODULES.values(), key=lambda m: (m.group, m.name))
    return render_template("api_help.html", main=MAIN_PARAMS, modules=modules, submodules=submodules)


@register("help", "Display help for the modules.")
def help_module(api) -> dict:
    """action=help: the same help as /w/api.php without parameters, wrapped as MediaWiki wraps it."""
    return {"help": {"mime": "text/html", "help": help_page()}}


def init(app: Flask) -> None:
    app.register_blueprint(bp)


# The modules register themselves in MODULES (they import `register` from here).
from wiki.api import (  # noqa: E402, F401
    admin,
    compare,
    concepts,
    edit,
    feeds,
    files,
    login,
    moderation,
    options,
    paraminfo,
    parse,
    patrol,
    query,
    resetpassword,
    revisiondelete,
    rollback,
    search,
    tags,
    userrights,
    watch,
)
