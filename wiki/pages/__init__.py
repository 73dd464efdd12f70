"""The service for pages: the only writer of page state, and the reads of it.

Modules, one job each:
  reads        pages and revisions as stored (get, history, latest, ...)
  revisions    the one function that writes a revision row (and makes it current)
  derive       the one derive step every writer runs in its transaction, and the after-commit hook
  locks        the write lock writers of a title take first
  save         save with merge on conflict (render before the lock, compare-and-swap on latest)
  pst          the pre-save transform (subst:, signatures, the pipe trick) the edit paths apply
  moves, deletion, linktables, parsercache, graph: moving, deleting/undeleting, the links tables,
  the parser cache, the link-graph reads.

Import `moves`, `deletion`, `derive` and `graph` as submodules (`from wiki.pages import moves`;
the derive step is `derive.derive`).
"""

from __future__ import annotations

from wiki.pages.derive import after_commit, render_text, view
from wiki.pages.pst import apply as pre_save_transform
from wiki.pages.reads import (
    deletion_since,
    get,
    get_by_id,
    history,
    latest,
    next_,
    previous,
    revision,
    revision_at,
    revision_count,
    sizes,
    title_of,
    undo_text,
)
from wiki.pages.revisions import Actor
from wiki.pages.save import SaveResult, TextTooLong, normalise_text, save

__all__ = [
    "Actor",
    "SaveResult",
    "TextTooLong",
    "after_commit",
    "deletion_since",
    "get",
    "get_by_id",
    "history",
    "latest",
    "next_",
    "normalise_text",
    "pre_save_transform",
    "previous",
    "render_text",
    "revision",
    "revision_at",
    "revision_count",
    "save",
    "sizes",
    "title_of",
    "undo_text",
    "view",
]
