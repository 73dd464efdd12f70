"""Wikitext -> HTML, as MediaWiki's parser does it. Pure: no Flask, no database.

`render(text, ctx)` runs the passes of `render` in MediaWiki's order; the context object
(`context`) brings everything else: titles, link existence, template text, the clock, limits.

- `preprocessor/`: templates, arguments, parser functions, magic words (see its package doc);
- `html/`: the sanitizer and tidying (see its package doc);
- the block and inline passes: `blocklevel` (paragraphs, lists, indented pre), `tables`,
  `toc` (headings, anchors, edit links, table of contents), `links` (internal links, red
  links, categories), `extlinks` (external links, magic links), `quotes` (bold, italic),
  `switches` (__NOTOC__ and friends), `cite` (footnotes), `redirect` (#REDIRECT, the one
  parser of it the wiki uses);
- their shared pieces: `strip` (strip markers), `escape`, `state` (one render's state),
  `limits` (every bound on a render's work, with its value).
"""

from wiki.markup.context import Heading, RenderContext, Rendered, SiteSettings, TitleLike
from wiki.markup.render import render

__all__ = ["Heading", "RenderContext", "Rendered", "SiteSettings", "TitleLike", "render"]
