"""The parser-conformance harness against our renderer, with a committed floor.

Runs ../shared/conformance/harness.py in-process (function mode) through adapter.render and
fails when the pass rate drops below tests/conformance/floor.json. The opt-in families
(floor.json "families": name -> cases file, --allow value, floor) run the same way, one each.
Skips, saying why, when the shared harness is not checked out beside the repository.
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


def _run(tmp_path_factory, *extra: str) -> dict:
    if not HARNESS.exists():
        pytest.skip(f"conformance harness not found at {HARNESS} (../shared/conformance absent)")
    out = tmp_path_factory.mktemp("conformance") / "results.json"
    harness = _harness()
    with redirect_stdout(io.StringIO()):
        harness.main(["--renderer", f"{HERE / 'adapter.py'}:render", "--json", str(out), *extra])
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return _run(tmp_path_factory)


def test_pass_rate_is_at_least_the_floor(results):
    rate = results["passed"] / results["total"]
    assert rate >= FLOOR["overall"], f"pass rate {rate:.3f} below floor {FLOOR['overall']}"


@pytest.mark.parametrize("topic", sorted(FLOOR.get("topics", {})))
def test_topic_pass_rate_is_at_least_its_floor(results, topic):
    counts = results["per_topic"][topic]
    rate = counts["pass"] / counts["total"]
    assert rate >= FLOOR["topics"][topic], f"{topic}: {rate:.3f} below {FLOOR['topics'][topic]}"


@pytest.mark.parametrize("family", sorted(FLOOR.get("families", {})))
def test_family_pass_rate_is_at_least_its_floor(tmp_path_factory, family):
    spec = FLOOR["families"][family]
    cases = HARNESS.parent / spec["cases"]
    if HARNESS.exists() and not cases.exists():
        pytest.skip(f"{cases} not found")
    got = _run(tmp_path_factory, "--cases", str(cases), "--allow", spec["allow"])
    rate = got["passed"] / got["total"]
    assert rate >= spec["floor"], f"{family}: pass rate {rate:.3f} below floor {spec['floor']}"
