"""Wikitext -> HTML, as MediaWiki's parser does it. Pure: no Flask, no database."""

from .context import Heading, RenderContext, Rendered, SiteSettings, TitleLike
from .render import render

__all__ = ["Heading", "RenderContext", "Rendered", "SiteSettings", "TitleLike", "render"]
