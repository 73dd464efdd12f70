"""The parser-test site of the conformance harness, configured through SiteSettings.

`render(wikitext, title=..., options=..., articles=...) -> str` is the harness's function
mode; the settings are those of ../shared/conformance/README.md (example.org, /wiki/$1,
/index.php, TestWiki, MemoryAlpha namespaces, the interwiki map, a fixed clock).
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from wiki import titles
from wiki.markup import RenderContext, SiteSettings
from wiki.markup import render as render_markup
from wiki.markup.context import FileFacts

INTERWIKI = {
    "wikipedia": "http://en.wikipedia.org/wiki/$1",
    "meatball": "http://www.usemod.com/cgi-bin/mb.pl?$1",
    "memoryalpha": "http://www.memory-alpha.org/en/index.php/$1",
    "local": "http://doesnt.matter.org/$1",
    "zh": "http://zh.wikipedia.org/wiki/$1",
    "es": "http://es.wikipedia.org/wiki/$1",
    "fr": "http://fr.wikipedia.org/wiki/$1",
    "ru": "http://ru.wikipedia.org/wiki/$1",
    "mi": "http://mi.wikipedia.org/wiki/$1",
    "en": "http://en.wikipedia.org/wiki/$1",
    "mul": "http://wikisource.org/wiki/$1",
    "stats": "https://stats.wikimedia.org/$1",
    "gerrit": "https://gerrit.wikimedia.org/$1",
    "wikinvest": "https://meta.wikimedia.org/wiki/Interwiki_map/discontinued#Wikinvest",
}
LANGUAGE_PREFIXES = frozenset({"zh", "es", "fr", "ru", "mi", "en", "mul"})
SELF_PREFIXES = frozenset({"local", "mi"})
NAMESPACES = titles.Namespaces.for_site("TestWiki", {100: "MemoryAlpha", 101: "MemoryAlpha talk"})


# The parser-test runner's mock file repository (ParserTestRunner::setupUploads), see the README.
MOCK_FILES = {
    f.name: f
    for f in (
        FileFacts("Foobar.jpg", 1941, 220, "image/jpeg", 7881),
        FileFacts("Thumb.png", 135, 135, "image/png", 22589),
        FileFacts("Foobar.svg", 240, 180, "image/svg+xml", 12345),
        FileFacts("Bad.jpg", 320, 240, "image/jpeg", 12345),
        FileFacts("Video.ogv", 320, 240, "application/ogg", 12345),
        FileFacts("Audio.oga", 0, 0, "application/ogg", 12345),
        FileFacts("LoremIpsum.djvu", 2480, 3508, "image/vnd.djvu", 3249, pages=5),
    )
}


def _files(names) -> dict[str, FileFacts]:
    return {n: MOCK_FILES[n] for n in names if n in MOCK_FILES}


def _clock() -> datetime:
    return datetime(1970, 1, 1, 0, 2, 3, tzinfo=UTC)


@functools.cache
def site() -> SiteSettings:
    return SiteSettings(
        parse_title=functools.partial(titles.try_parse, namespaces=NAMESPACES, interwiki=tuple(INTERWIKI)),
        namespace_names=dict(NAMESPACES.names),
        name="MediaWiki",  # $wgSitename of the parser tests; the project namespace is TestWiki
        server="http://example.org",
        article_path="/wiki/$1",
        script="/index.php",
        interwiki=dict(INTERWIKI),
        local_interwiki=LANGUAGE_PREFIXES,
        self_interwiki=SELF_PREFIXES,
        nofollow=True,
        nofollow_exceptions=("no-nofollow.org",),
        magic_links=True,
        external_images=True,
        section_edit_links=True,
        clock=_clock,
        upload_path="http://example.com/images",
        thumb_width=180,  # $wgThumbLimits = [180] in the runner
    )


_ARTICLE_CACHE: dict[int, tuple[dict, dict[str, str]]] = {}


def _normalised(articles: dict[str, str]) -> dict[str, str]:
    """Fixture pages keyed by their normalised prefixed title."""
    cached = _ARTICLE_CACHE.get(id(articles))
    if cached and cached[0] is articles:
        return cached[1]
    table: dict[str, str] = {}
    for name, text in articles.items():
        title = site().parse_title(name, default_namespace=0)
        if title is not None:
            table[title.prefixed_text] = text
    _ARTICLE_CACHE[id(articles)] = (articles, table)
    return table


def context(title: str = "Parser test", articles: dict[str, str] | None = None) -> RenderContext:
    pages = _normalised(articles or {})
    page = site().parse_title(title, default_namespace=0) or site().parse_title("Parser test")
    return RenderContext(
        title=page,
        site=site(),
        existing_titles=lambda names: {n for n in names if n in pages},
        template_text=pages.get,
        files=_files,
        bad_image_list=lambda: pages.get("MediaWiki:Bad image list"),
        revision_id=1337,
        revision_timestamp=_clock(),
    )


def render(wikitext: str, title: str = "Parser test", options=None, articles=None) -> str:
    ctx = context(title, articles)
    if options:
        ctx.site.options.clear()
        ctx.site.options.update(options)
    return render_markup(wikitext, ctx).html
