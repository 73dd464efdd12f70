"""MediaWiki XML dumps in and out: `flask --app wiki export-dump` / `import-dump`, Special:Export."""

from __future__ import annotations

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete

from wiki.dumps import export, files
from wiki.dumps import import_ as importing
from wiki.extensions import db
from wiki.models import SearchOutbox
from wiki.search.worker import indexing_beside


def register(app: Flask) -> None:
    app.cli.add_command(export_dump)
    app.cli.add_command(import_dump)


@click.command("export-dump")
@click.argument("out", metavar="OUT.xml[.gz|.bz2]")
@click.option("--full-history", is_flag=True, help="Every revision (default: only the current one).")
@click.option("--namespace", "namespaces", type=int, multiple=True, help="Only this namespace (repeatable).")
@with_appcontext
def export_dump(out: str, full_history: bool, namespaces: tuple[int, ...]) -> None:
    """Write the wiki as a MediaWiki XML dump (schema 0.11), readable by MediaWiki's importDump.php."""
    started = time.monotonic()
    handle = files.open_write(out)
    try:
        count = export.write(handle, export.select_pages(namespaces or None), full_history=full_history)
    finally:
        if handle is not sys.stdout.buffer:
            handle.close()
    what = "all revisions" if full_history else "current revisions"
    click.echo(f"Exported {count} pages ({what}) to {out} in {time.monotonic() - started:.1f} s.", err=True)


@click.command("import-dump")
@click.argument("path", metavar="FILE.xml[.gz|.bz2]", type=click.Path(dir_okay=False))
@click.option("--continue-on-error", is_flag=True, help="Skip pages that cannot be imported and report them.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@with_appcontext
def import_dump(path: str, continue_on_error: bool, quiet: bool) -> None:
    """Import a MediaWiki XML dump; re-running it skips revisions already imported."""
    bar = None if quiet else Progress()
    try:
        with indexing_beside(current_app._get_current_object()):  # type: ignore[attr-defined]  # a proxy, typed as Flask
            report = importing.run(path, continue_on_error=continue_on_error, progress=bar)
    except importing.ImportStopped as exc:
        if bar is not None:
            bar.finish()
        raise click.ClickException(str(exc)) from None
    if bar is not None:
        bar.finish()
    _index_now()
    rate = (report.pages + report.unchanged) / report.seconds if report.seconds else 0.0
    click.echo(
        f"Imported {report.revisions} revisions into {report.pages} pages; {report.unchanged} pages "
        f"unchanged, {report.skipped_revisions} revisions already present; {report.seconds:.1f} s "
        f"({rate:.1f} pages/s)."
    )
    for title, reason in report.failed:
        click.echo(f"Skipped page {title!r}: {reason}", err=True)
    if report.failed:
        click.echo(f"{len(report.failed)} pages could not be imported (listed above).", err=True)


INDEX_BATCH = 1000  # pages per search-index commit when applying what an import queued


def _index_now() -> None:
    """Apply the search-index updates the import queued (the server would, later)."""
    try:
        from wiki.search import index, maintenance, outbox
    except ImportError:
        return
    idx = index()
    try:
        if current_app.extensions.get("wiki.ensure_index") is not None and not idx.available():
            # A missing index is built from the database, imported pages included: the rows the
            # import queued before the build read the database are done by it, not applied again.
            click.echo("The search index is missing or unreadable; building it.")
            covered = db.session.scalar(db.select(db.func.max(SearchOutbox.id)))
            count = maintenance.rebuild(idx, wait=True)
            if covered is not None:
                db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= covered))
                db.session.commit()
            click.echo(f"Indexed {count} pages.")
        applied = outbox.drain(idx, wait=True, batch=INDEX_BATCH)
        if applied:
            click.echo(f"Applied {applied} pending search-index updates.")
    except Exception as exc:  # the outbox keeps the rows; check-index or the server applies them
        db.session.rollback()
        click.echo(f"The search index will catch up later ({exc.__class__.__name__}).", err=True)


class Progress:
    """One status line on stderr: pages, revisions, pages per second, how far into the file."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = 0.0
        self.line = ""

    def __call__(self, report: importing.ImportReport, reader: files.Reader) -> None:
        now = time.monotonic()
        if now - self.shown < 0.25:
            return
        self.shown = now
        done = report.pages + report.unchanged + len(report.failed)
        rate = done / max(now - self.started, 1e-6)
        share = reader.position / reader.size if reader.size else 0.0
        width = 30
        filled = int(width * min(share, 1.0))
        self.line = (
            f"\r[{'#' * filled}{'-' * (width - filled)}] {share:4.0%}  {done} pages, "
            f"{report.revisions} revisions, {rate:.1f} pages/s"
        )
        click.echo(self.line, nl=False, err=True)

    def finish(self) -> None:
        if self.line:
            click.echo("", err=True)
