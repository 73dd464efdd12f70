"""The pre-save transform: what MediaWiki rewrites in wikitext before storing it.

Done on the wikitext tree (mwparserfromhell), in MediaWiki's order (Parser::preSaveTransform):

1. `{{subst:X}}` and `{{safesubst:X}}` are replaced by their expansion, as MediaWiki's
   preprocessor does in its "wiki" output mode: a template's arguments are put in, `subst:` calls
   inside it are expanded in turn, everything else (other templates, parser functions without
   `subst:`, comments, arguments without a value) is kept as written. A substituted parser
   function or magic word is evaluated by our own preprocessor (wiki.markup.preprocessor), with
   the templates it must not expand hidden behind markers. A missing template stays as written.
2. Signatures: `~~~~~` the date, `~~~~` signature and date, `~~~` the signature.
3. The pipe trick: `[[Foo (bar)|]]` → `[[Foo (bar)|Foo]]`, `[[Help:Foo|]]` → `[[Help:Foo|Foo]]`,
   `[[A, B|]]` → `[[A, B|A]]`, and the reverse one `[[|Foo]]` (context from the page title).
4. Trailing whitespace at the end of the text.

Nothing changes inside comments, <nowiki>, <pre> or the other extension tags (whose content is
not wikitext the preprocessor sees, MediaWiki's strip markers).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import mwparserfromhell
from mwparserfromhell.nodes import Argument, Node, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

from wiki import site, titles
from wiki.markup import limits
from wiki.markup.context import RenderContext
from wiki.markup.preprocessor import magicwords, parserfunctions, preprocess, transclude
from wiki.markup.preprocessor.expander import (
    NO_ARGS,
    NO_TAGS,
    NO_TEMPLATES,
    RECOVER_COMMENTS,
    Expander,
)
from wiki.markup.state import ParseState
from wiki.models import utcnow
from wiki.pages import wikitree
from wiki.pages.revisions import Actor

log = logging.getLogger(__name__)
MONTHS = "January February March April May June July August September October November December".split()
# Tags whose content is not wikitext: hidden from the transform, as MediaWiki's strip markers hide
# them (wikitext tags such as <ref> and <poem> are transformed inside).
PROTECTED_TAGS = frozenset(
    "nowiki pre math chem ce source syntaxhighlight score timeline hiero templatedata templatestyles "
    "graph mapframe maplink".split()
)
MAX_SUBST_DEPTH = limits.MAX_TEMPLATE_DEPTH
# Everything substitution may add to a text (MediaWiki's post-expand include size, 2 MB).
MAX_SUBST_BYTES = limits.MAX_INCLUDE_SIZE
# Title characters (Title::legalChars) and namespace-prefix characters, as the pipe trick reads them.
_TC = r"[ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~+\u0080-\U0010ffff]"
_NC = r"[ _0-9A-Za-z\u0080-\U0010ffff-]"
_PIPE_CONTEXT = re.compile(rf"^(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\))$")
_PIPE_WIDE = re.compile(rf"^(:?{_NC}+:|:|)({_TC}+?)( ?（{_TC}+）)$")
_PIPE_COMMA = re.compile(rf"^(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\)|)((?:, |，|، ){_TC}+|)$")
_REVERSE_PAREN = re.compile(rf"^({_NC}+:|){_TC}+?( \({_TC}+\))$")
_REVERSE_COMMA = re.compile(rf"^({_NC}+:|){_TC}+?(, {_TC}+|)$")
_LEGAL = re.compile(rf"^{_TC}+$")
_PIPE_LINK = re.compile(rf"\[\[({_TC}+?)\|\]\]")
_REVERSE_LINK = re.compile(rf"\[\[\|({_TC}+)\]\]")
_SIGNATURES = re.compile("~~~~~|~~~~|~~~")
_MARKER = re.compile("\x7f(\\d+)\x7f")
_INCLUSION_FLAGS = NO_ARGS | NO_TEMPLATES | RECOVER_COMMENTS | NO_TAGS


@dataclass
class _Run:
    """One transform: the page, the expander the substitutions use, and their budget."""

    ctx: RenderContext
    expander: Expander
    added: int = 0
    masked: list[str] = field(default_factory=list)


def signature(name: str, *, anonymous: bool) -> str:
    """`~~~`: a link to the user page and talk page, or to an address's contributions."""
    if anonymous:
        return f"[[Special:Contributions/{name}|{name}]]"
    spaces = site.namespaces()
    return f"[[{spaces.name(titles.USER)}:{name}|{name}]] ([[{spaces.name(titles.USER_TALK)}:{name}|talk]])"


