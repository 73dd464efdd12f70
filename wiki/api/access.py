"""Who is calling: the session's user, their groups and rights, tokens and asserts.

Rights and permission checks come from wiki.access.rights (groups *, user, sysop; protections; blocks);
this module only adapts them to the API's error objects.
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session
from flask_login import current_user

from wiki import pages, titles, tokens
from wiki.api.errors import ApiError

LOGIN_TOKEN_KEY = "api_login_token"


def current():
    """The logged-in User, or None for anonymous callers."""
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _rights_module():
    from wiki.access import rights

    return rights


def groups(user) -> list[str]:
    return _rights_module().groups_for(user)


def rights(user) -> list[str]:
    return _rights_module().rights_for(user)


def reader_rights() -> frozenset[str]:
    """The caller's rights, read once per request: what revision deletion lets them see."""
    from wiki.access import request_memo

    kept = request_memo.get("api_reader_rights")
    if kept is not None and "rights" in kept:
        return kept["rights"]
    answer = frozenset(rights(current()))
    if kept is not None:
        kept["rights"] = answer
    return answer


def require(user, right: str, title: titles.Title | None = None) -> None:
    """Raise the API error MediaWiki gives when `user` may not use `right` (on `title`)."""
    denied = _rights_module().can(user, right, title, ip=client_ip())
    if denied is not None:
        raise ApiError(getattr(denied, "code", "permissiondenied"), str(denied))


def require_move(user, source: titles.Title, target: titles.Title) -> None:
    """Raise MediaWiki's error when `user` may not move `source` to `target` (MovePage's checks)."""
    denied = _rights_module().can_move(user, source, target, ip=client_ip())
    if denied is not None:
        raise ApiError(getattr(denied, "code", "permissiondenied"), str(denied))


def require_rate(api, *actions: str) -> None:
    """Count one use of each action; raise MediaWiki's `ratelimited` when a limit is used up (the
    answer carries Retry-After)."""
    from wiki.access import ratelimit

    refused = ratelimit.hit(api.user, client_ip(), *actions)
    if refused is not None:
        api.retry_after = refused.retry_after
        raise ApiError("ratelimited", ratelimit.MESSAGE)


def client_ip() -> str:
    return request.remote_addr or "127.0.0.1"


def actor(user) -> pages.Actor:
    """The caller as the one who acts; their logged actions (move, delete, protect, upload, block,
    userrights...) are bot actions when they have the bot right, unless the request says bot=0
    (MediaWiki's RecentChange::newLogEntry reads the request's `bot`, true when absent)."""
    requested = request.values.get("bot", "1") not in ("", "0")
    return pages.Actor.of(user, client_ip(), bot=_rights_module().bot_flag(user, requested))


# Session-bound for every caller: account creation must not be forged for a logged-out visitor.
SESSION_TOKENS = ("createaccount",)


def csrf_token() -> str:
    return tokens.edit_token()


def valid_csrf(token: str | None, kind: str = "csrf") -> bool:
    """This session's token; a logged-out caller may also use a token issued to another session
    (MediaWiki gives all logged-out callers one token), except for account creation."""
    if tokens.check(token):
        return True
    return current() is None and kind not in SESSION_TOKENS and tokens.issued(token)


def login_token() -> str:
    value = session.get(LOGIN_TOKEN_KEY)
    if not value:
        value = secrets.token_hex(16)
        session[LOGIN_TOKEN_KEY] = value
    return value + tokens.SUFFIX


def valid_login_token(token: str | None) -> bool:
    value = session.get(LOGIN_TOKEN_KEY)
    return bool(value and token) and hmac.compare_digest(token.encode(), (value + tokens.SUFFIX).encode())


def check_assert(kind: str | None, assert_user: str | None, user) -> None:
    """The `assert` and `assertuser` parameters: refuse when the session is not what the client expects."""
    if kind == "user" and user is None:
        raise ApiError(
            "assertuserfailed", "You are no longer logged in, so the action could not be completed."
        )
    if kind == "bot" and (user is None or "bot" not in rights(user)):
        raise ApiError(
            "assertbotfailed", 'You do not have the "bot" right, so the action could not be completed.'
        )
    if kind == "anon" and user is not None:
        raise ApiError(
            "assertanonfailed", "You are no longer logged out, so the action could not be completed."
        )
    if kind not in (None, "", "user", "bot", "anon"):
        raise ApiError("badvalue", f'Unrecognized value for parameter "assert": {kind}.')
    if assert_user:
        name = user.name if user is not None else ""
        if name.replace("_", " ").lower() != assert_user.replace("_", " ").lower():
            raise ApiError(
                "assertnameduserfailed",
                f'You are no longer logged in as "{assert_user}", so the action could not be completed.',
            )
