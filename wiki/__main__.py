"""The `wikimill` command (also `python -m wiki`): the wiki's Flask commands, and `run` to serve it.

`wikimill db upgrade`, `wikimill seed`, `wikimill create-admin NAME`, `wikimill search-indexer`, ...
are `flask --app wiki ...`; `wikimill run` is the server of `make run`: gunicorn with
wiki.gunicorn_conf (threaded workers, the search indexer beside them). This module builds the whole
app, edges included, so it is not one of the commands of wiki.cli.
"""

from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from wiki import create_app

PROG = "wikimill"
APP = "wiki:create_app()"  # what gunicorn loads in each worker


def bind_address(host: str, port: int) -> str:
    """gunicorn's HOST:PORT, with an IPv6 address in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def gunicorn_argv(host: str, port: int, workers: int, extra: tuple[str, ...] = ()) -> list[str]:
    """The gunicorn command line of `run`: options in `extra` come after ours, so they win."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:wiki.gunicorn_conf",
        "--workers",
        str(workers),
        "--bind",
        bind_address(host, port),
        "--access-logfile",
        "-",
        *extra,
        APP,
    ]


@click.command("run", context_settings={"ignore_unknown_options": True})
@click.option(
    "--host", envvar="WIKI_HOST", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port", envvar="WIKI_PORT", default=8000, type=int, show_default=True, help="Port to listen on."
)
@click.option("--workers", envvar="WIKI_WORKERS", default=2, type=int, show_default=True, help="Processes.")
@click.argument("gunicorn_options", nargs=-1, type=click.UNPROCESSED)
def run_command(host: str, port: int, workers: int, gunicorn_options: tuple[str, ...]) -> None:
    """Serve the wiki with gunicorn; further options go to gunicorn (e.g. --timeout 60)."""
    # The app builds its full URLs from the address it is served on (wiki.config.default_server).
    os.environ["WIKI_HOST"], os.environ["WIKI_PORT"] = host, str(port)
    argv = gunicorn_argv(host, port, workers, gunicorn_options)
    os.execv(argv[0], argv)  # gunicorn takes this process: systemd and signals see the server itself


def cli() -> FlaskGroup:
    """The command group: `run`, `shell`, `routes` and every command the app registers."""
    group = FlaskGroup(
        name=PROG,
        create_app=create_app,
        add_default_commands=False,
        help="A MediaWiki-style wiki. WIKI_* environment variables configure it (WIKI_INSTANCE_DIR,"
        " WIKI_DATABASE_URL, ...); the instance folder defaults to ./instance.",
    )
    group.params = [p for p in group.params if p.name != "app"]  # the app is always this one
    group.add_command(run_command)
    group.add_command(shell_command)
    group.add_command(routes_command)
    return group


def main() -> None:
    cli().main(prog_name=PROG)


if __name__ == "__main__":
    main()
