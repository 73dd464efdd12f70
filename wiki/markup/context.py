"""What the renderer is given (RenderContext, SiteSettings) and what it gives back (Rendered).

The renderer never imports the rest of the wiki: titles are parsed by the `parse_title`
callable of the site settings, link existence and template text come from callbacks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from wiki.markup import limits


class TitleLike(Protocol):
    """The parts of wiki.titles.Title the renderer reads."""

    @property
    def namespace(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def fragment(self) -> str: ...

    @property
    def interwiki(self) -> str: ...

    @property
    def ns_name(self) -> str: ...

    @property
    def prefixed_text(self) -> str: ...

    @property
    def dbkey(self) -> str: ...

    @property
    def url_key(self) -> str: ...


@dataclass(frozen=True)
class FileFacts:
    """What the renderer knows of an uploaded file (the current version), given by the wiki."""

    name: str  # dbkey in the File namespace, without prefix: "Foo_bar.jpg"
    width: int  # pixels (0 for files without a size, such as audio)
    height: int
    mime: str  # "image/jpeg", "image/svg+xml", "application/pdf", ...
    size: int = 0  # bytes
    pages: int = 1  # page count of paged media (PDF, DjVu)
    sha1: str = ""


def _no_files(names: Iterable[str]) -> dict[str, FileFacts]:
    return {}


def _epoch_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TagCall:
    """One use of a hooked extension tag: `<name attrs>content</name>` (content None for `<name/>`)."""

    name: str
    attrs: dict[str, str]
    content: str | None
    title: TitleLike  # the page being rendered
    source: str  # the wikitext being rendered (the page's own text on a save or view)


@dataclass
class SiteSettings:
    """Site-wide settings: URLs, namespaces, interwiki map, clock, options."""

    parse_title: Callable[..., TitleLike | None]  # (text, default_namespace=0) -> Title or None
    namespace_names: dict[int, str]  # id -> local name ("" for main)
    name: str = "Wiki"
    server: str = "http://127.0.0.1:8000"
    article_path: str = "/wiki/$1"
    script: str = "/w/index.php"
    interwiki: dict[str, str] = field(default_factory=dict)  # prefix -> URL with $1
    local_interwiki: frozenset[str] = frozenset()  # prefixes that are language links
    nofollow: bool = True
    nofollow_exceptions: tuple[str, ...] = ()
    magic_links: bool = True
    external_images: bool = False
    section_edit_links: bool = True
    clock: Callable[[], datetime] = _epoch_clock
    options: dict[str, Any] = field(default_factory=dict)
    # Interwiki prefixes that point back at this wiki ("local:Foo" is the page Foo).
    self_interwiki: frozenset[str] = frozenset()
    main_page: str = "Main Page"
    # Lower-cased names of the special pages that exist (links to them are blue).
    special_pages: frozenset[str] = frozenset(
        "allpages booksources categories recentchanges search random prefixindex "
        "whatlinkshere specialpages version userlogin userlogout preferences upload "
        "movepage undelete export import log newpages statistics listusers".split()
    )
    # Namespaces whose pages have subpages ("A/B" is B under A): {{SUBPAGENAME}} and friends.
    # MediaWiki's default; the option "subpage" adds the main namespace.
    subpage_namespaces: frozenset[int] = frozenset({1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15})
    # URL path of uploaded files ($wgUploadPath): originals at {upload_path}/a/ab/Name.jpg,
    # thumbnails at {upload_path}/thumb/a/ab/Name.jpg/220px-Name.jpg (wiki.markup.filepaths).
    upload_path: str = "/images"
    # Extension tags the wiki renders outside the pure renderer (<syntaxhighlight>, <math>):
    # name -> hook(content, attributes) returning HTML, or (HTML, tracking category names), which
    # the renderer still filters (wiki.markup.exttags.safe_html). Filled by wiki.site from wiki.taghooks.
    tag_hooks: dict[str, Callable[[str, dict[str, str]], str | tuple[str, list[str]]]] = field(
        default_factory=dict
    )
    # Default width of thumbnails ($wgThumbLimits[thumbsize], later a user preference) and the
    # factor of `upright` without a value ($wgThumbUpright); galleries' default box ($wgGalleryOptions).
    # Tags whose hook needs the page (wiki.concepts' <timeline/>): name -> hook(TagCall) answering
    # HTML the wiki built itself from structured data (escaped there), kept out of the later passes.
    page_tag_hooks: dict[str, Callable[[TagCall], str]] = field(default_factory=dict)
    thumb_width: int = 220
    thumb_upright: float = 0.75
    gallery_width: int = 120
    gallery_height: int = 120


@dataclass
class RenderContext:
    """Everything one render needs besides the text."""

    title: TitleLike
    site: SiteSettings
    # Given full titles (prefixed_text), answer the subset that exist. Called once per render.
    existing_titles: Callable[[Iterable[str]], set[str]] = lambda titles: set()
    # Given a full title ("Template:Foo"), answer its wikitext or None when missing.
    template_text: Callable[[str], str | None] = lambda title: None
    # Given File-namespace dbkeys ("Foo.jpg"), answer the facts of those that exist, keyed by dbkey.
    # May be called more than once per render; the wiki's implementation batches and memoizes.
    files: Callable[[Iterable[str]], dict[str, FileFacts]] = _no_files
    # The wikitext of MediaWiki:Bad image list (None: no list); read at most once per render.
    bad_image_list: Callable[[], str | None] = lambda: None
    revision_id: int | None = None
    revision_timestamp: datetime | None = None
    revision_user: str = ""
    preview: bool = False
    # The render's time budget: seconds (None: unlimited) measured with `timer`; past it the page
    # shows MediaWiki-style limit error instead of its content (see wiki.markup.limits).
    time_limit: float | None = limits.RENDER_TIME_LIMIT
    timer: Callable[[], float] = time.monotonic


@dataclass
class Heading:
    level: int
    text: str  # plain text of the heading
    anchor: str  # id attribute
    number: str = ""  # "1.2"
    section: int | None = None  # section index for edit links, None when from a template


@dataclass
class Rendered:
    html: str
    links: list[str] = field(default_factory=list)  # prefixed titles of internal links, in order
    templates: list[str] = field(default_factory=list)  # prefixed titles transcluded
    categories: list[tuple[str, str]] = field(default_factory=list)  # (category name, sort key)
    headings: list[Heading] = field(default_factory=list)
    redirect: TitleLike | None = None
    external_links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # File dbkeys used ([[File:]], <gallery>), in order
    display_title: str | None = None
    default_sort: str | None = None
    properties: dict[str, str] = field(default_factory=dict)  # page props: notoc, noeditsection...
    warnings: list[str] = field(default_factory=list)  # limits hit, as MediaWiki warns on preview
    # The limit ("render-time", "html-size") that stopped the render; its content is then not
    # shown, and a caller may prefer not to keep the result (it may depend on the machine's load).
    limit_error: str | None = None
