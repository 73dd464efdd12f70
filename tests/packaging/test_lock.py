"""The lock files pin what pyproject.toml asks for, agree with each other, and are what make install
installed: a dependency changed in pyproject.toml without `make lock` fails here."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def locked(name: str) -> dict[str, Requirement]:
    """A lock file's pins by package name (comments and `# via` lines left out)."""
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = requirement
    return pins


def pinned(requirement: Requirement) -> str:
    [specifier] = requirement.specifier
    assert specifier.operator == "==", f"{requirement}: locked and declared pins are exact"
    return specifier.version


def declared(*groups: str) -> dict[str, Requirement]:
    """The pyproject.toml pins of `dependencies` and the named extras (not the project itself)."""
    specs = list(PROJECT["dependencies"])
    for group in groups:
        specs += PROJECT["optional-dependencies"][group]
    requirements = {canonicalize_name(r.name): r for r in map(Requirement, specs)}
    requirements.pop(PROJECT["name"], None)  # the test extra's wikimill[postgres]
    return requirements


def test_the_runtime_lock_pins_the_dependencies_and_postgres_at_the_declared_versions():
    lock = locked("requirements.lock")
    for name, requirement in declared("postgres").items():
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock: run make lock"
        assert pinned(lock[name]) == pinned(requirement), f"{name}: run make lock"
    assert "pytest" not in lock  # what the wheel needs, not the tests


def test_the_test_lock_adds_the_test_extra_at_the_runtime_locks_versions():
    lock, runtime = locked("requirements-test.lock"), locked("requirements.lock")
    for name, requirement in declared("postgres", "test").items():
        assert name in lock and pinned(lock[name]) == pinned(requirement), f"{name}: run make lock"
    for name, requirement in runtime.items():
        assert name in lock and pinned(lock[name]) == pinned(requirement), f"{name}: the locks disagree"


def test_this_environment_is_the_test_lock():
    for name, requirement in locked("requirements-test.lock").items():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = version(name)
        except PackageNotFoundError:
            raise AssertionError(f"{name} of requirements-test.lock is not installed: make install") from None
        assert installed == pinned(requirement), f"{name} {installed} installed, {pinned(requirement)} locked"
