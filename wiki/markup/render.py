"""The rendering pipeline: wikitext -> Rendered, in MediaWiki's order of passes.

1. preprocess (templates, parser functions, comments) - preprocess.expand
2. extension tags (<nowiki>, <pre>, <ref>, <references>) cut out as strip markers
3. sanitise HTML tags, then tables, ----, behaviour switches, headings, [[links]],
   '' quotes, [external links], bare URLs and magic links, heading anchors and TOC
4. block-level pass (paragraphs, lists, <pre> by indent)
5. strip markers and link holders (one existence check) put back; entities normalised
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from wiki.markup.blocklevel import do_block_levels
from wiki.markup.cite import TRACKING_KEY, Cite
from wiki.markup.context import Heading, RenderContext, Rendered, TagCall
from wiki.markup.escape import escape_text
from wiki.markup.extlinks import ExternalLinks
from wiki.markup.exttags import PP_PREFIX, parse_source, resolve_markers, safe_html
from wiki.markup.gallery import render_gallery
from wiki.markup.html.sanitizer import (
    decode_tag_attributes,
    fix_tag_attributes,
    normalize_char_references,
    remove_html_tags,
)
from wiki.markup.html.tidy import tidy
from wiki.markup.images import Images
from wiki.markup.limits import Budget, RenderLimitExceeded
from wiki.markup.links import LinkHolders, LinkResult, handle_internal_links
from wiki.markup.poem import render_poem
from wiki.markup.preprocessor import preprocess
from wiki.markup.quotes import do_all_quotes
from wiki.markup.redirect import redirect_header, redirect_label, split_redirect
from wiki.markup.state import ParseState
from wiki.markup.strip import EXTENSION_TAGS, MARKER_PREFIX, StripState, extract_tags
from wiki.markup.switches import Switches, take_switches
from wiki.markup.tables import do_tables
from wiki.markup.toc import PP_MARK, SECTION_MARK, TOC_MARK, TocOptions, do_headings, format_headings

_HR = re.compile(r"(^|\n)-----*")
_NOINCLUDE = re.compile(r"</?noinclude\s*>|</?onlyinclude\s*>", re.I)
_INCLUDEONLY = re.compile(r"<includeonly\s*>.*?(?:</includeonly\s*>|$)", re.I | re.S)
# A space before ? : ; ! % » › or after « ‹, outside tags (where the next angle bracket is not
# ">"); one look-ahead per stretch between angle brackets keeps long tag-free text linear.
_FRENCH_SPACE = re.compile(r" (?=[?:;!%\u00bb\u203a](?!\w))")
_FRENCH_GUILLEMET = re.compile(r"(?<=[\u00ab\u2039]) ")
_ANGLE = re.compile(r"[<>]")
_PRE_BLOCK = re.compile(r"<pre\b[^>]*>.*?</pre>", re.S)


class _Pass:
    """State of one render: strip markers, link holders, footnotes, outputs."""

    def __init__(self, ctx: RenderContext, state: ParseState) -> None:
        self.ctx = ctx
        self.state = state
        self.budget = state.budget
        self.strip = StripState()
        self.holders = LinkHolders(ctx, budget=state.budget)
        self.ext = ExternalLinks(ctx)
        self.links = LinkResult()
        self.notes = Cite(
            parse=self.recursive,
            unstrip=self.strip.unstrip_all,
            hide=lambda html: self.strip.add("citeerror", html),
            read_message=self._message,
            track=self._track_cite_error,
        )
        self.hooks = ctx.site.tag_hooks
        self.page_hooks = ctx.site.page_tag_hooks
        self.hooked = frozenset(self.hooks) | frozenset(self.page_hooks)
        self.media = self.holders.media = Images(ctx, self.holders, self.strip, self.ext)
        self.tags_made = 0  # HTML the extension tags made, for the output budget
        self.source = ""  # the wikitext being rendered, for page tag hooks

    # --- extension tags ---------------------------------------------------------------
    def tags(self, text: str) -> str:
        """Call the hooks of the extension tags in `text` (see wiki.markup.exttags)."""
        if PP_PREFIX in text:
            text = resolve_markers(
                text, self.state.strip_items, self._call_source, self.strip.general.__setitem__
            )
        return extract_tags(text, self.tag, self.strip, self.hooked)

    def _call_source(self, source: str) -> str:
        parsed = parse_source(source)
        if parsed is None or not (parsed[0] in EXTENSION_TAGS or parsed[0] in self.hooked):
            return source  # a tag this wiki does not know: shown as written
        name, attrs, content = parsed
        html, kind = self.tag(name, attrs, content)
        return self.strip.add(name, html, kind)

    def recursive(self, text: str) -> str:
        """MediaWiki's recursiveTagParse: preprocess, tag hooks, inline passes (no paragraphs)."""
        state = self.state
        headings, state.heading_markers = state.heading_markers, False
        try:
            text = self.budget.check(preprocess.expand(text, self.ctx, state, keep_tags=True))
        finally:
            state.heading_markers = headings
        text = _NOINCLUDE.sub("", _INCLUDEONLY.sub("", text))
        comment = f"{MARKER_PREFIX}-{preprocess.COMMENT}-"
        self.strip.general.update((k, v) for k, v in state.strip_items.items() if k.startswith(comment))
        return self.inline(self.tags(text))

    def _message(self, key: str) -> str | None:
        title = self.ctx.site.parse_title(f"MediaWiki:{key}", default_namespace=8)
        return (
            self.ctx.template_text(title.prefixed_text)
            if title is not None and title.namespace == 8
            else None
        )

    def _track_cite_error(self) -> None:
        if TRACKING_KEY not in self.state.errors:
            self.state.errors.append(TRACKING_KEY)

    def tag(self, name: str, attrs: str, content: str | None) -> tuple[str, str]:
        html, kind = self._tag(name, attrs, content)
        self.budget.check_time()  # a hook (a highlighter) may take long: many of them stop in time
        # a footnote shows twice: its mark here and its item in the list, about as long again
        self.tags_made += 2 * len(html) if name == "ref" else len(html)
        self.budget.check_size(self.tags_made)
        return html, kind

    def _tag(self, name: str, attrs: str, content: str | None) -> tuple[str, str]:
        page_hook = self.page_hooks.get(name)
        if page_hook is not None:  # HTML the wiki built from structured data: kept from later passes
            call = TagCall(name, decode_tag_attributes(attrs), content, self.ctx.title, self.source)
            return self.strip.add(f"{name}inner", page_hook(call), "nowiki"), "general"
        if name == "nowiki":
            body = (content or "").replace("-{", "-&#123;").replace("}-", "&#125;-")
            return body.replace("<", "&lt;").replace(">", "&gt;"), "nowiki"
        if name == "pre":
            body = re.sub(r"<nowiki>(.*?)</nowiki>", r"\1", content or "", flags=re.I | re.S)
            body = body.replace("<", "&lt;").replace(">", "&gt;")
            return f"<pre{fix_tag_attributes(attrs, 'pre')}>{body}</pre>", "general"
        if name == "gallery":
            return render_gallery(attrs, content, self.media, self.recursive), "general"
        if name == "ref":
            html = self.notes.ref(attrs, content)
            return (_as_written(name, attrs, content) if html is None else html), "general"
        if name == "references":
            html = self.notes.references(attrs, content)
            return (_as_written(name, attrs, content) if html is None else html), "general"
        if name == "indicator":
            return self._indicator(attrs, content), "general"
        if name == "poem":
            return render_poem(
                attrs, content, self.recursive, lambda html: self.strip.add("poembr", html)
            ), "general"
        hook = self.hooks.get(name)
        if hook is not None:
            # <nowiki> markers in the content (from {{#tag:}}) go back as text, as SyntaxHighlight does
            body = self.strip.unstrip_nowiki(content or "")
            answer = hook(body, decode_tag_attributes(attrs))
            if isinstance(answer, tuple):  # (HTML, tracking categories), e.g. an unknown language
                answer, tracking = answer
                self.links.categories.extend(
                    (c.replace(" ", "_"), self.state.default_sort or "") for c in tracking
                )
            html = safe_html(answer)
            # preformatted parts are final: hidden from the paragraph pass, as SyntaxHighlight does
            return _PRE_BLOCK.sub(
                lambda m: self.strip.add(f"{name}inner", m.group(0), "nowiki"), html
            ), "general"
        return _as_written(name, attrs, content), "general"

    def _indicator(self, attrs: str, content: str | None) -> str:
        """CoreTagHooks::indicator: nothing in the text (a page status indicator is shown by the
        skin, which this wiki does not draw yet); its content is parsed for the links it makes."""
        if not decode_tag_attributes(attrs).get("name", "").strip():
            return (
                '<span class="error"><strong>Error:</strong> Page status indicators\' '
                "<code>name</code> attribute must not be empty.</span>"
            )
        if content:
            self.recursive(content)
        return ""

    # --- the inline passes ------------------------------------------------------------
    def inline(self, text: str, switches: Switches | None = None) -> str:
        check = self.budget.check
        text = check(remove_html_tags(text, self.strip.unstrip_all))
        text = check(do_tables(text, self.strip.unstrip_all))
        if "--" in text:
            text = _HR.sub(r"\1<hr />", text)
        if switches is not None:
            text = take_switches(text, switches)
        text = check(do_headings(text))
        text = handle_internal_links(text, self.ctx, self.holders, self.links, self.state.default_sort or "")
        text = check(do_all_quotes(check(text)))
        text = check(self.ext.replace_bracketed(text))
        return check(self.ext.replace_magic(text))

    def plain_heading(self, html: str) -> str:
        return self.strip.unstrip_all(self.holders.replace_text(html))

    def run(self, text: str) -> tuple[str, Switches, list[Heading]]:
        switches = Switches()
        self.media.prefetch(text)
        text = self.tags(text)
        text = self.inline(text, switches)
        opts = TocOptions(
            show_toc=not switches.notoc or switches.toc,
            force_toc=switches.forcetoc,
            toc_position=switches.toc,
            edit_links=not switches.noeditsection,
            origins=self.state.heading_origins,
        )
        check = self.budget.check
        result = format_headings(text, self.ctx, opts, self.plain_heading, self.budget)
        text = check(result.html)
        text += self.notes.leftover()
        text = check(self.strip.unstrip_general(text))
        text = check(do_block_levels(text, self.budget))
        text = check(self.holders.replace(text))
        text = check(self.strip.unstrip_all(text))
        text = armor_french_spaces(text)
        text = PP_MARK.sub("", text.replace(SECTION_MARK, ""))
        text = check(normalize_char_references(text))
        text = check(tidy(text))
        if result.toc:
            toc = tidy(normalize_char_references(armor_french_spaces(result.toc)))
            text = text.replace(TOC_MARK, toc, 1)
        return text, switches, result.headings


