"""Wikitext -> HTML, as MediaWiki's parser does it. Pure: no Flask, no database."""

from wiki.markup.context import Heading, RenderContext, Rendered, SiteSettings, TitleLike
from wiki.markup.render import render

__all__ = ["Heading", "RenderContext", "Rendered", "SiteSettings", "TitleLike", "render"]
