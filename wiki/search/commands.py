"""Flask commands: check-index, reindex, search-indexer (ensure-index is wiki.cli's, calling our hook)."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from wiki.search import INDEX_KEY, documents, maintenance

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


def register(app: Flask) -> None:
    app.cli.add_command(check_index)
    app.cli.add_command(reindex)
    app.cli.add_command(search_indexer)


@click.command("check-index")
@click.option("--dry-run", is_flag=True, help="Only report what differs.")
@with_appcontext
def check_index(dry_run: bool) -> None:
    """Compare the search index with the database and repair missing, stale and extra documents."""
    idx = current_app.extensions[INDEX_KEY]
    if not idx.available():
        click.echo("The search index is missing or unreadable; run `flask --app wiki reindex`.", err=True)
        raise SystemExit(1)
    bar: ProgressBar[int] | None = None

    def on_report(report: maintenance.CheckReport) -> None:
        nonlocal bar
        click.echo(
            f"{report.pages} pages: {len(report.missing)} missing, {len(report.stale)} stale, "
            f"{len(report.extra)} extra documents."
        )
        if report.repairs and not dry_run:
            bar = click.progressbar(length=report.repairs, label="Repairing").__enter__()

    try:
        report = maintenance.check(
            idx, repair=not dry_run, progress=lambda n: bar.update(n) if bar else None, on_report=on_report
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if not report.repairs:
        click.echo("The index agrees with the database.")
    elif not dry_run:
        click.echo(f"Repaired {report.repairs} documents.")


@click.command("reindex")
@with_appcontext
def reindex() -> None:
    """Rebuild the search index into a new directory and swap it in (search keeps working)."""
    idx = current_app.extensions[INDEX_KEY]
    total = documents.page_count()
    started = time.perf_counter()
    try:
        with click.progressbar(length=total, label="Indexing") as bar:
            count = maintenance.rebuild(idx, progress=bar.update)
    except maintenance.RebuildRunning as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    seconds = time.perf_counter() - started
    click.echo(f"Indexed {count} pages in {seconds:.1f} s ({count / max(seconds, 1e-9):.0f} pages/s).")


@click.command("search-indexer")
@click.option("--watch-parent", is_flag=True, help="Exit when the process that started this one exits.")
@with_appcontext
def search_indexer(watch_parent: bool) -> None:
    """Apply search-index updates as pages are saved, until stopped (run one per host beside the
    server; `make run` starts it with gunicorn)."""
    from wiki.search.worker import run_dedicated

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = os.getppid()
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy, typed as Flask
    alive = (lambda: os.getppid() == parent) if watch_parent else (lambda: True)
    if not run_dedicated(app, app.extensions[INDEX_KEY], stop, alive):
        click.echo("Another search indexer is running for this index; nothing to do.", err=True)