def _as_written(name: str, attrs: str, content: str | None) -> str:
    """A tag shown as text (MediaWiki's htmlspecialchars of the tag when its hook declines)."""
    return escape_text(f"<{name}{attrs}/>" if content is None else f"<{name}{attrs}>{content}</{name}>")


def armor_french_spaces(text: str) -> str:
    """A space before ? : ; ! % » becomes a non-breaking space (outside tags)."""
    text = _armor(text, _FRENCH_SPACE)
    if "\u00ab" in text or "\u2039" in text:
        text = _armor(text, _FRENCH_GUILLEMET)
    return text


def _armor(text: str, spaces: re.Pattern[str]) -> str:
    out: list[str] = []
    last = 0
    angle = -1  # the next "<" or ">" at or after the last candidate
    inside = False
    for m in spaces.finditer(text):
        start = m.start()
        if angle < start:
            a = _ANGLE.search(text, start)
            angle = a.start() if a else len(text)
            inside = a is not None and a.group() == ">"
        if not inside:
            out.append(text[last:start])
            out.append("&#160;")
            last = start + 1
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def _fallback(text: str) -> Rendered:
    body = "".join(f"<p>{escape_text(p)}\n</p>" for p in text.split("\n\n") if p.strip())
    return Rendered(html=f'<div class="mw-parser-output">{body}</div>')