def signature_date(when: datetime) -> str:
    """`~~~~~`: the time as MediaWiki writes it in signatures (the wiki's time zone is UTC)."""
    return f"{when:%H:%M}, {when.day} {MONTHS[when.month - 1]} {when.year} (UTC)"


def apply(title: titles.Title, text: str, actor: Actor, when: datetime | None = None) -> str:
    """`text` as MediaWiki would store it when `actor` saves it on `title` (now, or `when`)."""
    return transform(title, text, user=actor.name, anonymous=actor.user_id is None, when=when or utcnow())


def transform(title: titles.Title, text: str, *, user: str, anonymous: bool, when: datetime) -> str:
    """`text` as MediaWiki would store it when `user` saves it on `title` at `when`."""
    # \x7f is no text character (nor a title one): the transform's markers use it
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x7f", "")
    if "{{" in text and "subst:" in text.lower():
        text = substitute(title, text)
    signs = "~~~" in text
    pipes = "|]]" in text or "[[|" in text
    if not signs and not pipes:
        return text.rstrip()
    hidden: list[str] = []
    text = _hide_protected(text, hidden)
    if signs:
        text = _signatures(text, signature(user, anonymous=anonymous), signature_date(when))
    if pipes:
        text = _pipe_tricks(text, title)
    return _MARKER.sub(lambda m: hidden[int(m.group(1))], text).rstrip()


def substitute(title: titles.Title, text: str) -> str:
    """Expand every `{{subst:...}}` and `{{safesubst:...}}` of `text` (step 1 of the transform)."""
    ctx = site.context(title)
    run = _Run(ctx, Expander(ctx, ParseState(budget=limits.Budget(ctx.timer, ctx.time_limit))))
    code = mwparserfromhell.parse(text)
    try:
        _expand(run, code, None, 0)
    except (limits.RenderLimitExceeded, RecursionError):
        return text  # over the render's time budget: nothing is substituted
    except Exception:  # noqa: BLE001 - a save must never fail on a substitution: keep the text as written
        log.exception("subst: failed on %s", title)
        return text
    return str(code)


# --- substitution ---------------------------------------------------------------------------


def _protected(node: object) -> bool:
    return wikitree.protected(node, PROTECTED_TAGS)


def _children(node: object) -> Iterator[Wikicode]:
    """The wikicode inside a node, but inside comments and raw-content tags (left alone)."""
    if _protected(node):
        return
    children = getattr(node, "__children__", None)
    if children is not None:
        yield from children()


def _expand(run: _Run, code: Wikicode, frame: dict[str, str] | None, depth: int) -> None:
    """Substitute in `code`, in place; `frame`: the arguments of the template being substituted."""
    out: list[Node] = []
    for node in code.nodes:
        if frame is None and isinstance(node, Tag) and str(node.tag).strip().lower() == "includeonly":
            out.append(node)  # the page's own <includeonly> text is for its transclusions only
            continue
        for child in _children(node):
            _expand(run, child, frame, depth)
        replacement: str | None = None
        if isinstance(node, Argument) and frame is not None:
            name = str(node.name).strip()
            if name in frame:
                replacement = frame[name]
            elif node.default is not None:
                replacement = str(node.default)
        elif isinstance(node, Template):
            replacement = _subst(run, node, depth)
        out.append(Text(replacement) if replacement is not None else node)
    code.nodes = out


def _subst(run: _Run, node: Template, depth: int) -> str | None:
    """The expansion of one `{{subst:...}}`, or None to keep the call as written."""
    name = str(node.name).strip()
    lower = name.lower()
    if lower.startswith("subst:"):
        target = name[6:].strip()
    elif lower.startswith("safesubst:"):
        target = name[10:].strip()
    else:
        return None
    if depth >= MAX_SUBST_DEPTH or run.added > MAX_SUBST_BYTES or not target:
        return None
    result: str | None
    if _is_function(run, target, bool(node.params)):
        result = _evaluate(run, node, target)
    else:
        result = _template(run, node, target, depth)
    if result is not None:
        run.added += len(result.encode("utf-8"))
        if run.added > MAX_SUBST_BYTES:
            return None
    return result


