"""Files in and out in bulk: `flask --app wiki import-images FOLDER` (as MediaWiki's importImages.php),
`export-images OUT`, and the uploaded files' share of `backup` and `restore`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wiki.files import reads, sniff, upload
from wiki.files import store as stores
from wiki.pages import revisions

SKIPPED_FOLDERS = ("thumb", "incoming", "stash")  # made again, or in flight: not part of a backup


@dataclass
class Imported:
    name: str
    outcome: str  # "uploaded", "new version", "skipped: ...", "refused: ..."


def import_folder(
    folder: Path,
    actor: revisions.Actor,
    *,
    comment: str = "",
    text: str = "",
    overwrite: bool = False,
    skip_dupes: bool = False,
) -> Iterator[Imported]:
    """Upload every file of `folder` whose extension is accepted, one transaction each."""
    allowed = set(str(current_app.config["WIKI_FILE_EXTENSIONS"]).lower().split())
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        if sniff.extension_of(path.name) not in allowed:
            continue
        try:
            with open(path, "rb") as source, upload.stage(source, path.name) as staged:
                found = upload.warnings(staged)
                if "exists" in found and not overwrite:
                    yield Imported(staged.name, "skipped: exists")
                    continue
                if "duplicate" in found and skip_dupes:
                    yield Imported(staged.name, f"skipped: duplicate of {found['duplicate'][0]}")
                    continue
                done = upload.publish(staged, actor, text=text or comment, comment=comment)
                yield Imported(done.name, "new version" if done.overwrote else "uploaded")
        except sniff.Refused as exc:
            yield Imported(path.name, f"refused: {exc}")


def export_all(out: Path) -> int:
    """Write the current version of every file to `out` under its name; answers how many."""
    out.mkdir(parents=True, exist_ok=True)
    store = stores.current()
    count, after = 0, ""
    while batch := reads.by_prefix(start=after, limit=200):
        for row in batch:
            if row.name == after:
                continue
            with open(out / row.name, "wb") as handle:
                for block in store.chunks(row.storage_key):
                    handle.write(block)
            count += 1
        if batch[-1].name == after:
            break
        after = batch[-1].name
    return count


def backup_store(database_backup: Path) -> Path | None:
    """Copy a local store's folder beside a database backup (`OUT.images/`); the database store's
    files are in the database backup already. Answers the folder written, if any."""
    store = stores.current()
    if not isinstance(store, stores.LocalStore) or not store.root.is_dir():
        return None
    target = database_backup.with_name(database_backup.name + ".images")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(store.root, target, ignore=lambda folder, names: _skipped(store.root, folder, names))
    return target


def restore_store(database_backup: Path) -> Path | None:
    """Put the files of `OUT.images/` (written by backup_store) back into the local store."""
    source = database_backup.with_name(database_backup.name + ".images")
    store = stores.current()
    if not source.is_dir() or not isinstance(store, stores.LocalStore):
        return None
    shutil.copytree(source, store.root, dirs_exist_ok=True)
    return source


def _skipped(root: Path, folder: str, names: list[str]) -> list[str]:
    return [n for n in names if Path(folder) == root and n in SKIPPED_FOLDERS]


def register(app: Flask) -> None:
    app.cli.add_command(import_images)
    app.cli.add_command(export_images)


@click.command("import-images")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--comment", default="Imported with import-images", help="The upload summary of every file.")
@click.option("--text", default="", help="The description page text of new files (default: the comment).")
@click.option("--user", default="Maintenance script", help="The account the uploads are logged as.")
@click.option("--overwrite", is_flag=True, help="Upload new versions of files that exist.")
@click.option("--skip-dupes", is_flag=True, help="Skip files whose bytes are already uploaded.")
@with_appcontext
def import_images(
    folder: Path, comment: str, text: str, user: str, overwrite: bool, skip_dupes: bool
) -> None:
    """Upload the files of FOLDER (MediaWiki's importImages.php), with a progress bar."""
    from wiki.access import rights, users

    account = users.find_user(user)
    # As importImages.php: the uploads' log rows are bot actions when the account is a bot.
    actor = (
        revisions.Actor(account.name, account.id, rights.bot_flag(account, True))
        if account
        else revisions.Actor(user)
    )
    paths = [p for p in folder.iterdir() if p.is_file()]
    counts: dict[str, int] = {}
    problems: list[str] = []
    with click.progressbar(length=len(paths), label="Importing files") as bar:
        for result in import_folder(
            folder, actor, comment=comment, text=text, overwrite=overwrite, skip_dupes=skip_dupes
        ):
            key = result.outcome.split(":")[0]
            counts[key] = counts.get(key, 0) + 1
            if key in ("refused", "skipped"):
                problems.append(f"{result.name}: {result.outcome}")
            bar.update(1)
    for line in problems:
        click.echo(line)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "no files"
    click.echo(f"Import: {summary}.")


@click.command("export-images")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_images(out: Path) -> None:
    """Write the current version of every uploaded file into the folder OUT."""
    click.echo(f"Exported {export_all(out)} files to {out}.")
