"""HTML clean-up of the renderer's output, as MediaWiki's Sanitizer and RemexHtml tidying do it.

- `sanitizer`: which HTML tags and attributes a page may hold, escaping the rest, and
  character references normalised;
- `tidy`: the tidy pass (balanced tags, MediaWiki's p-wrapping, empty elements dropped);
- `tidy_tree`: its tree side (open elements, p-wrappers and their splitting);
- `tidy_fast`: its fast path for top-level blocks that tidying cannot change.
"""