def _is_function(run: _Run, target: str, has_args: bool) -> bool:
    """A parser function (`#if:`, `lc:`) or a magic word (`PAGENAME`) rather than a template."""
    colon = target.find(":")
    if colon > 0:
        fn = target[:colon]
        if fn in parserfunctions.SENSITIVE or fn.lower() in parserfunctions.INSENSITIVE:
            return True
    return not has_args and magicwords.variable(run.expander, target) is not None


def _template(run: _Run, node: Template, target: str, depth: int) -> str | None:
    ex = run.expander
    title = ex.title(target, titles.TEMPLATE)
    if title is None or title.interwiki or title.namespace < 0:
        return None
    source, _final = transclude.fetch(ex, title.prefixed_text)
    if source is None:
        return None  # MediaWiki keeps {{subst:Missing}} as written
    included = ex.expand(ex.tree(source, True), ex.root_frame(), _INCLUSION_FLAGS)
    args: dict[str, str] = {}
    position = 0
    for param in node.params:
        if param.showkey:
            args[str(param.name).strip()] = str(param.value).strip()
        else:
            position += 1
            args[str(position)] = str(param.value)
    code = mwparserfromhell.parse(included)
    _expand(run, code, args, depth + 1)
    return str(code)


def _evaluate(run: _Run, node: Template, target: str) -> str:
    """A substituted parser function or magic word, by our preprocessor; what it must keep as
    written (templates, arguments, comments, extension tags) is hidden behind markers."""
    call = mwparserfromhell.parse("{{" + target + "".join("|" + str(p) for p in node.params) + "}}")
    for child in call.nodes[0].__children__():
        _mask(run, child)
    ctx = run.ctx
    expanded = preprocess.expand(str(call), ctx, ParseState(budget=run.expander.budget))
    return _MARKER.sub(lambda m: _unmask(run, m), expanded)


def _mask(run: _Run, code: Wikicode) -> None:
    out: list[Node] = []
    for node in code.nodes:
        if isinstance(node, (Template, Argument)) or _protected(node):
            run.masked.append(str(node))
            out.append(Text(f"\x7f{len(run.masked) - 1}\x7f"))
            continue
        for child in _children(node):
            _mask(run, child)
        out.append(node)
    code.nodes = out


def _unmask(run: _Run, match: re.Match[str]) -> str:
    index = int(match.group(1))
    return run.masked[index] if index < len(run.masked) else match.group(0)


# --- signatures and the pipe trick ----------------------------------------------------------


def _hide_protected(text: str, hidden: list[str]) -> str:
    """`text` with comments and raw-content tags replaced by markers (kept in `hidden`)."""
    out, pos = [], 0
    for start, end in wikitree.spans(text, PROTECTED_TAGS):
        out.append(text[pos:start])
        hidden.append(text[start:end])
        out.append(f"\x7f{len(hidden) - 1}\x7f")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _signatures(text: str, sig: str, date: str) -> str:
    forms = {"~~~~~": date, "~~~~": f"{sig} {date}", "~~~": sig}
    return _SIGNATURES.sub(lambda m: forms[m.group(0)], text)


def _pipe_tricks(text: str, title: titles.Title) -> str:
    """MediaWiki's pipe-trick substitutions, on the text (links may nest in odd ways)."""
    text = _PIPE_LINK.sub(lambda m: _piped(m.group(1)), text)
    return _REVERSE_LINK.sub(lambda m: _reversed(m.group(1), title), text)


def _piped(target: str) -> str:
    label = pipe_trick(target)
    return f"[[{target}|{label}]]" if label is not None else f"[[{target}|]]"


def _reversed(label: str, title: titles.Title) -> str:
    target = reverse_pipe_trick(label, title)
    return f"[[{target}|{label}]]" if target is not None else f"[[|{label}]]"


def pipe_trick(target: str) -> str | None:
    """The label `[[target|]]` gets: no namespace or interwiki prefix, no (context) or , context."""
    for pattern in (_PIPE_CONTEXT, _PIPE_WIDE, _PIPE_COMMA):
        match = pattern.match(target)
        if match:
            return match.group(2)
    return None


def reverse_pipe_trick(label: str, page: titles.Title) -> str | None:
    """The target `[[|label]]` gets on `page`: the label with the page's namespace and context."""
    if not _LEGAL.match(label):
        return None
    text = page.text
    match = _REVERSE_PAREN.match(text)
    if match is None:
        match = _REVERSE_COMMA.match(text)
        if match is None or not (match.group(1) + match.group(2)):
            return None
    return f"{match.group(1)}{label}{match.group(2)}"
