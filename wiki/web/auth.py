"""Log in, log out, create an account, change the password: the forms and the session cookie.

The accounts, passwords, throttles and sessions themselves are wiki.access's. The cookie (and the
remember-me cookie) carries the token of a server-side session, so logging out, "log out all
sessions" and a new password end it on every host.
"""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, session
from flask_login import current_user, login_user, logout_user

from wiki import site, spam, titles
from wiki.access import accounts, recovery, sessions
from wiki.extensions import login_manager
from wiki.models import User
from wiki.web import common, permissions, special, tokens

WRONG = "Incorrect username or password entered. Please try again."
SESSION_EXPIRED = "Your session expired; please try again."
SUGGEST_CHANGE = "password_change_reason"


def init(app: Flask) -> None:
    login_manager.login_view = None
    app.extensions.setdefault("wiki.after_commit", []).append(recovery.notify_talk)


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    """The account of the session token in the cookie, while that session lasts."""
    return sessions.user_for(token, common.client_ip())


def start_session(user: User, *, remember: bool = False) -> None:
    """Log `user` in with a new server-side session; this browser's earlier session ends. The edit
    token stays: clients such as pywikibot fetch it before logging in and keep it."""
    csrf = session.get("csrf")
    end_session()
    sessions.start(user, common.client_ip(), remember=remember)
    if csrf:
        session["csrf"] = csrf
    login_user(user, remember=remember)


def end_session() -> None:
    """Log out: the server-side session ends, so a copy of the cookie no longer works either."""
    if permissions.is_logged_in():
        sessions.end(current_user.session_token)
    session.clear()
    logout_user()  # after clear(): it marks the remember-me cookie to be deleted


def _return_to() -> str:
    target = request.values.get("returnto") or "Main Page"
    return common.page_url(titles.try_parse(target, site.namespaces()) or "Main Page")


@special.register("CreateAccount", "Create account")
def create_account(_sub: str):
    error = None
    refused = permissions.denied("createaccount")
    if refused is not None:
        return common.error_page(403, "Cannot create account", str(refused), code=refused.code)
    refusal = None
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = SESSION_EXPIRED
        elif request.form.get("wpPassword") != request.form.get("wpRetype"):
            error = "The passwords you entered do not match."
        elif (limited := permissions.rate_limited("createaccount")) is not None:
            return limited
        elif refusal := spam.check_account(
            current_user, common.client_ip(), request.form.get("wpName", ""), _captcha_answer()
        ):
            error = refusal.message
        else:
            try:
                email = request.form.get("wpEmail", "")
                email = recovery.check_address(email) if email.strip() else ""
                user = accounts.create_user(
                    request.form.get("wpName", ""), request.form.get("wpPassword", "")
                )
            except (ValueError, titles.InvalidTitle) as exc:
                error = str(exc)
            else:
                if email:
                    recovery.set_email(user, email)  # mails the confirmation link
                start_session(user)
                return redirect(_return_to(), code=303)
    status = 403 if refusal is not None and refusal.challenge is None else 400 if error else 200
    challenge = (
        refusal.challenge if refusal is not None else spam.account_challenge(current_user, common.client_ip())
    )
    form = request.form
    return render_template(
        "createaccount.html",
        error=error,
        name=form.get("wpName", ""),
        email=form.get("wpEmail", ""),
        captcha=challenge,
    ), status


def _captcha_answer() -> spam.Answer:
    return spam.Answer(request.form.get("wpCaptchaId"), request.form.get("wpCaptchaWord"))


@special.register("UserLogin", "Log in")
def user_login(_sub: str):
    """A wrong password answers 200 with the error box, as MediaWiki does."""
    error, status, ip = None, 200, common.client_ip()
    refusal = None
    if request.method == "POST":
        form = request.form
        if not tokens.check(form.get("wpEditToken")):
            error, status = SESSION_EXPIRED, 400
        elif refusal := spam.check_login(form.get("wpName", ""), ip, _captcha_answer()):
            error = refusal.message
        else:
            password = form.get("wpPassword", "")
            try:
                user = accounts.authenticate(form.get("wpName", ""), password, common.client_ip())
            except accounts.Throttled as exc:
                user, error, status = None, str(exc), 429
            if user is not None:
                return _logged_in(user, password, remember=bool(form.get("wpRemember")))
            spam.login_failed(form.get("wpName", ""), ip)
            error = error or WRONG
    name = request.form.get("wpName", "")
    challenge = refusal.challenge if refusal is not None else spam.login_challenge(name or None, ip)
    return render_template("login.html", error=error, name=name, captcha=challenge), status


def _logged_in(user: User, password: str, *, remember: bool):
    start_session(user, remember=remember)
    problem = accounts.password_problem(user, password)
    if problem is None:
        return redirect(_return_to(), code=303)
    # MediaWiki asks to change a password that no longer meets the policy (sysops need 10 characters).
    session[SUGGEST_CHANGE] = problem
    back = request.values.get("returnto") or "Main Page"
    return redirect(common.index_url("Special:Preferences", returnto=back), code=303)


@special.register("UserLogout", "Log out")
def user_logout(_sub: str):
    if request.method == "POST" and tokens.check(request.form.get("wpEditToken")):
        end_session()
        return redirect(_return_to(), code=303)
    if not permissions.is_logged_in():
        return redirect(_return_to(), code=303)
    return render_template("logout.html")


def password_form(user: User) -> tuple[str | None, str | None]:
    """Special:Preferences' password form: (error, message)."""
    try:
        error = _change_password(user)
    except accounts.Throttled as exc:
        error = str(exc)
    if error is None:
        return None, "Your password has been changed. You have been logged out everywhere else."
    return error, None


def _change_password(user: User) -> str | None:
    """Change the password from the form; the reason it was not changed, or None."""
    form = request.form
    if not accounts.verify_password(user, form.get("wpPassword", ""), common.client_ip()):
        return "The current password you entered is incorrect."
    if form.get("wpNewPassword", "") != form.get("wpRetype", ""):
        return "The new passwords you entered do not match."
    try:
        accounts.set_password(user, form.get("wpNewPassword", ""), keep_session=user.session_token)
    except accounts.WeakPassword as exc:
        return str(exc)
    session.pop(SUGGEST_CHANGE, None)
    return None
