"""action=login, action=clientlogin, action=createaccount and action=logout.

Sessions are the web's: the Flask session cookie carries the token of a server-side session
(wiki.access.sessions), so a client logged in here is logged in on the site too, and logging out
ends the session for every copy of the cookie. Passwords are checked by wiki.access.accounts, which
applies the login throttle.
"""

from __future__ import annotations

from flask import session
from flask_login import current_user, login_user, logout_user

from wiki import spam, titles
from wiki.access import accounts, ratelimit, sessions
from wiki.api import access, register
from wiki.api.errors import ApiError, bad_token, missing_param
from wiki.api.params import param

WRONG = "Incorrect username or password entered. Please try again."


CAPTCHA = [
    param("captchaId", help="CAPTCHA ID from the previous answer (spam defence)."),
    param("captchaWord", help="Answer to the CAPTCHA."),
]


def _authenticate(name: str, password: str, answer: spam.Answer):
    """(user, None) on success, (None, (code, message, CAPTCHA to answer next or None)) otherwise."""
    refused = spam.check_login(name, access.client_ip(), answer)
    if refused is not None:
        return None, ("Failed", refused.message, refused.challenge)
    try:
        user = accounts.authenticate(name, password, access.client_ip())
    except accounts.Throttled as exc:
        return None, ("Throttled", str(exc), None)
    if user is None:
        spam.login_failed(name, access.client_ip())
        return None, ("Failed", WRONG, spam.login_challenge(name, access.client_ip()))
    return user, None


def _answer(api) -> spam.Answer:
    return spam.Answer(api.params.get("captchaId"), api.params.get("captchaWord"))


def _captcha_request(challenge: spam.Challenge) -> list[dict]:
    """The CAPTCHA as an AuthManager request of the clientlogin/createaccount UI answer."""
    fields = {
        "captchaId": {"type": "hidden", "value": challenge.id, "label": "CAPTCHA ID", "help": ""},
        "captchaInfo": {"type": "null", "value": challenge.question, "label": "CAPTCHA", "help": ""},
        "captchaWord": {"type": "string", "label": "Answer", "help": "Answer the question above."},
    }
    return [{"id": "CaptchaAuthenticationRequest", "metadata": {"type": "question"}, "fields": fields}]


def _start_session(user) -> None:
    """A new server-side session (this client's earlier one ends). The csrf token stays what it
    was: clients such as pywikibot fetch it before logging in and keep it (the session cookie is
    signed, so nobody else could have learnt it)."""
    csrf = session.get("csrf")
    _end_session()
    sessions.start(user, access.client_ip())
    if csrf:
        session["csrf"] = csrf
    login_user(user)


def _end_session() -> None:
    if access.current() is not None:
        sessions.end(current_user.session_token)
    session.clear()
    logout_user()


@register(
    "login",
    "Log in and get authentication cookies.",
    params=[
        param("name", "user", help="User name."),
        param("password", "password", help="Password."),
        param(
            "token", help="A login token from meta=tokens.", extra={"tokentype": "login", "sensitive": True}
        ),
        param("captchaid", help="CAPTCHA ID from the previous answer (spam defence)."),
        param("captchaword", help="Answer to the CAPTCHA."),
    ],
    post=True,
    prefix="lg",
)
def login(api) -> dict:
    params = api.params
    name, password = params.get("lgname", ""), params.get("lgpassword", "")
    token = params.get("lgtoken")
    if not token:
        return {"login": {"result": "NeedToken", "token": access.login_token()}}
    if not access.valid_login_token(token):
        return {"login": {"result": "WrongToken"}}
    if not name:
        return {
            "login": {"result": "Failed", "reason": "The supplied credentials could not be authenticated."}
        }
    answer = spam.Answer(params.get("lgcaptchaid"), params.get("lgcaptchaword"))
    user, failure = _authenticate(name, password, answer)
    if failure is not None:
        code, reason, captcha = failure
        out = {"result": code, "reason": reason}
        if code == "Throttled":
            out["wait"] = 300  # MediaWiki's throttle period
        if captcha is not None:
            out["captcha"] = captcha.as_api()
        return {"login": out}
    _start_session(user)
    return {"login": {"result": "Success", "lguserid": user.id, "lgusername": user.name}}


