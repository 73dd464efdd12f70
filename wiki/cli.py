"""Flask commands: seed, create-admin (more are registered by the search and dump modules)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from wiki import backup, dumps
from wiki import seed as seeding


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_admin)
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
def create_admin(name: str, password: str) -> None:
    """Create a sysop account, or make an existing account a sysop."""
    from wiki.extensions import db
    from wiki.web import auth

    user = auth.find_user(name)
    if user is None:
        user = auth.create_user(name, password, groups="sysop")
    elif "sysop" not in user.group_list:
        user.groups = " ".join([*user.group_list, "sysop"])
        db.session.commit()
    click.echo(f"{user.name} is a sysop.")


@click.command("ensure-index")
def ensure_index() -> None:
    """Build the search index when it is missing (no-op until a search backend is configured)."""
    hook = current_app.extensions.get("wiki.ensure_index")
    if hook is None:
        click.echo("No search index configured.")
        return
    hook()
