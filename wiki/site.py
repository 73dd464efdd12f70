"""The renderer's view of this wiki: site settings and render contexts built from the app config."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import quote_plus

from flask import current_app
from sqlalchemy import text as sql_text

from wiki import taghooks, titles
from wiki.extensions import db
from wiki.files import reads as file_reads
from wiki.markup import RenderContext, SiteSettings, limits
from wiki.models import Page, Revision
from wiki.pages import linktables as links

# Pages the renderer treats as existing in the Special namespace; web.special registers them.
SPECIAL_PAGES_KEY = "wiki.special_pages"
# What siteinfo and XML dumps name as the software that made them.
GENERATOR = "MediaWiki 1.39.0-compatible (LLM Knowledge Wiki engine in Python)"


def page_url(title: titles.Title | str, **params: str | int | None) -> str:
    """/wiki/Title, or /w/index.php?title=...&... when parameters are given."""
    key = title.url_key if isinstance(title, titles.Title) else titles.url_encode(title.replace(" ", "_"))
    if params:
        return index_url(title, **params)
    return str(current_app.config["WIKI_ARTICLE_PATH"]).replace("$1", key)


def index_url(title: titles.Title | str, **params: str | int | None) -> str:
    """/w/index.php?title=Title&...: the title keeps its colons and slashes, as MediaWiki writes it."""
    name = title.prefixed_dbkey if isinstance(title, titles.Title) else title.replace(" ", "_")
    query = "title=" + titles.url_encode(name)
    rest = query_string(params)
    return f"{current_app.config['WIKI_SCRIPT_PATH']}/index.php?{query}{'&' + rest if rest else ''}"


def title_urls(title: titles.Title) -> tuple[str, str]:
    """page_url(title) and index_url(title) (to append parameters to), the title encoded once: a
    list of hundreds of pages makes both for each."""
    key = title.url_key
    config = current_app.config
    return str(config["WIKI_ARTICLE_PATH"]).replace(
        "$1", key
    ), f"{config['WIKI_SCRIPT_PATH']}/index.php?title={key}"


# What quote_plus leaves as it is: most parameter names and values (ids, flags) need no quoting.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def query_string(params: dict[str, str | int | None]) -> str:
    """urlencode() of the parameters that are not None, without quoting what needs none (a changes
    list makes thousands of links)."""
    parts = []
    for key, value in params.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else str(value)
        name = key if _UNQUOTED.fullmatch(key) else quote_plus(key)
        parts.append(f"{name}={text if _UNQUOTED.fullmatch(text) else quote_plus(text)}")
    return "&".join(parts)


def namespaces() -> titles.Namespaces:
    app = current_app
    ns = app.extensions.get("wiki.namespaces")
    if ns is None:
        ns = titles.Namespaces.for_site(app.config["WIKI_PROJECT_NAMESPACE"])
        app.extensions["wiki.namespaces"] = ns
    return ns


def parse_title(text: str, default_namespace: int = titles.MAIN) -> titles.Title:
    """Parse a title with this wiki's namespaces; raises titles.InvalidTitle."""
    return titles.parse(text, namespaces(), default_namespace=default_namespace)


def settings() -> SiteSettings:
    app = current_app
    cached = app.extensions.get("wiki.site_settings")
    if cached is None:
        cfg = app.config
        ns = namespaces()
        cached = SiteSettings(
            parse_title=functools.partial(titles.try_parse, namespaces=ns),
            namespace_names=dict(ns.names),
            name=cfg["WIKI_SITE_NAME"],
            server=cfg["WIKI_SERVER"],
            article_path=cfg["WIKI_ARTICLE_PATH"],
            script=cfg["WIKI_SCRIPT_PATH"] + "/index.php",
            tag_hooks=dict(taghooks.HOOKS),
            page_tag_hooks=dict(app.extensions.get("wiki.tag_hooks", {})),  # wiki.concepts.embed
        )
        app.extensions["wiki.site_settings"] = cached
    return cached


