"""The shape of the one write path (issue 14): read from the source, so a regression fails here."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "wiki").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])


def _module_aliases(tree: ast.Module) -> set[str]:
    """Names bound to modules of this project (`from wiki import pages`, `import wiki.x as y`)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("wiki", "tests"):
            base = ROOT.joinpath(*node.module.split("."))
            for alias in node.names:
                if (base / alias.name).is_dir() or (base / f"{alias.name}.py").exists():
                    names.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("wiki", "tests") and alias.asname:
                    names.add(alias.asname)
    return names


def test_no_module_calls_a_private_function_of_another_module():
    calls = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(), str(path))
        modules = _module_aliases(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in modules
                and node.func.attr.startswith("_")
                and not node.func.attr.startswith("__")
            ):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.value.id}.{node.func.attr}")
    assert calls == []


def test_revision_rows_are_written_by_one_function():
    """Only wiki/pages/revisions.py builds a Revision or inserts into its table."""
    writers = []
    for path in sorted((ROOT / "wiki").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            builds = isinstance(func, ast.Name) and func.id == "Revision"
            inserts = (
                isinstance(func, ast.Name)
                and func.id == "insert"
                and node.args
                and "Revision" in ast.unparse(node.args[0])
            )
            if builds or inserts:
                writers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert writers and all(w.startswith("wiki/pages/revisions.py:") for w in writers), writers


def test_every_writer_of_page_state_runs_the_one_derive_step():
    """Save, move, undelete and the dump import call derive.derive; nobody else renders into the
    links tables (links.store is called by derive alone)."""
    callers: dict[str, set[str]] = {"derive": set(), "store": set()}
    for path in sorted((ROOT / "wiki").rglob("*.py")):
        source = path.read_text()
        name = str(path.relative_to(ROOT))
        if "derive.derive(" in source:
            callers["derive"].add(name)
        if "links.store(" in source:
            callers["store"].add(name)
    assert callers["store"] == {"wiki/pages/derive.py"}
    assert {
        "wiki/pages/save.py",
        "wiki/pages/moves.py",
        "wiki/pages/deletion.py",
        "wiki/dumps/import_.py",
    } <= callers["derive"]
