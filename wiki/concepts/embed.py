"""`<timeline/>` in a page: the timeline of the page's own dated examples, drawn at render time.

The renderer calls the hook through SiteSettings.page_tag_hooks (it never imports this module); the
hook reads the wikitext being rendered, so a save shows the timeline of the text it saves.
"""

from __future__ import annotations

from flask import Flask

from wiki import site, titles
from wiki.concepts import reader, timeline
from wiki.markup.context import TagCall

TAG_HOOKS_KEY = "wiki.tag_hooks"


def _canonical(link: str) -> str | None:
    title = titles.try_parse(link, site.namespaces())
    return title.prefixed_text if title is not None and not title.interwiki else None


def timeline_tag(call: TagCall) -> str:
    """The HTML of `<timeline/>`: the dated examples of the page being rendered."""
    structure = reader.read(call.source)
    items = timeline.entries(structure, site.existing_titles, _canonical)
    subject = call.title.text
    if not items:
        return f'<p class="concept-timeline-empty">{_escape(subject)} has no dated examples to draw.</p>'
    return timeline.render(subject, items, site.page_url, id_prefix="tl-embed")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def init_app(app: Flask) -> None:
    """Offer the concept tags to the renderer (wiki.site passes them in SiteSettings.page_tag_hooks)."""
    app.extensions.setdefault(TAG_HOOKS_KEY, {})["timeline"] = timeline_tag
