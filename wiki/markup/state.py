"""Mutable state of one render, shared by the preprocessor and the later passes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParseState:
    templates: list[str] = field(default_factory=list)  # prefixed titles transcluded, in order
    default_sort: str | None = None
    display_title: str | None = None
    expensive_calls: int = 0
    include_size: int = 0
    errors: list[str] = field(default_factory=list)  # visible limit / loop messages, for tracking
