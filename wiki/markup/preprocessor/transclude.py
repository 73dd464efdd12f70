"""{{...}}: subst:, magic variables, msgnw:/raw:, parser functions, then transclusion.

Follows MediaWiki's Parser::braceSubstitution: a template is looked up in the Template
namespace (the main namespace with a leading colon), redirects are followed twice, a
missing page becomes a link `[[:Template:X]]`, a title that is not valid leaves the call as
written, and the loop, depth and size limits show MediaWiki's error messages.
"""

from __future__ import annotations

from wiki.markup import redirect
from wiki.markup.context import TitleLike
from wiki.markup.preprocessor import magicwords, messages, parserfunctions
from wiki.markup.preprocessor.expander import MARKER_PREFIX, RECOVER_ORIG, Expander, Frame
from wiki.markup.preprocessor.names import PHP_WS, has_subpages
from wiki.markup.preprocessor.tree import Node, Template

_BLOCK_START = ("{|", ":", ";", "#", "*")
_MAX_REDIRECTS = 2


class Found:
    """A result of substitution: text, or a tree to expand in a child frame."""

    __slots__ = ("text", "tree", "title", "nowiki")

    def __init__(
        self,
        text: str = "",
        tree: list[Node] | None = None,
        title: str | None = None,
        nowiki: bool = False,
    ) -> None:
        self.text = text
        self.tree = tree
        self.title = title
        self.nowiki = nowiki


def substitute_template(ex: Expander, node: Template, frame: Frame) -> str:
    """The expansion of one {{...}} in `frame`, in MediaWiki's order of interpretations."""
    title_ws = ex.expand(node.title, frame)
    part1 = title_ws.strip(PHP_WS)
    args = node.args
    lower = part1[:10].lower()
    if lower.startswith("subst:"):
        return ex.expand(ex.bracketed("{{", [title_ws], args, "}}"), frame)
    if lower.startswith("safesubst:"):
        part1 = part1[10:]
    if not args:
        value = magicwords.variable(ex, part1)
        if value is not None:
            return _finish(ex, node, Found(value), None)
    nowiki = False
    lower = part1[:6].lower()
    if lower.startswith("msgnw:"):
        nowiki, part1 = True, part1[6:]
    elif lower.startswith("msg:"):
        part1 = part1[4:]
    if part1[:4].lower() == "raw:":
        part1 = part1[4:]
    found: Found | None = None
    colon = part1.find(":")
    if colon >= 0:
        result = parserfunctions.call(ex, frame, part1[:colon], part1[colon + 1 :], args)
        if result is not None:
            found = result if isinstance(result, Found) else Found(result)
    title_text = None
    if found is None:
        relative = _relative_subpage(ex, part1)
        title = ex.title(relative, ex.ctx.title.namespace) if relative else ex.title(part1, 10)
        if title is None or title.interwiki:
            return ex.expand(ex.bracketed("{{", [title_ws], args, "}}"), frame)
        title_text = title.prefixed_text
        found = _transclude(ex, title, title_text, frame)
    found.nowiki = found.nowiki or nowiki
    if found.tree is not None and ex.over_include_limit():
        # MediaWiki would expand and then drop the text; skipping keeps fan-outs cheap
        return _oversize(ex, title_text or part1)
    if found.tree is not None:
        child = ex.child_frame(frame, args, found.title)
        if found.nowiki:
            found.text = ex.expand(found.tree, child, RECOVER_ORIG)
        elif title_text is not None and not args:
            found.text = _cached_expand(ex, title_text, found.tree, child)
        else:
            found.text = ex.expand(found.tree, child)
    return _finish(ex, node, found, title_text or part1.lstrip(":"))


def _relative_subpage(ex: Expander, target: str) -> str | None:
    """`/Sub` and `../Sibling` relative to the page, where its namespace has subpages."""
    if not target.startswith(("/", "../")) or not has_subpages(ex.ctx, ex.ctx.title.namespace):
        return None
    page = ex.ctx.title.prefixed_text
    if target.startswith("/"):
        return page + "/" + target[1:].rstrip("/").strip()
    depth = 0
    while target.startswith("../"):
        depth, target = depth + 1, target[3:]
    parts = page.split("/")
    if len(parts) <= depth:
        return None
    base = "/".join(parts[:-depth])
    target = target.rstrip("/").strip()
    return f"{base}/{target}" if target else base


def _cached_expand(ex: Expander, key: str, tree: list[Node], frame: Frame) -> str:
    cache = ex.state.template_expansions
    text = cache.get(key)
    if text is None:
        text = cache[key] = ex.expand(tree, frame)
    return text


def _finish(ex: Expander, node: Template, found: Found, title_text: str | None) -> str:
    text = found.text
    if found.nowiki:
        text = ex.escape(text)
    elif not node.line_start and text.startswith(_BLOCK_START):
        text = "\n" + text
    if not ex.count_include(len(text)):
        return _oversize(ex, title_text)
    return text


def _oversize(ex: Expander, title_text: str | None) -> str:
    warning = "<!-- WARNING: template omitted, post-expand include size too large -->"
    return f"[[:{title_text or ''}]]" + ex.strip_marker("comment", warning)


def _transclude(ex: Expander, title: TitleLike, title_text: str, frame: Frame) -> Found:
    if frame.depth >= ex.max_template_depth:
        message = f"Template recursion depth limit exceeded ({ex.max_template_depth})"
        return Found(ex.error(message, "template-depth"))
    if title.namespace < 0:
        return Found(f"[[:{title_text}]]")
    _record(ex, title_text)
    source = fetch(ex, title_text)
    final = source[1]
    if final != title_text:
        _record(ex, final)
    if final in frame.loop:
        return Found(ex.error(f"Template loop detected: [[{final}]]", "template-loop"))
    if source[0] is None:
        return Found(f"[[:{title_text}]]")
    return Found(tree=ex.tree(source[0], True, final), title=final)


def _record(ex: Expander, title_text: str) -> None:
    state = ex.state
    if title_text not in state.templates_seen:
        state.templates_seen.add(title_text)
        state.templates.append(title_text)


def fetch(ex: Expander, title_text: str) -> tuple[str | None, str]:
    """(wikitext or None, final title) of a page to transclude, following redirects."""
    cache = ex.state.template_sources
    hit = cache.get(title_text)
    if hit is not None:
        return hit
    text, final = _page_text(ex, title_text), title_text

    def parse(target: str, default_namespace: int = 0) -> TitleLike | None:
        return ex.title(target, default_namespace)

    for _ in range(_MAX_REDIRECTS):
        target = redirect.target(text, parse) if text else None
        if target is None or target.interwiki or target.namespace < 0:
            break
        target_text = _page_text(ex, target.prefixed_text)
        if target_text is None:
            break
        text, final = target_text, target.prefixed_text
    if text is not None and MARKER_PREFIX[0] in text:
        text = text.replace("\x7f", "?")
    cache[title_text] = (text, final)
    return text, final


def _page_text(ex: Expander, title_text: str) -> str | None:
    try:
        text = ex.ctx.template_text(title_text)
    except Exception:  # noqa: BLE001 - a broken callback is a missing page
        text = None
    if text is None and title_text.startswith(ex.ctx.site.namespace_names.get(8, "MediaWiki") + ":"):
        text = messages.lookup(title_text.split(":", 1)[1])
    return text
