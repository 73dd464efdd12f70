"""`make fuzz`: the property-based tests of tests/security/test_properties.py, run for 100,000 inputs.

Outside CI (it takes minutes). FUZZ_INPUTS changes the total, FUZZ_ONLY=render,api picks properties.
Prints, per property, how many inputs ran and whether it held;
exits non-zero if a property failed (the falsifying input is printed by Hypothesis).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
TOTAL = int(os.environ.get("FUZZ_INPUTS", "100000"))
# Share of the inputs per property: the renderer gets the most.
SHARES = {"render": 0.40, "sanitizer": 0.20, "css": 0.10, "titles": 0.12, "diffs": 0.10, "api": 0.08}


def _app():
    instance = Path(tempfile.mkdtemp(prefix="wiki-fuzz-"))
    url = f"sqlite:///{instance / 'wiki.db'}"
    env = {**os.environ, "WIKI_DATABASE_URL": url, "WIKI_INSTANCE_DIR": str(instance)}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wiki", "db", "upgrade"], cwd=ROOT, env=env, check=True,
        capture_output=True,
    )  # fmt: skip
    from wiki import create_app

    return create_app({"TESTING": True, "WIKI_INSTANCE_DIR": str(instance), "SQLALCHEMY_DATABASE_URI": url})


def _counting(check, seen: list[int]):
    def counted(**kw):
        seen[0] += 1
        check(**kw)

    return counted


def main() -> int:
    from tests.security import test_properties as props
    from tests.security.strategies import lines, title_text, wikitext

    app = _app()
    checks = {
        "render": (
            lambda text: props.test_renderer_never_raises_and_never_emits_script.hypothesis.inner_test(
                app, text
            ),
            {"text": wikitext},
        ),  # fmt: skip
        "sanitizer": (
            props.test_sanitizer_is_stable_on_its_own_output.hypothesis.inner_test,
            {"text": wikitext},
        ),
        "css": (
            props.test_css_check_never_lets_expression_through.hypothesis.inner_test,
            {"css": st.text(max_size=60) | wikitext},
        ),
        "titles": (
            props.test_titles_parse_or_refuse_and_round_trip.hypothesis.inner_test,
            {"raw": title_text},
        ),
        "diffs": (
            props.test_diffs_never_raise_and_merges_keep_one_sided_changes.hypothesis.inner_test,
            {"old": lines, "new": lines},
        ),  # fmt: skip
        "api": (
            lambda params,
            post: props.test_api_answers_every_parameter_mix_without_a_crash.hypothesis.inner_test(
                app, params, post
            ),
            {"params": props.API_PARAMS, "post": st.booleans()},
        ),  # fmt: skip
    }
    failed, ran = [], 0
    only = [n for n in os.environ.get("FUZZ_ONLY", "").split(",") if n]
    for name, (check, strategies) in checks.items():
        if only and name not in only:
            continue
        count = max(1, int(TOTAL * SHARES[name]))
        seen = [0]
        counted = _counting(check, seen)
        runner = settings(
            max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )(given(**strategies)(counted))
        started = time.monotonic()
        try:
            runner()
            verdict = "held"
        except Exception as exc:  # noqa: BLE001 - report every property, then fail
            notes = " ".join(getattr(exc, "__notes__", []))
            verdict = f"FAILED: {exc.__class__.__name__} {exc!s:.300} {notes:.600}"
            failed.append(name)
        ran += seen[0]
        print(f"{name:10} {seen[0]:7,} inputs in {time.monotonic() - started:6.1f} s: {verdict}", flush=True)
    print(f"fuzz campaign: {ran:,} inputs, {len(failed)} properties failed {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
