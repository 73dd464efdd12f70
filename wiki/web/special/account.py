"""Special:PasswordReset, Special:ConfirmEmail, Special:ChangeEmail and Special:EmailUser: the forms;
tokens, mails and throttles are wiki.access.recovery's.

The links mailed carry their token as the `token` parameter (index.php?title=Special:...&token=),
which the request log redacts; Special:ConfirmEmail/TOKEN and Special:PasswordReset/TOKEN work too.
Those pages answer `Referrer-Policy: no-referrer`, so the token does not leave in a Referer.
"""

from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user

from wiki.access import accounts, passwords, recovery, throttle
from wiki.access.users import find_user
from wiki.web import common, permissions, special, tokens

SESSION_EXPIRED = "Your session expired; please try again."
RESET_SENT = (
    "If this is an account of this wiki with an e-mail address, a message with a link to choose a "
    "new password has been sent to it. The link works once, within 24 hours."
)
DEAD_LINK = "This link is not valid: it was already used, has expired, or was mistyped."


def _page(heading: str, *, status: int = 200, **context):
    body = render_template("accountform.html", heading=heading, **context)
    return body, status, {"Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store"}


def _field(name: str, label: str, type_: str = "text", value: str = "", autocomplete: str = "") -> dict:
    return {"name": name, "label": label, "type": type_, "value": value, "autocomplete": autocomplete}


@special.register("PasswordReset", "Reset password")
def password_reset(sub: str):
    token = _token(sub)
    if token:
        return _reset_form(token)
    action = common.index_url("Special:PasswordReset")
    fields = [_field("wpUsername", "Username or e-mail address", value=request.form.get("wpUsername", ""))]
    form = {"fields": fields, "action": action, "button": "Reset password"}
    intro = (
        "Give your username or the e-mail address of your account; a link to choose a new password "
        "is mailed to it."
    )
    if request.method != "POST":
        return _page("Reset password", intro=intro, **form)
    if not tokens.check(request.form.get("wpEditToken")):
        return _page("Reset password", error=SESSION_EXPIRED, status=400, **form)
    try:
        recovery.request_reset(request.form.get("wpUsername", "")[:320], common.client_ip())
    except throttle.Throttled as exc:
        body, status, headers = _page("Reset password", error=str(exc), status=429, **form)
        return body, status, {**headers, "Retry-After": str(exc.wait)}
    return _page("Reset password", message=RESET_SENT)


def _token(sub: str) -> str:
    return (request.args.get("token") or sub or "").strip()


def _reset_form(token: str):
    action = common.index_url("Special:PasswordReset", token=token)
    user = recovery.peek(token, recovery.RESET)
    if user is None:
        return _page("Reset password", error=DEAD_LINK, status=404)
    fields = [
        _field("wpNewPassword", "New password:", "password", autocomplete="new-password"),
        _field("wpRetype", "Retype new password:", "password", autocomplete="new-password"),
    ]
    form = {"fields": fields, "action": action, "button": "Set password", "intro": f"Account: {user.name}"}
    if request.method != "POST":
        return _page("Reset password", **form)
    error = None
    if not tokens.check(request.form.get("wpEditToken")):
        error = SESSION_EXPIRED
    elif request.form.get("wpNewPassword", "") != request.form.get("wpRetype", ""):
        error = "The new passwords you entered do not match."
    else:
        try:
            done = recovery.reset_password(token, request.form.get("wpNewPassword", ""))
        except passwords.WeakPassword as exc:
            error = str(exc)
        else:
            if done is None:
                return _page("Reset password", error=DEAD_LINK, status=404)
            return _page(
                "Reset password",
                message="Your password has been changed and every session of the account was ended. "
                "You can now log in with the new password.",
            )
    return _page("Reset password", error=error, status=400, **form)


@special.register("ConfirmEmail", "Confirm e-mail address")
def confirm_email(sub: str):
    token = _token(sub)
    if not token:
        return _page(
            "Confirm e-mail address",
            intro="Open the link mailed to you to confirm your address; Special:ChangeEmail sends a new one.",
        )
    user = recovery.confirm(token)
    if user is None:
        return _page("Confirm e-mail address", error=DEAD_LINK, status=404)
    return _page("Confirm e-mail address", message=f"The e-mail address of {user.name} has been confirmed.")


@special.register("ChangeEmail", "Change e-mail address")
def change_email(_sub: str):
    if not permissions.is_logged_in():
        return redirect(common.index_url("Special:UserLogin", returnto="Special:ChangeEmail"), code=303)
    user = current_user._get_current_object()
    fields = [
        _field("wpPassword", "Password:", "password", autocomplete="current-password"),
        _field(
            "wpNewEmail", "New e-mail address (empty for none):", "email", request.form.get("wpNewEmail", "")
        ),
    ]
    state = f"Current address: {user.email} ({'confirmed' if user.email_confirmed else 'not confirmed'})."
    form = {"fields": fields, "action": common.index_url("Special:ChangeEmail"), "button": "Change e-mail"}
    if request.method != "POST":
        return _page(
            "Change e-mail address", intro=state if user.email else "No e-mail address is set.", **form
        )
    error, status = None, 400
    if not tokens.check(request.form.get("wpEditToken")):
        error = SESSION_EXPIRED
    else:
        try:
            if not accounts.verify_password(user, request.form.get("wpPassword", ""), common.client_ip()):
                error = "The password you entered is incorrect."
            else:
                recovery.set_email(user, request.form.get("wpNewEmail", ""))
        except accounts.Throttled as exc:
            error, status = str(exc), 429
        except recovery.BadAddress as exc:
            error = str(exc)
    if error:
        return _page("Change e-mail address", error=error, status=status, **form)
    done = "A confirmation link was mailed to the new address." if user.email else "The address was removed."
    return _page("Change e-mail address", message=done)


@special.register("EmailUser", "E-mail user")
def email_user(sub: str):
    from flask import current_app

    if not current_app.config.get("WIKI_EMAIL_USER"):
        return common.error_page(
            403, "E-mail user", "Sending e-mail to other users is not enabled on this wiki."
        )
    if not permissions.is_logged_in():
        return redirect(common.index_url("Special:UserLogin", returnto="Special:EmailUser/" + sub), code=303)
    name = request.values.get("target") or sub
    target = find_user(name) if name else None
    if target is None:
        return common.error_page(
            404, "E-mail user", f'There is no user "{name}".' if name else "Give a user name."
        )
    fields = [
        _field("wpSubject", "Subject:", value=request.form.get("wpSubject", "")),
        _field("wpText", "Message:", "textarea", request.form.get("wpText", "")),
    ]
    action = common.index_url("Special:EmailUser/" + target.name)
    form = {"fields": fields, "action": action, "button": "Send", "intro": f"To: {target.name}"}
    if request.method != "POST":
        return _page("E-mail user", **form)
    if not tokens.check(request.form.get("wpEditToken")):
        return _page("E-mail user", error=SESSION_EXPIRED, status=400, **form)
    try:
        recovery.email_user(
            current_user._get_current_object(),
            target,
            request.form.get("wpSubject", "")[:200],
            request.form.get("wpText", "")[:20000],
        )
    except recovery.Refused as exc:
        return _page("E-mail user", error=str(exc), status=exc.status, **form)
    return _page("E-mail user", message=f"Your e-mail to {target.name} has been sent.")