@register(
    "clientlogin",
    "Log in to the wiki using the interactive flow.",
    params=[
        param("username", "user", help="User name."),
        param("password", "password", help="Password."),
        param("logintoken", help="A login token from meta=tokens.", extra={"tokentype": "login"}),
        param("loginreturnurl", help="Return URL for third-party authentication flows."),
        param("logincontinue", "boolean", help="Continue an authentication flow."),
        *CAPTCHA,
    ],
    post=True,
)
def clientlogin(api) -> dict:
    params = api.params
    if not access.valid_login_token(params.get("logintoken")):
        raise bad_token()
    if params.get("loginreturnurl") is None and not params.flag("logincontinue"):
        raise ApiError(
            "missingparam", 'Either the "loginreturnurl" or the "logincontinue" parameter must be set.'
        )
    name, password = params.get("username", ""), params.get("password", "")
    if not name or not password:
        return {
            "clientlogin": {
                "status": "FAIL",
                "message": "The supplied credentials could not be authenticated.",
                "messagecode": "authmanager-authn-no-primary",
            }
        }
    user, failure = _authenticate(name, password, _answer(api))
    if failure is not None:
        code, message, captcha = failure
        if captcha is not None:
            requests = _captcha_request(captcha)
            return {"clientlogin": {"status": "UI", "message": message, "requests": requests}}
        messagecode = "login-throttled" if code == "Throttled" else "wrongpassword"
        return {"clientlogin": {"status": "FAIL", "message": message, "messagecode": messagecode}}
    _start_session(user)
    return {"clientlogin": {"status": "PASS", "username": user.name}}


@register(
    "createaccount",
    "Create a new user account.",
    params=[
        param("username", "user", help="User name."),
        param("password", "password", help="Password."),
        param("retype", "password", help="The password again."),
        param("createtoken", help="A csrf token from meta=tokens.", extra={"tokentype": "createaccount"}),
        param("createreturnurl", help="Return URL for third-party authentication flows."),
        param("createcontinue", "boolean", help="Continue an account creation flow."),
        *CAPTCHA,
    ],
    post=True,
)
def createaccount(api) -> dict:
    params = api.params
    if not access.valid_csrf(params.get("createtoken"), "createaccount"):
        raise bad_token()
    if params.get("createreturnurl") is None and not params.flag("createcontinue"):
        raise ApiError(
            "missingparam", 'Either the "createreturnurl" or the "createcontinue" parameter must be set.'
        )
    access.require(api.user, "createaccount")
    name = params.get("username")
    password = params.get("password")
    if not name:
        raise missing_param("username")
    if not password:
        raise missing_param("password")
    if params.get("retype") is not None and params.get("retype") != password:
        return _fail("The passwords you entered do not match.", "badretype")
    refused = ratelimit.hit(api.user, access.client_ip(), "createaccount")
    if refused is not None:
        api.retry_after = refused.retry_after
        return _fail(refused.message, "acct_creation_throttle_hit")
    refused = spam.check_account(api.user, access.client_ip(), name, _answer(api))
    if refused is not None and refused.challenge is not None:
        requests = _captcha_request(refused.challenge)
        return {"createaccount": {"status": "UI", "message": refused.message, "requests": requests}}
    if refused is not None:
        return _fail(refused.message, refused.code)
    try:
        user = accounts.create_user(name, password)
    except titles.InvalidTitle as exc:
        return _fail(str(exc), "noname")
    except accounts.NameTaken as exc:
        return _fail(str(exc), "userexists")
    except accounts.BadName as exc:
        return _fail(str(exc), "noname")
    except accounts.WeakPassword as exc:
        return _fail(str(exc), "passwordpolicy")
    if api.user is None:
        _start_session(user)
    return {"createaccount": {"status": "PASS", "username": user.name}}


def _fail(message: str, code: str) -> dict:
    return {"createaccount": {"status": "FAIL", "message": message, "messagecode": code}}


@register(
    "logout",
    "Log out and clear session data.",
    params=[param("token", required=True, help="A csrf token.", extra={"tokentype": "csrf"})],
    post=True,
    token="token",
)
def logout(api) -> dict:
    _end_session()
    return {}
