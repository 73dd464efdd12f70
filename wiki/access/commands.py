"""Operator commands on accounts (`flask --app wiki ...`): reset-password, set-groups, disable-user,
rename-user; and the changes they make, which log as MediaWiki's maintenance scripts do."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, or_, update

from wiki import logs, titles
from wiki.access import accounts, groups, names, passwords, rights, sessions
from wiki.access import expiry as expiries
from wiki.access.users import normalise_name
from wiki.extensions import db
from wiki.models import Archive, Block, LogEntry, ProtectedTitle, Revision, User, UserSkeleton

SCRIPT = accounts.Performer("Maintenance script")


def register(app: Flask) -> None:
    for command in (reset_password, set_groups, disable_user, rename_user):
        app.cli.add_command(command)


def _user(name: str) -> User:
    user = accounts.find_user(name)
    if user is None:
        raise click.ClickException(f'There is no account "{name}".')
    return user


def change_groups(
    user: User, changes: list[str], reason: str = "", until: datetime | None = None
) -> tuple[list[str], list[str]]:
    """Apply "+group" / "-group" (a bare name adds, until `until` if given); answers (old groups, new
    groups). Adding a group the wiki does not define raises ValueError; any group can be removed."""
    add: dict[str, datetime | None] = {}
    remove: list[str] = []
    for item in changes:
        sign, group = (item[0], item[1:]) if item[:1] in "+-" else ("+", item)
        if sign == "+" and group not in rights.EXPLICIT_GROUPS:
            known = ", ".join(rights.EXPLICIT_GROUPS)
            raise ValueError(f'"{group}" is not a group that can be given (groups: {known}).')
        if sign == "+":
            add[group] = until
            if group in remove:
                remove.remove(group)
        elif group in rights.EXPLICIT_GROUPS:
            remove.append(group)
            add.pop(group, None)
    old = user.group_list
    fresh = {g: e for g, e in add.items() if g not in old or until is not None}
    groups.change(user, add=fresh, remove=remove, actor=SCRIPT, reason=reason)
    return old, user.group_list


def set_disabled(user: User, disabled: bool) -> int:
    """Lock (or unlock) an account: it can no longer log in; answers how many sessions ended."""
    user.disabled = disabled
    db.session.commit()
    return sessions.end_all(user.id) if disabled else 0


def rename(user: User, raw_new: str, reason: str = "") -> str:
    """Rename an account: its edits, deleted edits, log entries (as performer and as target) and
    blocks follow. Answers the new name; raises ValueError or InvalidTitle when it cannot be taken."""
    old = user.name
    new = normalise_name(names.check_raw(raw_new))
    names.check(new)
    if new == old:
        raise ValueError(f'"{old}" already has that name.')
    # The account's own look-alike ("Bob" -> "BOB") is not a clash; anyone else's is.
    if names.skeleton(new) != names.skeleton(old):
        accounts.check_new_name(new)
    elif accounts.find_user(new) is not None:
        raise accounts.NameTaken(f'The user name "{new}" is already in use.')
    uid, old_key, new_key = user.id, old.replace(" ", "_"), new.replace(" ", "_")
    user.name = new
    db.session.execute(
        update(UserSkeleton).where(UserSkeleton.user_id == uid).values(skeleton=names.skeleton(new))
    )
    for table in (Revision, Archive, LogEntry, ProtectedTitle):
        db.session.execute(
            update(table)
            .where(table.user_id == uid)
            .values(user_text=new)
            .execution_options(synchronize_session=False)
        )
    # Log entries about the user page, talk page and their subpages now name the new ones.
    own = LogEntry.namespace.in_([titles.USER, titles.USER_TALK])
    db.session.execute(update(LogEntry).where(own, LogEntry.title == old_key).values(title=new_key))
    db.session.execute(
        update(LogEntry)
        .where(own, LogEntry.title.startswith(old_key + "/", autoescape=True))
        .values(title=new_key + func.substr(LogEntry.title, len(old_key) + 1))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Block).where(or_(Block.target == old, Block.target == old_key)).values(target=new)
    )
    logs.record(
        "renameuser",
        "renameuser",
        namespace=titles.USER,
        title=old_key,
        actor=SCRIPT,
        comment=reason,
        params={"olduser": old, "newuser": new, "userid": uid},
    )
    db.session.commit()
    return new


@click.command("reset-password")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def reset_password(name: str, password: str) -> None:
    """Set the password of an account (the policy applies) and end all its sessions."""
    user = _user(name)
    try:
        passwords.require(user.name, password, user.group_list)
    except passwords.WeakPassword as exc:
        raise click.ClickException(str(exc)) from None
    accounts.set_password(user, password)
    click.echo(f"The password of {user.name} was changed; all its sessions were ended.")


@click.command("set-groups", context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("changes", nargs=-1, required=True)
@click.option("--reason", default="", help="Logged with the change.")
@click.option("--expiry", default="infinite", help='When the added groups end ("1 month", a date).')
@with_appcontext
def set_groups(name: str, changes: tuple[str, ...], reason: str, expiry: str) -> None:
    """Add or remove groups: set-groups NAME +sysop -bot."""
    user = _user(name)
    try:
        until = expiries.parse(expiry)
        old, new = change_groups(user, list(changes), reason, until)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{user.name}: groups {' '.join(old) or '(none)'} -> {' '.join(new) or '(none)'}.")


@click.command("disable-user")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Unlock the account instead.")
@with_appcontext
def disable_user(name: str, enable: bool) -> None:
    """Lock an account (MediaWiki's "locked"): it cannot log in and its sessions end."""
    user = _user(name)
    ended = set_disabled(user, not enable)
    if enable:
        click.echo(f"{user.name} can log in again.")
    else:
        click.echo(f"{user.name} is disabled: it cannot log in; {ended} session(s) ended.")


@click.command("rename-user")
@click.argument("old")
@click.argument("new")
@click.option("--reason", default="", help="Logged with the rename.")
@with_appcontext
def rename_user(old: str, new: str, reason: str) -> None:
    """Rename an account; its history, logs and blocks follow (its user pages are not moved)."""
    user = _user(old)
    before = user.name
    try:
        after = rename(user, new, reason)
    except (ValueError, titles.InvalidTitle) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    click.echo(f"{before} is now {after}.")
