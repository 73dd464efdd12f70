"""Mutable state of one render, shared by the preprocessor and the later passes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from wiki.markup.context import TitleLike
from wiki.markup.limits import Budget
from wiki.markup.preprocessor.tree import Node


@dataclass
class ParseState:
    templates: list[str] = field(default_factory=list)  # prefixed titles transcluded, in order
    default_sort: str | None = None
    display_title: str | None = None
    expensive_calls: int = 0
    include_size: int = 0
    errors: list[str] = field(default_factory=list)  # visible limit / loop messages, for tracking
    # --- used by the preprocessor (wiki.markup.preprocessor) ---
    # Set to True to get a marker "\x7f'\"`UNIQ--h-N--QINU`\"'\x7f" right after the opening '='
    # of each heading line the preprocessor saw; heading_origins[N] is (page title, index),
    # where the title is the page itself or the template the heading came from (edit links).
    heading_markers: bool = False
    heading_origins: list[tuple[str, int]] = field(default_factory=list)
    template_sources: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    template_trees: dict[tuple[str, bool], list[Node]] = field(default_factory=dict)
    template_expansions: dict[str, str] = field(default_factory=dict)
    strip_items: dict[str, str] = field(default_factory=dict)
    templates_seen: set[str] = field(default_factory=set)
    node_count: int = 0
    existence: dict[str, bool] = field(default_factory=dict)
    page_size: int | None = None  # bytes of the page text, for {{REVISIONSIZE}}
    title_cache: dict[tuple[str, int], TitleLike | None] = field(default_factory=dict)
    time_chars: int = 0  # bytes of {{#time:}} formats formatted so far (limits.MAX_TIME_CHARS)
    time_results: dict[tuple[str, str], str] = field(default_factory=dict)
    # --- the render's time and size budget (a render passes its own) ---
    budget: Budget = field(default_factory=lambda: Budget(time.monotonic, None))
