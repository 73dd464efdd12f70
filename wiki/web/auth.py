"""Accounts: create, log in, log out (Flask-Login sessions, werkzeug password hashes)."""

from __future__ import annotations

from flask import Flask, redirect, render_template, request
from flask_login import login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from wiki import logs, site, titles
from wiki.access import throttle
from wiki.extensions import db, login_manager
from wiki.models import User
from wiki.pages import Actor
from wiki.web import common, permissions, special, tokens

MIN_PASSWORD = 8


def init(app: Flask) -> None:
    login_manager.login_view = None


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The account of a session, unless its epoch was bumped since (e.g. the password changed)."""
    ident, _, epoch = user_id.partition(":")
    if not ident.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(ident))
    return user if user is not None and (user.session_epoch or 0) == int(epoch) else None


def normalise_name(raw: str) -> str:
    """A user name as MediaWiki stores it: a valid title text, first letter upper-case."""
    title = site.parse_title(raw.strip())
    if title.namespace != titles.MAIN or title.fragment or "/" in title.text or "@" in title.text:
        raise titles.InvalidTitle(f'"{raw}" cannot be used as a user name.')
    return title.text


def find_user(name: str) -> User | None:
    try:
        name = normalise_name(name)
    except titles.InvalidTitle:
        return None
    return db.session.execute(db.select(User).where(User.name == name)).scalar_one_or_none()


def create_user(name: str, password: str, groups: str = "") -> User:
    """Create an account; raises ValueError with a message a user can act on."""
    name = normalise_name(name)
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Passwords must be at least {MIN_PASSWORD} characters.")
    if find_user(name) is not None:
        raise ValueError(f'The user name "{name}" is already in use. Please choose another.')
    user = User(name=name, password_hash=generate_password_hash(password), groups=groups)
    db.session.add(user)
    db.session.flush()
    logs.record(
        "newusers",
        "create",
        namespace=titles.USER,
        title=name.replace(" ", "_"),
        actor=Actor(name, user.id),
        params={"userid": user.id},
    )
    db.session.commit()
    return user


def authenticate(name: str, password: str, ip: str | None = None) -> User | None:
    """The account if the password is right; raises throttle.Throttled after too many failures."""
    try:
        key = normalise_name(name)
    except titles.InvalidTitle:
        key = name.strip()[:200]
    throttle.check(key, ip)
    user = find_user(name)
    if user is None or not check_password_hash(user.password_hash, password):
        throttle.record_failure(key, ip)
        return None
    throttle.clear(key)
    return user


def _return_to() -> str:
    target = request.values.get("returnto") or "Main Page"
    return common.page_url(titles.try_parse(target, site.namespaces()) or "Main Page")


@special.register("CreateAccount", "Create account")
def create_account(_sub: str):
    error = None
    refused = permissions.denied("createaccount")
    if refused is not None:
        return common.error_page(403, "Cannot create account", str(refused), code=refused.code)
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error = "Your session expired; please try again."
        elif request.form.get("wpPassword") != request.form.get("wpRetype"):
            error = "The passwords you entered do not match."
        else:
            try:
                user = create_user(request.form.get("wpName", ""), request.form.get("wpPassword", ""))
            except (ValueError, titles.InvalidTitle) as exc:
                error = str(exc)
            else:
                login_user(user)
                return redirect(_return_to(), code=303)
    status = 400 if error else 200
    return render_template("createaccount.html", error=error, name=request.form.get("wpName", "")), status


@special.register("UserLogin", "Log in")
def user_login(_sub: str):
    error, status = None, 200
    if request.method == "POST":
        if not tokens.check(request.form.get("wpEditToken")):
            error, status = "Your session expired; please try again.", 400
        else:
            form = request.form
            try:
                user = authenticate(form.get("wpName", ""), form.get("wpPassword", ""), common.client_ip())
            except throttle.Throttled as exc:
                user, error, status = None, str(exc), 429
            if user is not None:
                login_user(user, remember=bool(form.get("wpRemember")))
                return redirect(_return_to(), code=303)
            if error is None:
                error, status = "Incorrect username or password entered. Please try again.", 400
    return render_template("login.html", error=error, name=request.form.get("wpName", "")), status


@special.register("UserLogout", "Log out")
def user_logout(_sub: str):
    if request.method == "POST" and tokens.check(request.form.get("wpEditToken")):
        logout_user()
        return redirect(_return_to(), code=303)
    if not permissions.is_logged_in():
        return redirect(_return_to(), code=303)
    return render_template("logout.html")
