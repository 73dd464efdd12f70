"""WIKI_RENDER_TIME_LIMIT is read from the environment as seconds, or "none" for no limit."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("raw", "expected"), [("3", 3.0), ("0.25", 0.25), ("none", None), ("off", None)])
def test_render_time_limit_is_read_from_the_environment(monkeypatch, tmp_path, raw, expected):
    from wiki import config

    monkeypatch.setenv("WIKI_RENDER_TIME_LIMIT", raw)
    assert config.load(str(tmp_path))["WIKI_RENDER_TIME_LIMIT"] == expected


def test_render_time_limit_defaults_to_the_renderers_budget(monkeypatch, tmp_path):
    from wiki import config
    from wiki.markup import limits

    monkeypatch.delenv("WIKI_RENDER_TIME_LIMIT", raising=False)
    assert config.load(str(tmp_path))["WIKI_RENDER_TIME_LIMIT"] == limits.RENDER_TIME_LIMIT


def test_front_cache_size_is_read_from_the_environment(monkeypatch, tmp_path):
    """It was read with a default inside the front cache, so the variable was never looked at."""
    from wiki import config

    monkeypatch.setenv("WIKI_FRONT_CACHE_BYTES", "1048576")
    assert config.load(str(tmp_path))["WIKI_FRONT_CACHE_BYTES"] == 1048576
    monkeypatch.delenv("WIKI_FRONT_CACHE_BYTES")
    assert config.load(str(tmp_path))["WIKI_FRONT_CACHE_BYTES"] == 32 * 1024 * 1024
