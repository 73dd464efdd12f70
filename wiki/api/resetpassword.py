"""action=resetpassword: mail a password-reset link, as Special:PasswordReset does (the same answer
whether or not the account exists)."""

from __future__ import annotations

from wiki.access import recovery, throttle
from wiki.api import access, register
from wiki.api.edit import TOKEN
from wiki.api.errors import ApiError
from wiki.api.params import param

RESET = [
    param("user", help="User being reset."),
    param("email", help="Email address of the user being reset."),
    TOKEN,
]


@register("resetpassword", "Send a password reset email to a user.", params=RESET, post=True, token="token")
def resetpassword(api) -> dict:
    user, email = api.params.get("user"), api.params.get("email")
    if not user and not email:
        raise ApiError("missingparam", 'At least one of the parameters "user" and "email" is required.')
    if email and "@" not in email:
        raise ApiError("badvalue", f'"{email}" is not a valid e-mail address.')
    try:
        recovery.request_reset((user or email or "")[:320], access.client_ip())
    except throttle.Throttled as exc:
        raise ApiError("ratelimited", str(exc)) from None
    return {"resetpassword": {"status": "success"}}
