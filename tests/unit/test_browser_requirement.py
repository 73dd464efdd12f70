"""A missing browser skips the browser tests on a developer's machine and fails them in CI."""

from __future__ import annotations

import pytest

from tests import conftest


def test_a_missing_chromium_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests"):
        conftest.require_browser()


def test_a_missing_chromium_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        conftest.require_browser()
