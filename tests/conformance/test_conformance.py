"""The parser-conformance harness against our renderer, with a committed floor.

Runs ../shared/conformance/harness.py in-process (function mode) through adapter.render and
fails when the pass rate drops below tests/conformance/floor.json. Skips, saying why, when
the shared harness is not checked out beside the repository.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
HARNESS = HERE.parents[2] / "shared" / "conformance" / "harness.py"
FLOOR = json.loads((HERE / "floor.json").read_text())


def _harness():
    spec = importlib.util.spec_from_file_location("pt_harness", HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pt_harness"] = module
    spec.loader.exec_module(module)
    return module


def _run(out: Path, *args: str) -> dict:
    if not HARNESS.exists():
        pytest.skip(f"conformance harness not found at {HARNESS} (../shared/conformance absent)")
    harness = _harness()
    with redirect_stdout(io.StringIO()):
        harness.main(["--renderer", f"{HERE / 'adapter.py'}:render", "--json", str(out), *args])
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("conformance") / "results.json")


def test_pass_rate_is_at_least_the_floor(results):
    rate = results["passed"] / results["total"]
    assert rate >= FLOOR["overall"], f"pass rate {rate:.3f} below floor {FLOOR['overall']}"


@pytest.mark.parametrize("topic", sorted(FLOOR.get("topics", {})))
def test_topic_pass_rate_is_at_least_its_floor(results, topic):
    counts = results["per_topic"][topic]
    rate = counts["pass"] / counts["total"]
    assert rate >= FLOOR["topics"][topic], f"{topic}: {rate:.3f} below {FLOOR['topics'][topic]}"


# Opt-in families of cases (--allow): parserTests-<family>-public.txt beside the harness.
@pytest.mark.parametrize("family", sorted(FLOOR.get("families", {})))
def test_family_pass_rate_is_at_least_its_floor(tmp_path, family):
    cases = HARNESS.parent / f"parserTests-{family}-public.txt"
    results = _run(tmp_path / "results.json", "--cases", str(cases), "--allow", family)
    rate = results["passed"] / results["total"]
    assert rate >= FLOOR["families"][family], f"{family}: {rate:.3f} below {FLOOR['families'][family]}"
