"""pyproject.toml lists what the app imports, and the app imports only what pyproject.toml lists."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Declared but used otherwise than by an import statement of ours.
NOT_IMPORTED = {
    "mwparserfromhell": "the next issues' pre-save transform and section editing",
    "psycopg": "SQLAlchemy loads it for postgresql:// URLs",
    "gunicorn": "the server make run starts",
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_normalise(re.split(r"[\[=<>!~ ;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def imported_top_levels() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "wiki").rglob("*.py"):  # wiki/migrations included
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"wiki", "__future__"}


def test_every_declared_dependency_is_imported():
    providers = packages_distributions()
    used = {_normalise(dist) for name in imported_top_levels() for dist in providers.get(name, [])}
    unused = declared() - used - set(NOT_IMPORTED)
    assert not unused, f"declared in pyproject.toml but imported nowhere in wiki/: {unused}"


def test_every_imported_package_is_declared():
    providers = packages_distributions()
    missing = {
        name
        for name in imported_top_levels()
        if not {_normalise(dist) for dist in providers.get(name, [])} & declared()
    }
    assert not missing, f"imported but not declared in pyproject.toml's dependencies: {missing}"
