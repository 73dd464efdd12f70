"""POST /v1/page and PUT /v1/page/{title}: creating and editing pages as MediaWiki 1.39's
CreationHandler and UpdateHandler do (they run action=edit and map its errors to HTTP codes).

The JSON body is checked first (415 for another content type, 400 for a missing field), then the
content model, then the token (400 when missing, 403 when wrong), then the title, the user's rights
(403), the rate limits (429) and the spam defences; the save goes through wiki.pages. PUT with
`latest.id` edits that base revision (merging edits made since, 409 when they cannot be merged; 404
when the page does not exist); PUT without it and POST only create (409 when the page exists).
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_login import current_user

from wiki import pages, site, spam, titles, tokens
from wiki.access import ratelimit, rights
from wiki.rest import output
from wiki.rest.errors import RestError, json_body

MODELS = ("wikitext",)


def _user() -> Any:
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _ip() -> str:
    return request.remote_addr or "127.0.0.1"


def _action_error(code: str, status: int, message: str) -> RestError:
    """An error of the action module run underneath, as MediaWiki's REST layer passes it on."""
    return RestError(status, message, actionModuleErrorCode=code)


def read_body(fields: tuple[str, ...]) -> dict[str, Any]:
    """The JSON body, its required string fields present (MediaWiki's JsonBodyValidator)."""
    mime = request.mimetype
    if mime != "application/json":
        raise RestError(415, "Unsupported Content-Type", content_type=request.content_type or "")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise RestError(400, "Malformed JSON in the request body.")
    for name in fields:
        if name not in body:
            raise RestError(400, f'Mandatory field "{name}" missing from request body.')
    for name in (*fields, "content_model", "token"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise RestError(400, f'Invalid value for field "{name}" in the request body.')
    latest = body.get("latest")
    if latest is not None and not isinstance(latest, dict):
        raise RestError(400, 'Invalid value for field "latest" in the request body.')
    model = body.get("content_model") or None
    if model is not None and model not in MODELS:
        raise RestError(400, f"Invalid content model: {model}")
    return body


def _check_token(body: dict[str, Any], user: Any) -> None:
    token = body.get("token") or ""
    if not token:
        raise _action_error("missingparam", 400, 'The "token" parameter must be set.')
    # MediaWiki gives every logged-out caller the same token: one issued to another session will do.
    # The JSON content type already keeps a cross-site form from sending this request.
    if tokens.check(token) or (user is None and tokens.issued(token)):
        return
    raise _action_error("badtoken", 403, "Invalid CSRF token.")


def _title(raw: str) -> titles.Title:
    title = titles.try_parse(raw, site.namespaces()) if raw else None
    if title is None or title.interwiki or not title.text:
        raise _action_error("invalidtitle", 400, f'Bad title "{raw}".')
    if title.namespace < 0:
        raise _action_error("pagecannotexist", 400, "Namespace doesn't allow actual pages.")
    return title


def _require(user: Any, title: titles.Title, creating: bool) -> None:
    for right in ("edit", "createpage") if creating else ("edit",):
        denied = rights.can(user, right, title, ip=_ip())
        if denied is not None:
            raise _action_error(getattr(denied, "code", "permissiondenied"), 403, str(denied))


def _answer(result: pages.SaveResult, title: titles.Title, created: bool) -> Response:
    page = result.page
    rev = result.revision
    if page is None:
        raise RestError(500, "The page was not saved.")
    if rev is None:  # no change: MediaWiki answers with the current revision
        rev = pages.latest(page)
    if rev is None:
        raise RestError(500, "The page has no revision.")
    body = {
        "id": page.id,
        "title": title.prefixed_text,
        "key": title.prefixed_dbkey,
        "latest": {"id": rev.id, "timestamp": output.iso(rev.timestamp)},
        "license": output.license_info(),
        "content_model": "wikitext",
        "source": rev.text,
    }
    return json_body(body, 201 if created else 200)


def save(
    raw_title: str, body: dict[str, Any], *, base_id: int | None, create_only: bool, locate: bool = False
) -> Response:
    """Run the edit the handlers describe; `raw_title` comes from the path (PUT) or the body (POST).
    `locate`: answer with the new page's URL in Location (POST)."""
    user = _user()
    _check_token(body, user)
    title = _title(raw_title)
    page = pages.get(title)
    current = pages.latest(page) if page is not None and page.latest else None
    if create_only and current is not None:
        raise _action_error(
            "articleexists", 409, f"The page {title.prefixed_text} already exists; give its latest revision."
        )
    if not create_only and current is None:
        raise _action_error("missingtitle", 404, "The page you specified doesn't exist.")
    _require(user, title, current is None)
    actions = ("edit",) if current is not None else ("edit", "create")
    refused_rate = ratelimit.hit(user, _ip(), *actions)
    if refused_rate is not None:
        error = _action_error("ratelimited", 429, ratelimit.MESSAGE)
        error.retry_after = refused_rate.retry_after
        raise error
    actor = pages.Actor.of(user, _ip())
    text = pages.pre_save_transform(title, str(body["source"]), actor)
    refused = spam.check_edit(user, _ip(), title, current.text if current else None, text, spam.Answer())
    if refused is not None:
        raise _action_error(refused.code, 409 if refused.code == "captcha" else 403, refused.message)
    try:
        result = pages.save(
            title,
            text,
            actor=actor,
            summary=str(body["comment"]),
            base_rev_id=base_id if current is not None else None,
            flags=rights.edit_flags(user, False),
        )
    except pages.TextTooLong as exc:
        raise _action_error(
            "contenttoobig", 400, f"The content you supplied exceeds the page size limit. {exc}"
        ) from None
    if result.status == "deleted":
        raise _action_error("pagedeleted", 409, "The page has been deleted since you fetched it.")
    if result.status == "conflict":
        raise _action_error(
            "editconflict",
            409,
            "Edit conflict: the page changed since the given revision; the changes could not be merged.",
        )
    response = _answer(result, title, result.status == "created")
    if locate:
        response.headers["Location"] = output.route_url(f"/page/{output.url_title(title)}")
    return response


def base_revision(body: dict[str, Any]) -> int | None:
    """`latest.id` of an update's body: the revision the client edited (None: create the page)."""
    latest = body.get("latest") or {}
    raw = latest.get("id")
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise RestError(400, 'Invalid value for field "latest" in the request body.')
    return raw if raw > 0 else None
