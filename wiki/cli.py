"""Flask commands: seed, create-admin, unblock (more are registered by the search and dump modules)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wiki import backup, dumps, titles
from wiki import seed as seeding
from wiki.access import accounts, blocks, passwords


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_admin)
    app.cli.add_command(unblock_command)
    app.cli.add_command(ensure_index)
    dumps.register(app)  # import-dump, export-dump
    backup.register(app)  # backup, restore


@click.command("seed")
@click.option("--dir", "directory", default=None, help="Folder of .wiki files (default: content/).")
def seed_command(directory: str | None) -> None:
    """Load the seed pages of content/ (idempotent)."""
    folder = Path(directory or current_app.config["WIKI_CONTENT_DIR"])
    counts: dict[str, int] = {}
    failed = False
    for report in seeding.seed_dir(folder):
        key = report.outcome.split(" ")[0].rstrip(":")
        counts[key] = counts.get(key, 0) + 1
        if report.outcome not in ("unchanged",):
            click.echo(f"{report.file}: {report.title}: {report.outcome}")
        failed |= key == "error"
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no files"
    click.echo(f"Seed: {summary}.")
    if failed:
        click.echo("Some files could not be seeded (see above); the others were.", err=True)


@click.command("create-admin")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option(
    "--force",
    is_flag=True,
    help="If the account exists: set this password, end its sessions and make it a sysop.",
)
@with_appcontext
def create_admin(name: str, password: str, force: bool) -> None:
    """Create a sysop account. An existing account is refused unless --force is given (anyone may
    have registered the name before you)."""
    user = accounts.find_user(name)
    try:
        if user is None:
            user = accounts.create_user(name, password, groups="sysop")
            click.echo(f"{user.name} is a new sysop account.")
            return
        if not force:
            raise click.ClickException(
                f'The account "{user.name}" already exists, and anyone could have registered it: '
                "nothing was changed. To take it over, run again with --force: its password becomes "
                "the one given, all its sessions end and it becomes a sysop."
            )
        passwords.require(user.name, password, ["sysop"])
        accounts.set_password(user, password)  # ends every session of the account
        accounts.make_sysop(user)
    except (ValueError, titles.InvalidTitle) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{user.name} already existed: its password was set to the one given, all its sessions "
        "were ended, and it is a sysop."
    )


@click.command("unblock")
@click.argument("target")
@click.option("--reason", default="", help="Logged with the unblock.")
@with_appcontext
def unblock_command(target: str, reason: str) -> None:
    """Lift the block of a user, address or range (e.g. when every sysop is blocked)."""
    actor = accounts.Performer("Maintenance script")
    try:
        lifted = blocks.unblock(target, actor=actor, reason=reason or "Unblocked from the command line")
    except blocks.Refused as exc:
        raise click.ClickException(str(exc)) from None
    if not lifted:
        raise click.ClickException(f'"{target}" is not blocked.')
    click.echo(f"{target.strip()} has been unblocked.")


@click.command("ensure-index")
def ensure_index() -> None:
    """Build the search index when it is missing (no-op until a search backend is configured)."""
    hook = current_app.extensions.get("wiki.ensure_index")
    if hook is None:
        click.echo("No search index configured.")
        return
    hook()
