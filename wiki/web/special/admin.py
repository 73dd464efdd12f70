"""Special:Undelete, Special:Block, Special:Unblock and Special:BlockList (Preferences: web.auth)."""

from __future__ import annotations

from flask import render_template, request

from wiki import site, titles
from wiki.access import blocks, expiry
from wiki.pages import deletion, revdelete
from wiki.web import common, dates, permissions, special, tokens, userlinks
from wiki.web.admin_actions import EXPIRY_CHOICES


def _token_ok() -> bool:
    return tokens.check(request.form.get("wpEditToken"))


SESSION_EXPIRED = "Your session expired; please try again."


def _ticked(name: str) -> bool:
    """A checkbox that is on by default: the form sends "0" always and "1" when ticked; a client
    that sends neither gets the default."""
    values = request.form.getlist(name)
    return not values or "1" in values


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
                    title,
                    actor=permissions.actor(),
                    reason=request.form.get("wpComment", "").strip(),
                    rev_ids=chosen,
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
    revisions = deletion.archived(title)
    hidden = [r for r in revisions if str(r.rev_id) == shown and not userlinks.may_see(r, revdelete.TEXT)]
    if hidden:  # suppressed text stays hidden from administrators without viewsuppressed
        preview = "(content removed)"
    body = render_template(
        "undelete.html",
        title=title,
        revisions=revisions,
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
                    actor=permissions.actor(),
                    reason=form.get("wpReason", "").strip(),
                    expires=form.get("wpExpiry", "infinite"),
                    autoblock=_ticked("wpAutoBlock"),
                    create_account=_ticked("wpCreateAccount"),
                )
            except (blocks.BadTarget, blocks.Refused, expiry.BadExpiry) as exc:
                error = str(exc)
            else:
                message = f"{row.target} has been blocked (expires: {dates.user_expiry(row.expiry)})."
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
        else:
            try:
                lifted = blocks.unblock(
                    target, actor=permissions.actor(), reason=request.form.get("wpReason", "").strip()
                )
            except blocks.Refused as exc:
                lifted, error = False, str(exc)
            if lifted:
                message = f"{target.strip()} has been unblocked."
                return render_template("actioncomplete.html", heading="Unblocked", message=message)
            error = error or f'"{target}" is not blocked.'
    body = render_template("block.html", mode="unblock", target=target, error=error, title=None)
    return body, 400 if error else 200


@special.register("BlockList", "Blocked users")
def block_list(_sub: str):
    return render_template("blocklist.html", blocks=blocks.active_blocks())