_gc_lock = threading.Lock()
_gc_pauses = [0, False]  # renders running with the collector paused, and whether it was on


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while renders run (in any thread).

    A render makes millions of short-lived objects but no cycles worth collecting; the collector
    would scan the growing heap again and again (a quarter of the time of a large page).
    """
    with _gc_lock:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses[0] -= 1
            if _gc_pauses[0] == 0 and _gc_pauses[1]:
                gc.enable()


def render(text: str, ctx: RenderContext) -> Rendered:
    """Render wikitext to HTML. Never raises: a failure renders the text escaped, a render over
    its time or output budget shows the limit error (see wiki.markup.limits)."""
    state = _new_state(ctx)
    try:
        with _collector_paused():
            return _render(text, ctx, state)
    except RenderLimitExceeded as exc:
        return _limit_page(text, ctx, state, exc)
    except RecursionError:
        return _fallback(text)
    except Exception:  # noqa: BLE001 - bad input must not break a page view
        return _fallback(text)


# Limits a page ran into are shown as MediaWiki's tracking categories in the category box.
TRACKING_CATEGORIES = {
    "expensive-parserfunction": "Pages with too many expensive parser function calls",
    "post-expand-include-size": "Pages where template include size is exceeded",
    "expansion-depth": "Pages where the expansion depth is exceeded",
    "node-count": "Pages where node count is exceeded",
    "template-loop": "Pages with template loops",
    # ours, for the limits MediaWiki leaves to PHP's request time limit
    "render-time": "Pages where the render time limit is exceeded",
    "html-size": "Pages where the HTML size limit is exceeded",
    TRACKING_KEY: "Pages with reference errors",
}
# What MediaWiki says on preview when a page hits a preprocessor limit (limitationWarn).
WARNINGS = {
    "post-expand-include-size": "Warning: Template include size is too large. "
    "Some templates will not be included.",
    "expensive-parserfunction": "Warning: This page has too many expensive parser function calls.",
    "expansion-depth": "Warning: Page exceeded the expansion depth.",
    "node-count": "Warning: Page exceeded the node-count.",
    "template-loop": "Warning: Template loop detected.",
}


def _tracking_categories(state: ParseState) -> list[tuple[str, str]]:
    sortkey = state.default_sort or ""
    return [
        (TRACKING_CATEGORIES[key].replace(" ", "_"), sortkey)
        for key in state.errors
        if key in TRACKING_CATEGORIES
    ]


def _limit_page(text: str, ctx: RenderContext, state: ParseState, exc: RenderLimitExceeded) -> Rendered:
    """The page as MediaWiki shows a limit error: the message, no content, the tracking category."""
    target = split_redirect(text.replace("\r\n", "\n"), ctx)[0]
    state.errors.append(exc.key)
    html = f'<p><strong class="error">{escape_text(exc.message)}</strong></p>'
    return Rendered(
        html=f'<div class="mw-parser-output">{html}</div>',
        links=[target.prefixed_text] if target is not None else [],
        templates=list(dict.fromkeys(state.templates)),
        categories=_tracking_categories(state),
        redirect=target,
        warnings=_warnings(state),
        limit_error=exc.key,
    )


def _warnings(state: ParseState) -> list[str]:
    return [WARNINGS[key] for key in state.errors if key in WARNINGS]


def _new_state(ctx: RenderContext) -> ParseState:
    return ParseState(budget=Budget(ctx.timer, ctx.time_limit))


def _render(text: str, ctx: RenderContext, state: ParseState | None = None) -> Rendered:
    """render() without its safety nets: a failure or a limit raises (the fuzz tests use it)."""
    state = state or _new_state(ctx)
    text = text.replace("\x7f", "").replace("\r\n", "\n")
    target, body = split_redirect(text, ctx)
    state.heading_markers = True
    expanded = state.budget.check(preprocess.expand(body if target else text, ctx, state, keep_tags=True))
    expanded = _INCLUDEONLY.sub("", expanded)
    expanded = _NOINCLUDE.sub("", expanded)
    run = _Pass(ctx, state)
    run.source = text
    comment = f"{MARKER_PREFIX}-{preprocess.COMMENT}-"
    run.strip.general.update((k, v) for k, v in state.strip_items.items() if k.startswith(comment))
    # The notice's link joins the render's one existence check (a missing target is a red link).
    notice = run.holders.make(target, redirect_label(target)) if target is not None else ""
    html, switches, headings = run.run(expanded)
    if target is not None:
        html = redirect_header(run.holders.replace(notice)) + html
        run.holders.links.insert(0, target.prefixed_text)
    return Rendered(
        html=f'<div class="mw-parser-output">{html}</div>',
        links=list(dict.fromkeys(run.holders.links)),
        templates=list(dict.fromkeys(state.templates)),
        categories=list(
            dict.fromkeys(
                [
                    *run.links.categories,
                    *_tracking_categories(state),
                    *run.media.tracking(state.default_sort or ""),
                ]
            )
        ),
        headings=headings,
        redirect=target,
        external_links=list(dict.fromkeys(run.ext.urls)),
        images=list(run.media.used),
        display_title=state.display_title,
        default_sort=state.default_sort,
        properties=switches.properties(),
        warnings=_warnings(state),
    )
