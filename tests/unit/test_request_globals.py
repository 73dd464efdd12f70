"""Below the edges nothing reads the request: services, storage and the renderer never import Flask's
per-request globals (request, g, session) or flask_login's current_user. import-linter (pyproject.toml)
checks imports of modules; these names are attributes of `flask`, so this test reads the sources."""

from __future__ import annotations

import ast
from pathlib import Path

WIKI = Path(__file__).resolve().parents[2] / "wiki"
BELOW_THE_EDGES = [
    "access",
    "pages",
    "search",
    "dumps",
    "mail",
    "markup",
    "site.py",
    "logs.py",
    "models.py",
    "extensions.py",
    "metrics.py",
    "titles.py",
    "diffs.py",
]
PER_REQUEST = {"flask": {"request", "g", "session"}, "flask_login": {"current_user"}}
# Violations another change is removing today; delete the line when it lands.
KNOWN: set[tuple[str, str]] = {
    ("wiki/access/request_memo.py", "flask.g"),  # removed when access lands (the memo is handed in)
    ("wiki/access/request_memo.py", "flask.request"),  # removed when access lands
}


def _sources() -> list[Path]:
    files: list[Path] = []
    for name in BELOW_THE_EDGES:
        path = WIKI / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def per_request_uses(path: Path) -> set[str]:
    """The per-request globals a module imports or reads as `flask.request`, as 'flask.request'."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    aliases: dict[str, str] = {}  # local name -> module, for `import flask` / `import flask as f`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module.split(".")[0]
            found |= {f"{module}.{a.name}" for a in node.names if a.name in PER_REQUEST.get(module, ())}
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in PER_REQUEST:
                    aliases[(a.asname or a.name).split(".")[0]] = a.name.split(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module and node.attr in PER_REQUEST[module]:
                found.add(f"{module}.{node.attr}")
    return found


def test_nothing_below_the_edges_reads_the_request():
    uses = {
        (str(path.relative_to(WIKI.parent)), name) for path in _sources() for name in per_request_uses(path)
    }
    assert sorted(uses - KNOWN) == [], "per-request globals below the edges (hand the value in instead)"


def test_the_scan_sees_each_form_of_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import flask\nimport flask_login as fl\nfrom flask.globals import g\n"
        "from flask import current_app, session\n"
        "def f():\n    return flask.request, fl.current_user, flask.current_app\n"
    )
    expected = {"flask.request", "flask_login.current_user", "flask.g", "flask.session"}
    assert per_request_uses(module) == expected
