"""Special:UserRights, Special:ListUsers and Special:ListGroupRights (groups and rights are
wiki.access's: groups, rights, userlist)."""

from __future__ import annotations

from datetime import datetime

from flask import redirect, render_template, request
from flask_login import current_user

from wiki import site, titles
from wiki.access import accounts, blocks, expiry, groups, rights, userlist
from wiki.pages import logdelete
from wiki.web import common, dates, permissions, special, tokens

EXPIRY_CHOICES = ("infinite", "1 day", "1 week", "1 month", "3 months", "6 months", "1 year")
LIST_LIMITS = (20, 50, 100, 250, 500)
SESSION_EXPIRED = "Your session expired; please try again."


def _user_of(text: str):
    """The account named `text`, or None (also for names that are not valid user names)."""
    try:
        return accounts.find_user(text)
    except titles.InvalidTitle:
        return None


@special.register("UserRights", "User group management")
def user_rights(sub: str):
    name = (request.values.get("user") or sub or "").replace("_", " ").strip()[:255]
    if not name:
        return render_template("userrights.html", title=None, target=None, name="", changeable=([], []))
    target = _user_of(name)
    if target is None:
        body = render_template(
            "userrights.html",
            title=None,
            target=None,
            name=name,
            changeable=([], []),
            error=f'User "{name}" does not exist.',
        )
        return body, 404
    can_add, can_remove = groups.changeable(permissions.user())
    error = None
    if request.method == "POST":
        error = _save(target, can_add, can_remove)
        if error is None:
            return redirect(common.index_url("Special:UserRights", user=target.name, success="1"), code=303)
    body = render_template(
        "userrights.html",
        title=None,
        target=target,
        name=target.name,
        changeable=(can_add, can_remove),
        memberships={m.group: m for m in groups.current(target)},
        implicit=[g for g in rights.implicit_groups(target) if g != "*"],
        explicit=rights.EXPLICIT_GROUPS,
        members=rights.MEMBER_NAMES,
        group_names=rights.GROUP_NAMES,
        expiries=EXPIRY_CHOICES,
        error=error,
        saved=request.args.get("success") == "1",
        log=_rights_log(target.name),
    )
    return body, 400 if error else 200


def _save(target, can_add: list[str], can_remove: list[str]) -> str | None:
    """Apply the form: ticked groups are wanted, unticked ones not; the reason why not, or None."""
    if not tokens.check(request.form.get("wpEditToken")):
        return SESSION_EXPIRED
    if not can_add and not can_remove:
        return "You do not have permission to change the groups of users."
    if blocks.active_for(current_user.name, common.client_ip()) is not None:
        return "You are blocked, so you cannot change user rights."
    held = {m.group: m for m in groups.current(target)}
    add: dict[str, datetime | None] = {}
    remove: list[str] = []
    for group in rights.EXPLICIT_GROUPS:
        ticked = request.form.get(f"wpGroup-{group}") == "1"
        if ticked and group in can_add:
            # A held group's menu starts at "existing": its membership stays as it is.
            choice = request.form.get(f"wpExpiry-{group}", "existing" if group in held else "infinite")
            if choice == "existing" and group in held:
                continue
            if choice == "other":
                choice = request.form.get(f"wpExpiry-{group}-other", "")
            try:
                when = expiry.parse(choice[:100])
            except expiry.BadExpiry as exc:
                return f"{rights.MEMBER_NAMES.get(group, group).capitalize()}: {exc}"
            if group not in held or held[group].expiry != when:
                add[group] = when
        elif not ticked and group in held and group in can_remove:
            remove.append(group)
    reason = request.form.get("user-reason", "").strip()[:500]
    actor = permissions.actor()
    groups.change(target, add=add, remove=remove, actor=actor, reason=reason)
    return None


def _rights_log(name: str) -> list:
    from wiki import logs

    seen = permissions.reader_rights()
    found = logs.window(
        logs.LogFilter(
            types=("rights",),
            target=(titles.USER, name.replace(" ", "_")),
            hidden_action_mask=logdelete.hidden_mask(logdelete.ACTION, seen),  # it names the target
        ),
        limit=50,
    )
    return [(entry, logs.params_of(entry)) for entry in found.entries]


@special.register("ListUsers", "User list", aliases=("UserList", "Listusers"))
def list_users(sub: str):
    group = request.args.get("group", "") or sub.strip()
    if group and group not in rights.EXPLICIT_GROUPS:
        group = ""
    start = (request.args.get("username") or request.args.get("offset") or "").replace("_", " ").strip()[:255]
    limit = common.int_arg("limit", 50, 1, 500)
    descending = request.args.get("dir") == "prev"
    found = userlist.window(
        userlist.UserFilter(
            start=start[:1].upper() + start[1:],
            groups=(group,) if group else (),
            with_edits=bool(request.args.get("wpedits")),
            descending=descending,
            after=descending,
        ),
        limit,
    )
    users = list(reversed(found.users)) if descending else found.users
    counts = userlist.edit_counts(u.id for u in users)
    return render_template(
        "listusers.html",
        title=site.parse_title("Special:ListUsers"),
        users=[(u, counts.get(u.id, 0), groups.current(u)) for u in users],
        group=group,
        start=start,
        limit=limit,
        limits=LIST_LIMITS,
        with_edits=bool(request.args.get("wpedits")),
        next_name=found.next_name if not descending else (start or None),
        prev_name=users[0].name if users and (start or descending) else None,
        explicit=rights.EXPLICIT_GROUPS,
        group_names=rights.GROUP_NAMES,
        members=rights.MEMBER_NAMES,
    )


@special.register("ListGroupRights", "User group rights")
def list_group_rights(_sub: str):
    table = [(g, rights.GROUP_NAMES.get(g, g), sorted(given)) for g, given in rights.GROUP_RIGHTS.items()]
    title = site.parse_title("Special:ListGroupRights")
    return render_template("listgrouprights.html", title=title, table=table)


def _listed(items: list[str]) -> str:
    """MediaWiki's list wording: "a", "a and b", "a, b and c"; "(none)" for nothing."""
    if not items:
        return "(none)"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _described(group_names: list[str], metadata: list[dict]) -> str:
    until = {m.get("group"): m.get("expiry") for m in metadata if isinstance(m, dict)}
    words = []
    for group in group_names:
        word = rights.MEMBER_NAMES.get(group, group)
        stamp = until.get(group)
        when = expiry.read_stored(str(stamp)) if stamp and stamp != groups.INFINITY else None
        if when is not None:
            word += f" (temporary, until {dates.user_datetime(when)})"
        words.append(word)
    return _listed(words)


@special.bp.app_template_global()
def rights_change_words(params: dict) -> tuple[str, str]:
    """A rights-log entry's old and new groups as Special:Log words them."""
    old = [str(g) for g in params.get("oldgroups") or []]
    new = [str(g) for g in params.get("newgroups") or []]
    return (
        _described(old, params.get("oldmetadata") or []),
        _described(new, params.get("newmetadata") or []),
    )
