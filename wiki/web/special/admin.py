"""Special:Undelete, Special:Block, Special:Unblock, Special:BlockList and Special:Preferences."""

from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user, login_user
from werkzeug.security import check_password_hash, generate_password_hash

from wiki import pages, site, titles
from wiki.access import blocks, expiry
from wiki.extensions import db
from wiki.pages import deletion
from wiki.web import auth, common, permissions, special, tokens
from wiki.web.admin_actions import EXPIRY_CHOICES


def _actor() -> pages.Actor:
    return pages.Actor.of(current_user, common.client_ip())


def _token_ok() -> bool:
    return tokens.check(request.form.get("wpEditToken"))


SESSION_EXPIRED = "Your session expired; please try again."


@special.register("Undelete", "View and restore deleted pages")
def undelete(sub: str):
    refused = permissions.check("undelete", heading="Permission error")
    if refused is not None:
        return refused
    target = sub or request.values.get("target", "")
    if not target:
        prefix = request.args.get("prefix", "")
        rows = [
            (titles.Title(ns, key.replace("_", " "), ns_name=site.namespaces().name(ns)), count)
            for ns, key, count in deletion.archived_titles(prefix)
        ]
        return render_template("undelete.html", title=None, entries=rows, prefix=prefix)
    title = common.request_title(target)
    error = None
    if request.method == "POST":
        if not _token_ok():
            error = SESSION_EXPIRED
        else:
            chosen = [int(v) for v in request.form.getlist("ids") if v.isdigit() and int(v) <= common.MAX_ID]
            try:
                count = deletion.undelete(
                    title, actor=_actor(), reason=request.form.get("wpComment", "").strip(), rev_ids=chosen
                )
            except deletion.NothingToDo as exc:
                error = str(exc)
            else:
                message = f'"{title}" has been restored: {count} revision{"" if count == 1 else "s"}.'
                return render_template(
                    "actioncomplete.html", title=title, heading="Page restored", message=message
                )
    shown = request.args.get("timestamp") or request.args.get("rev")
    if shown and not (shown.isdigit() and int(shown) <= common.MAX_ID):
        return common.error_page(400, "Bad parameter", "The revision to show must be a revision number.")
    preview = deletion.archived_text(title, int(shown)) if shown else None
    body = render_template(
        "undelete.html",
        title=title,
        revisions=deletion.archived(title),
        error=error,
        preview=preview,
        preview_id=shown,
    )
    return body, 400 if error else 200


@special.register("Block", "Block a user", aliases=("BlockIP",))
def block(sub: str):
    refused = permissions.check("block", heading="Permission error")
    if refused is not None:
        return refused
    form = request.form
    error, target = None, form.get("wpTarget", sub or request.args.get("wpTarget", ""))
    if request.method == "POST":
        if not _token_ok():
            error = SESSION_EXPIRED
        else:
            try:
                row = blocks.block(
                    target,
                    actor=_actor(),
                    reason=form.get("wpReason", "").strip(),
                    expires=form.get("wpExpiry", "infinite"),
                )
            except (blocks.BadTarget, expiry.BadExpiry) as exc:
                error = str(exc)
            else:
                message = f"{row.target} has been blocked (expires: {expiry.describe(row.expiry)})."
                return render_template("actioncomplete.html", heading="Block succeeded", message=message)
    body = render_template(
        "block.html", mode="block", target=target, error=error, expiries=EXPIRY_CHOICES, title=None
    )
    return body, 400 if error else 200


@special.register("Unblock", "Unblock a user")
def unblock(sub: str):
    refused = permissions.check("block", heading="Permission error")
    if refused is not None:
        return refused
    error, target = None, request.form.get("wpTarget", sub or request.args.get("wpTarget", ""))
    if request.method == "POST":
        if not _token_ok():
            error = SESSION_EXPIRED
        elif blocks.unblock(target, actor=_actor(), reason=request.form.get("wpReason", "").strip()):
            message = f"{target.strip()} has been unblocked."
            return render_template("actioncomplete.html", heading="Unblocked", message=message)
        else:
            error = f'"{target}" is not blocked.'
    body = render_template("block.html", mode="unblock", target=target, error=error, title=None)
    return body, 400 if error else 200


@special.register("BlockList", "Blocked users")
def block_list(_sub: str):
    return render_template("blocklist.html", blocks=blocks.active_blocks(), describe=expiry.describe)


@special.register("Preferences", "Preferences")
def preferences(_sub: str):
    if not permissions.is_logged_in():
        return redirect(common.index_url("Special:UserLogin", returnto="Special:Preferences"), code=303)
    form = request.form
    error = message = None
    if request.method == "POST":
        if not _token_ok():
            error = SESSION_EXPIRED
        elif not check_password_hash(current_user.password_hash, form.get("wpPassword", "")):
            error = "The current password you entered is incorrect."
        elif form.get("wpNewPassword", "") != form.get("wpRetype", ""):
            error = "The new passwords you entered do not match."
        elif len(form.get("wpNewPassword", "")) < auth.MIN_PASSWORD:
            error = f"Passwords must be at least {auth.MIN_PASSWORD} characters."
        else:
            user = current_user._get_current_object()
            user.password_hash = generate_password_hash(form["wpNewPassword"])
            user.session_epoch = (user.session_epoch or 0) + 1  # every other session ends
            db.session.commit()
            login_user(user)  # this one goes on, with the new epoch
            message = "Your password has been changed. You have been logged out everywhere else."
    body = render_template("preferences.html", error=error, message=message, title=None)
    return body, 400 if error else 200
