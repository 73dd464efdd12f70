"""The real mwclient 0.11 drives our API through ../shared/tools/mwclient_check.py: 20 checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.api.helpers import make_user
from tests.conftest import SHARED

CHECKER = SHARED / "tools" / "mwclient_check.py"


@pytest.mark.skipif(not CHECKER.exists(), reason="../shared/tools/mwclient_check.py is absent")
def test_mwclient_passes_every_check_against_a_live_server(app, live_server):
    make_user(app, "Checker", "mwclient-check-pass-1", groups="sysop")  # move and delete need sysop rights
    make_user(app, "Checker2", "mwclient-check-pass-2")  # the other side of the edit conflict
    run = subprocess.run(
        [
            sys.executable,
            str(CHECKER),
            "--host",
            f"127.0.0.1:{live_server.port}",
            "--path",
            "/w/",
            "--user",
            "Checker",
            "--password",
            "mwclient-check-pass-1",
            "--user2",
            "Checker2",
            "--password2",
            "mwclient-check-pass-2",
            "--search-wait",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    report = run.stdout + run.stderr
    assert "20 passed, 0 failed" in report, report
