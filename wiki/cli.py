"""Flask commands: seed, create-admin, unblock, the batch page commands (more are registered by
the search, dump, mail and account modules)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wiki import backup, dumps, pages, recent, site, titles
from wiki import seed as seeding
from wiki.access import accounts, blocks, groups, names, passwords, rights
from wiki.access import commands as account_commands
from wiki.concepts import export as concepts_export
from wiki.concepts import store as concepts_store
from wiki.extensions import db
from wiki.files import transfer as file_transfer
from wiki.models import User, UserSkeleton, utcnow
from wiki.pages import deletion, moves, parsercache


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_admin)
    app.cli.add_command(unblock_command)
    app.cli.add_command(ensure_index)
    dumps.register(app)  # import-dump, export-dump
    backup.register(app)  # backup, restore
    file_transfer.register(app)  # import-images, export-images
    account_commands.register(app)  # reset-password, set-groups, disable-user, rename-user
    for command in (
        delete_batch,
        move_batch,
        purge_command,
        rebuild_recentchanges,
        purge_recentchanges,
        refresh_extlinks,
        rebuild_structure,
        export_concepts,
    ):
        app.cli.add_command(command)


@click.command("seed")
@click.option("--dir", "directory", default=None, help="Folder of .wiki files (default: wiki/content/).")
def seed_command(directory: str | None) -> None:
    """Load the seed pages (wiki/content/, or --dir) idempotently."""
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
    help="If the account exists: set this password, end its sessions, make it a sysop and bureaucrat.",
)
@with_appcontext
def create_admin(name: str, password: str, force: bool) -> None:
    """Create an administrator (sysop and bureaucrat) account. An existing account is refused unless
    --force is given (anyone may have registered the name before you)."""
    user = accounts.find_user(name)
    try:
        if user is None:
            user = accounts.create_user(name, password, groups=" ".join(accounts.ADMIN_GROUPS))
            click.echo(f"{user.name} is a new sysop and bureaucrat account.")
            return
        if not force:
            raise click.ClickException(
                f'The account "{user.name}" already exists, and anyone could have registered it: '
                "nothing was changed. To take it over, run again with --force: its password becomes "
                "the one given, all its sessions end and it becomes a sysop."
            )
        passwords.require(user.name, password, ["sysop"])
        accounts.set_password(user, password)  # ends every session of the account
        accounts.make_admin(user)
    except (ValueError, titles.InvalidTitle) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"{user.name} already existed: its password was set to the one given, all its sessions "
        "were ended, and it is a sysop and bureaucrat."
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


def _script_actor(name: str) -> pages.Actor:
    """The account batch changes are made as: MediaWiki's "Maintenance script", a reserved name no
    one can register, created on first use locked and with no password (nobody logs in as it)."""
    user = accounts.find_user(name)
    if user is None and name != SCRIPT_USER:
        raise click.ClickException(f'There is no account "{name}".')
    if user is None:
        user = User(name=SCRIPT_USER, password_hash="!", disabled=True)  # "!" matches nothing
        db.session.add(user)
        db.session.flush()
        db.session.add(UserSkeleton(user_id=user.id, skeleton=names.skeleton(SCRIPT_USER)))
        db.session.commit()
    # As MediaWiki's maintenance scripts: logged actions are bot actions when the account is a bot.
    return pages.Actor(user.name, user.id, rights.bot_flag(user, True))


def _run_batch(path: str, do: Callable[[str], str]) -> None:
    """Apply `do` to each non-empty line of the file (as deleteBatch.php reads it), echoing what it
    answers; a line it refuses (ValueError) is reported and the others still run."""
    failed = 0
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in ((n, text.strip()) for n, text in enumerate(lines, 1) if text.strip()):
        try:
            click.echo(do(line))
        except ValueError as exc:  # MoveError, NothingToDo, InvalidTitle
            failed += 1
            click.echo(f"line {number}: {line}: {exc}", err=True)
    if failed:
        raise click.ClickException(f"{failed} line(s) could not be done; the others were.")


SCRIPT_USER = "Maintenance script"


@click.command("delete-batch")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", "-r", default="", help="The deletion reason logged for every page.")
@click.option("--user", "-u", default=SCRIPT_USER, help="The account the deletions are logged as.")
@with_appcontext
def delete_batch(file: str, reason: str, user: str) -> None:
    """Delete the pages listed in FILE, one title a line (MediaWiki's deleteBatch.php)."""
    actor = _script_actor(user)

    def delete(line: str) -> str:
        title = site.parse_title(line)
        deletion.delete_page(title, actor=actor, reason=reason)
        return f"Deleted {title}"

    _run_batch(file, delete)


@click.command("move-batch")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--reason", "-r", default="", help="The move reason logged for every page.")
@click.option("--user", "-u", default=SCRIPT_USER, help="The account the moves are logged as.")
@click.option("--noredirects", is_flag=True, help="Leave no redirect behind.")
@with_appcontext
def move_batch(file: str, reason: str, user: str, noredirects: bool) -> None:
    """Move the pages listed in FILE, one "Old title|New title" a line (MediaWiki's moveBatch.php)."""
    actor = _script_actor(user)

    def move(line: str) -> str:
        old_raw, bar, new_raw = line.partition("|")
        if not bar:
            raise ValueError('expected "Old title|New title"')
        old, new = site.parse_title(old_raw), site.parse_title(new_raw)
        moves.move(old, new, actor=actor, reason=reason, leave_redirect=not noredirects)
        return f"Moved {old} to {new}"

    _run_batch(file, move)


@click.command("purge")
@click.argument("page_titles", nargs=-1, required=True, metavar="TITLE...")
@with_appcontext
def purge_command(page_titles: tuple[str, ...]) -> None:
    """Drop the parser cache of the pages named and mark them touched (they render afresh)."""
    missing = 0
    for raw in page_titles:
        title = titles.try_parse(raw, site.namespaces())
        page = pages.get(title) if title is not None else None
        if page is None:
            missing += 1
            click.echo(f"{raw}: no such page", err=True)
            continue
        parsercache.drop(page.id)
        page.touched = utcnow()
        db.session.commit()
        click.echo(f"Purged {title}")
    if missing:
        raise click.ClickException(f"{missing} title(s) are not pages; the others were purged.")


@click.command("rebuild-recentchanges")
@with_appcontext
def rebuild_recentchanges() -> None:
    """Refill the recent-changes table from revisions and log (MediaWiki's rebuildrecentchanges.php)."""
    rows = recent.rebuild(since=_rc_cutoff())
    bots = recent.mark_bot_edits(groups.members_with_right("bot"))
    db.session.commit()
    click.echo(f"Recent changes rebuilt: {rows} rows ({bots} by today's bots, flagged as bot edits).")


def _rc_cutoff():
    return recent.cutoff(current_app.config["WIKI_RC_MAX_AGE_DAYS"], utcnow())


@click.command("purge-recentchanges")
@click.option("--batch", default=1000, show_default=True, help="Rows deleted per transaction.")
@with_appcontext
def purge_recentchanges(batch: int) -> None:
    """Delete the recent-changes rows older than WIKI_RC_MAX_AGE_DAYS ($wgRCMaxAge), in batches."""
    before, done = _rc_cutoff(), 0
    while True:
        count = recent.purge(before, limit=max(1, batch))
        db.session.commit()
        done += count
        if count < batch:
            break
    click.echo(f"Recent changes purged: {done} rows older than {before or 'the max age (none set)'}.")


@click.command("refresh-extlinks")
@click.option("--batch", default=100, show_default=True, help="Pages rendered per transaction.")
@with_appcontext
def refresh_extlinks(batch: int) -> None:
    """Index the external links of every page (pages saved before the externallinks table existed)."""
    from wiki.pages import extlinks

    done, after = 0, 0
    while True:
        count, last = extlinks.refresh(after_id=after, batch=max(1, min(batch, 1000)))
        done += count
        if last is None:
            break
        after = last
    click.echo(f"External links indexed for {done} page(s).")


@click.command("rebuild-structure")
@with_appcontext
def rebuild_structure() -> None:
    """Read the concept structure of every main-namespace page again (wiki.concepts)."""
    pages = concepts_store.rebuild()
    click.echo(f"Concept structure rebuilt: {pages} pages read.")


@click.command("export-concepts")
@click.argument("out", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "graphml"]), default=None,
              help="Default: from OUT's extension (.graphml), else JSON.")  # fmt: skip
@with_appcontext
def export_concepts(out: str, fmt: str | None) -> None:
    """Write the concept graph (concepts, definitions, AKA terms, genus edges) as JSON or GraphML."""
    fmt = fmt or ("graphml" if out.endswith(".graphml") else "json")
    server = str(current_app.config["WIKI_SERVER"])
    items = list(concepts_export.concepts())

    def url(title: str) -> str:
        return server + site.page_url(title)

    if fmt == "graphml":
        text = concepts_export.graph_ml(items, url)
    else:
        text = json.dumps(concepts_export.graph_json(items, url), ensure_ascii=False, indent=1) + "\n"
    with click.open_file(out, "w", encoding="utf-8") as handle:
        handle.write(text)
    if out != "-":
        edges = text.count("<edge ") if fmt == "graphml" else len(json.loads(text)["edges"])
        click.echo(f"{len(items)} concepts, {edges} genus edges written to {out} ({fmt}).")
