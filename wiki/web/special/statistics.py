"""Special:Statistics (the wiki's counts) and Special:Version (the software it runs on)."""

from __future__ import annotations

import platform
from importlib import metadata

from flask import render_template

from wiki.extensions import db
from wiki.pages import statistics
from wiki.web.special import register

SOFTWARE = (
    ("wikimill", "wikimill"),
    ("Flask", "flask"),
    ("SQLAlchemy", "sqlalchemy"),
    ("Alembic", "alembic"),
    ("mwparserfromhell", "mwparserfromhell"),
    ("Whoosh", "whoosh-reloaded"),
    ("Gunicorn", "gunicorn"),
)


@register("Statistics", "Statistics")
def statistics_page(_sub: str):
    counts = statistics.counts()
    average = counts["edits"] / counts["pages"] if counts["pages"] else 0.0
    return render_template(
        "statistics.html", counts=counts, average=average, active_days=statistics.ACTIVE_DAYS
    )


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _database() -> tuple[str, str]:
    engine = db.engine
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine.dialect.name, engine.dialect.name)
    info = engine.dialect.server_version_info or ()
    return name, ".".join(str(part) for part in info)


@register("Version", "Version")
def version_page(_sub: str):
    software = [(name, _version(dist)) for name, dist in SOFTWARE]
    software.insert(1, ("Python", platform.python_version()))
    software.append(_database())
    return render_template("version.html", software=software)