def existing_titles(prefixed: Iterable[str]) -> set[str]:
    """The subset of these titles that exist as pages (one query), plus known special pages."""
    wanted: dict[tuple[int, str], str] = {}
    found: set[str] = set()
    specials = {name.lower() for name in current_app.extensions.get(SPECIAL_PAGES_KEY, ())}
    for text in prefixed:
        title = titles.try_parse(text, namespaces())
        if title is None or title.interwiki:
            continue
        if title.namespace == titles.SPECIAL:
            if title.text.split("/", 1)[0].lower() in specials:
                found.add(text)
            continue
        wanted[(title.namespace, title.dbkey)] = text
    found.update(wanted[key] for key in existing_keys(wanted))
    return found


def existing_keys(keys: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (namespace, dbkey) pairs of these that exist as pages, in one query (for lists that know
    their titles' keys: no title is parsed)."""
    wanted = list(set(keys))
    if not wanted:
        return set()
    if db.engine.dialect.name == "postgresql":
        # The keys as a table joined to the page index: an OR of `namespace = n AND title = ANY(...)`
        # per namespace had PostgreSQL scan the whole page table, in parallel, for a list of 500 lines
        # (~1,100 keys: titles, editors' user and talk pages; 15 ms against 4). They travel as one
        # text of "namespace<TAB>title" lines: psycopg writes a list parameter item by item in Python
        # (0.7 ms of CPU for 600 keys, 0.2 as text). No title holds a tab or a line break.
        lines = "\n".join(f"{ns}\t{key}" for ns, key in wanted if "\n" not in key and "\t" not in key)
        rows = db.session.execute(_KEYS_JOIN, {"keys": lines})
    else:
        rows = db.session.execute(
            db.select(Page.namespace, Page.title).where(links.titles_in(Page.namespace, Page.title, wanted))
        )
    return {(ns, key) for ns, key in rows}


_KEYS_JOIN = sql_text(
    "SELECT p.namespace, p.title FROM unnest(string_to_array(:keys, chr(10))) AS k(line)"
    f" JOIN {Page.__tablename__} AS p ON p.namespace = split_part(k.line, chr(9), 1)::integer"
    " AND p.title = substr(k.line, strpos(k.line, chr(9)) + 1)"
)


def template_text(prefixed: str) -> str | None:
    """Wikitext of a page for transclusion (the renderer follows redirects itself)."""
    return _template_source(prefixed)[0]


def _template_source(prefixed: str) -> tuple[str | None, list[tuple[int, str]]]:
    """template_text, and the (namespace, dbkey) of the page it looked at (existing or not)."""
    title = titles.try_parse(prefixed, namespaces())
    if title is None or title.interwiki or title.namespace < 0:
        return None, []
    text = db.session.scalar(
        db.select(Revision.text)
        .join(Page, Revision.id == Page.latest)
        .where(Page.namespace == title.namespace, Page.title == title.dbkey)
    )
    return text, [(title.namespace, title.dbkey)]


class TemplateMemo:
    """template_text for many renders in a row (an import batch): each template is read once, and
    read again after `changed` says a page it came from (or would have come from) was written."""

    def __init__(self) -> None:
        self._texts: dict[str, str | None] = {}
        self._read: set[tuple[int, str]] = set()

    def __call__(self, prefixed: str) -> str | None:
        if prefixed not in self._texts:
            self._texts[prefixed], read = _template_source(prefixed)
            self._read.update(read)
        return self._texts[prefixed]

    def changed(self, namespace: int, dbkey: str) -> None:
        if (namespace, dbkey) in self._read:
            self.clear()

    def clear(self) -> None:
        self._texts.clear()
        self._read.clear()


def context(title: titles.Title, **kw) -> RenderContext:
    """A render context reading this wiki's pages (`template_text=` may pass a TemplateMemo).

    The render's time budget is `WIKI_RENDER_TIME_LIMIT` seconds when configured (markup.limits
    has the default and the other bounds of a render)."""
    kw.setdefault("existing_titles", existing_titles)
    kw.setdefault("template_text", template_text)
    read = kw["template_text"]
    kw.setdefault("bad_image_list", lambda: read("MediaWiki:Bad image list"))
    kw.setdefault("files", file_reads.memoized_facts())
    kw.setdefault("time_limit", current_app.config.get("WIKI_RENDER_TIME_LIMIT", limits.RENDER_TIME_LIMIT))
    return RenderContext(title=title, site=settings(), **kw)
