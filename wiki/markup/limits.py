"""Every bound on the work of one render, in one place, with its value and where it comes from.

MediaWiki's own limits keep their names and values; the last group is ours, where MediaWiki
has none but a pure-Python renderer needs one (MediaWiki leans on PHP's request time limit).
A site may override the preprocessor's limits through `SiteSettings.options` (the keys in
brackets); the time limit comes with each render's context (`RenderContext.time_limit`).
"""

from __future__ import annotations

from collections.abc import Callable

# --- MediaWiki's limits ---------------------------------------------------------------------
MAX_ARTICLE_SIZE = 2048 * 1024  # bytes of wikitext a page may hold: $wgMaxArticleSize (2048 KiB)
# Post-expand include size: bytes that templates and arguments may add to a page, counted after
# expansion ($wgMaxArticleSize * 1024, Parser::incrementIncludeSize) ["max_include_size"].
MAX_INCLUDE_SIZE = MAX_ARTICLE_SIZE
MAX_EXPAND_DEPTH = 40  # nesting of expansions ($wgMaxPPExpandDepth) ["max_expand_depth"]
MAX_TEMPLATE_DEPTH = 40  # nesting of templates ($wgMaxTemplateDepth) ["max_template_depth"]
MAX_PP_NODE_COUNT = 400_000  # preprocessor expansions per page ($wgMaxPPNodeCount) ["max_pp_node_count"]
EXPENSIVE_FUNCTION_LIMIT = 100  # #ifexist and friends ($wgExpensiveParserFunctionLimit)
MAX_TIME_CHARS = 6000  # bytes of {{#time:}} formats per page (ParserFunctions' MAX_TIME_CHARS)
MAX_PAD_LENGTH = 500  # longest result of {{padleft:}} / {{padright:}} (CoreParserFunctions::pad)

# --- ours -----------------------------------------------------------------------------------
# HTML one render may produce: four times the largest page (a 2 MB page of ordinary wikitext
# renders to about 7.5 MB). Beyond it the page shows the limit error instead of its content.
MAX_HTML_SIZE = 4 * MAX_ARTICLE_SIZE
# Seconds one render may take (wall clock, measured with the context's timer): a request must
# answer within 2 s, and the rest of it (database, skin) needs some. None: no limit.
RENDER_TIME_LIMIT = 1.5
_CLOCK_EVERY = 256  # ticks between two readings of the clock
_LARGE_TEXT = 1 << 16  # a pass over this many characters is worth a reading of the clock


class RenderLimitExceeded(Exception):
    """A render stopped at one of its limits; the page shows `message` instead of its content."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


class Budget:
    """The time and output-size budget of one render; passes call `tick` in long loops and
    `check` on what they produce, and either raises RenderLimitExceeded once over."""

    __slots__ = ("clock", "deadline", "time_limit", "max_html", "_ticks")

    def __init__(
        self, clock: Callable[[], float], time_limit: float | None, max_html: int = MAX_HTML_SIZE
    ) -> None:
        self.clock = clock
        self.time_limit = time_limit
        self.deadline = None if time_limit is None else clock() + time_limit
        self.max_html = max_html
        self._ticks = 0

    def tick(self, count: int = 1) -> None:
        """Count work done; the clock is read every few hundred ticks."""
        self._ticks += count
        if self._ticks >= _CLOCK_EVERY:
            self._ticks = 0
            self.check_time()

    def check_time(self) -> None:
        if self.deadline is not None and self.clock() > self.deadline:
            raise RenderLimitExceeded(
                "render-time",
                f"This page took longer than {self.time_limit:g} seconds to render (the render "
                "time limit), so its content is not shown; simplify it or split it into pages.",
            )

    def check(self, html: str) -> str:
        """`html` unchanged, once its size is checked, and the time (for a small piece of text,
        every few hundred calls: the passes run on each footnote's text too)."""
        self.check_size(len(html))
        self.tick(1 if len(html) < _LARGE_TEXT else _CLOCK_EVERY)
        return html

    def check_size(self, size: int) -> None:
        if size > self.max_html:
            raise RenderLimitExceeded(
                "html-size",
                f"This page would render to more than {self.max_html:,} bytes of HTML (the output "
                "size limit), so its content is not shown; simplify it or split it into pages.",
            )


UNLIMITED = Budget(lambda: 0.0, None, max_html=1 << 62)  # for helpers used outside a render
