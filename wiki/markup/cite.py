"""Footnotes in the shape of MediaWiki 1.39's Cite extension: <ref> and <references>.

One `Cite` per render. `ref()` and `references()` are the tag hooks; `leftover()` lists what no
<references/> listed (MediaWiki's ParserAfterParse check). A ref's text is kept as written and
parsed with its list, so templates in it expand there. The behaviour follows Cite's own rules:
named reuse (back-links 1.0, 1.1 ...), groups with their own numbering and custom labels
(MediaWiki:Cite_link_label_group-NAME), list-defined refs inside <references>, follow=,
dir=, responsive=, #tag-made refs rolled back and redone inside <references>, and Cite's
error messages where Cite shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from wiki.markup.escape import escape_attr, escape_id, escape_text
from wiki.markup.html.sanitizer import decode_tag_attributes
from wiki.markup.strip import MARKER_PREFIX

DEFAULT_GROUP = ""
TRACKING_KEY = "cite-error"  # ParseState.errors key of the "Pages with reference errors" category
_PHP_WS = " \t\n\r\0\x0b"
_REF_ARGS = ("group", "name", "extends", "follow", "dir")
_REFERENCES_ARGS = ("group", "responsive")

MESSAGES = {
    "cite_error_ref_invalid_dir": 'Invalid <code>dir="$1"</code>, '
    "must be <code>ltr</code> or <code>rtl</code>",
    "cite_error_ref_numeric_key": "Invalid <code>&lt;ref&gt;</code> tag; name cannot be a simple integer. "
    "Use a descriptive title",
    "cite_error_ref_no_key": "The opening <code>&lt;ref&gt;</code> tag is malformed or has a bad name",
    "cite_error_ref_too_many_keys": "Invalid <code>&lt;ref&gt;</code> tag; invalid names, e.g. too many",
    "cite_error_ref_no_input": "Invalid <code>&lt;ref&gt;</code> tag; refs with no name must have content",
    "cite_error_references_duplicate_key": 'Invalid <code>&lt;ref&gt;</code> tag; name "$1" defined multiple '
    "times with different content",
    "cite_error_references_invalid_parameters": "Invalid parameter in <code>&lt;references&gt;</code> tag",
    "cite_error_references_no_backlink_label": "Ran out of custom backlink labels. Define more in the "
    '<a href="#">MediaWiki:Cite references link many format backlink labels</a> message.',
    "cite_error_no_link_label_group": 'Ran out of custom link labels for group "$1". Define more in the '
    "MediaWiki:$2 message.",
    "cite_error_references_no_text": "Invalid <code>&lt;ref&gt;</code> tag; no text was provided for refs "
    "named <code>$1</code>",
    "cite_error_included_ref": "Closing <code>&lt;/ref&gt;</code> missing for <code>&lt;ref&gt;</code> tag",
    "cite_error_included_references": "Closing tag missing for <code>&lt;references&gt;</code>",
    "cite_error_group_refs_without_references": '<code>&lt;ref&gt;</code> tags exist for a group named "$1", '
    'but no corresponding <code>&lt;references group="$1"/&gt;</code> tag was found',
    "cite_error_references_group_mismatch": "<code>&lt;ref&gt;</code> tag in <code>&lt;references&gt;</code> "
    'has conflicting group attribute "$1".',
    "cite_error_references_missing_group": '<code>&lt;ref&gt;</code> tag with name "$2" defined in '
    '<code>&lt;references&gt;</code> has group attribute "$1" which does not appear in prior text.',
    "cite_error_references_missing_key": '<code>&lt;ref&gt;</code> tag with name "$1" defined in '
    "<code>&lt;references&gt;</code> is not used in prior text.",
    "cite_error_references_no_key": "<code>&lt;ref&gt;</code> tag defined in <code>&lt;references&gt;</code> "
    "has no name attribute.",
    "cite_error_empty_references_define": '<code>&lt;ref&gt;</code> tag with name "$1" defined in '
    '<code>&lt;references&gt;</code> group "$2" has no content.',
}
# The wikitext of the list, MediaWiki's defaults (a site may override the many_format ones)
LINK_ONE = '<li id="$1"$4><span class="mw-cite-backlink">[[#$2|↑]]</span> $3</li>'
LINK_MANY = '<li id="$1"$4><span class="mw-cite-backlink">↑ $2</span> $3</li>'
NO_LINK = '<p id="$1">$2</p>'
MANY_FORMAT = "<sup>[[#$1|$2]]</sup>"
BACKLINK_LABELS = " ".join(
    [chr(c) for c in range(97, 123)] + [chr(a) + chr(b) for a in range(97, 123) for b in range(97, 123)]
)
_TAG_PAIR_OR_COMMENT = re.compile(r"<(\w+)[^>]*>|<!--")
_OPEN_REF = re.compile(r"<ref(erences)?\b[^>]*>", re.I)
_PARAM = re.compile(r"\$(\d)")


def _fill(template: str, *params: str) -> str:
    return _PARAM.sub(
        lambda m: params[int(m.group(1)) - 1] if int(m.group(1)) <= len(params) else m.group(0), template
    )


def _ctype_digit(value: str | None) -> bool:
    return value is not None and value.isascii() and value.isdigit()


def _blank(text: str | None) -> bool:
    return text is not None and text.strip(_PHP_WS) == ""


def _has_open_ref(text: str) -> bool:
    """Cite's check for a <ref> left open: a <ref or <references tag outside tag pairs and comments."""
    out: list[str] = []
    pos = 0
    no_close: set[str] = set()
    i = 0
    while True:
        m = _TAG_PAIR_OR_COMMENT.search(text, i)
        if not m:
            break
        if m.group(0) == "<!--":
            end = text.find("-->", m.end())
            if end < 0:
                i = m.start() + 1
                continue
            out.append(text[pos : m.start()])
            pos = i = end + 3
            continue
        name = m.group(1)
        close = (
            None if name in no_close else re.compile(r"</" + re.escape(name) + r"\s*>").search(text, m.end())
        )
        if close is None:
            no_close.add(name)
            i = m.start() + 1
            continue
        out.append(text[pos : m.start()])
        pos = i = close.end()
    out.append(text[pos:])
    return bool(_OPEN_REF.search("".join(out)))


@lru_cache(maxsize=4096)
def _escaped(key: str) -> str:
    return escape_id(key)


def normalize_key(key: str, tail: str = "") -> str:
    """An anchor of a footnote: an id in the legacy fragment mode, runs of "_" made one.

    `tail` is digits, "-" and "_" only (a ref's numbers), which escaping leaves alone."""
    out = _escaped(key) + tail
    return re.sub(r"__+", "_", out) if "__" in out else out


@dataclass
class _Ref:
    key: int
    name: str | None
    text: str | None
    dir: str | None
    count: int
    number: int | None = None
    follow: str | None = None


@dataclass
class Cite:
    """Cite's state for one render (see the module docstring).

    `parse` is recursiveTagParse (wikitext to half-parsed HTML, running tag hooks), `unstrip`
    puts strip markers back, `hide` puts finished HTML behind a marker, `read_message` reads a
    MediaWiki: page (None when missing), `track` records the error tracking category.
    """

    parse: Callable[[str], str]
    unstrip: Callable[[str], str]
    hide: Callable[[str], str]
    read_message: Callable[[str], str | None] = lambda key: None
    track: Callable[[], None] = lambda: None
    responsive_default: bool = True
    refs: dict[str, dict[Any, _Ref]] = field(default_factory=dict)
    group_sequence: dict[str, int] = field(default_factory=dict)
    ref_sequence: int = 0
    anon: int = 0
    call_stack: list[tuple[str, int, str, str | None, str | None, dict[str, str]] | None] = field(
        default_factory=list
    )
    in_ref: bool = False
    in_references: str | None = None
    references_errors: list[str] = field(default_factory=list)
    link_labels: dict[str, list[str]] = field(default_factory=dict)
    backlink_labels: list[str] | None = None
    messages: dict[str, str | None] = field(default_factory=dict)

    # --- messages -----------------------------------------------------------------------
    def message(self, key: str) -> str | None:
        """The wiki's text of MediaWiki:`key` (read once a render), None when it has none."""
        if key not in self.messages:
            self.messages[key] = self.read_message(key)
        return self.messages[key]

    def error(self, key: str, *params: str) -> str:
        """Cite's error box (ErrorReporter); parameters are plain text."""
        self.track()
        text = _fill(MESSAGES[key], *(escape_text(p) for p in params))
        return f'<span class="error mw-ext-cite-error" lang="en" dir="ltr">Cite error: {text}</span>'

    def _plain_error(self, key: str, *params: str) -> str:
        """An error inside a ref's wikitext: hidden so that the list's parse leaves it alone."""
        return self.hide(self.error(key, *params))

    # --- <ref> -------------------------------------------------------------------------
    def ref(self, attrs: str, text: str | None) -> str | None:
        """The <ref> hook: the footnote mark's HTML, an error, "" or None (shown as written)."""
        if self.in_ref:
            return None
        self.in_ref = True
        try:
            return self._guarded_ref(text, decode_tag_attributes(attrs))
        finally:
            self.in_ref = False

    def _validate(
        self,
        text: str | None,
        group: str,
        name: str | None,
        extends: str | None,
        follow: str | None,
        dir_: str | None,
    ) -> tuple[str, ...] | None:
        if _ctype_digit(name) or _ctype_digit(extends) or _ctype_digit(follow):
            return ("cite_error_ref_numeric_key",)
        if extends:  # book referencing ($wgCiteBookReferencing) is off, as by default
            return ("cite_error_ref_too_many_keys",)
        if follow and name:
            return ("cite_error_ref_too_many_keys",)
        if dir_ is not None and dir_.lower() not in ("ltr", "rtl"):
            return ("cite_error_ref_invalid_dir", dir_)
        if self.in_references is None:
            if not name:
                if text is None:
                    return ("cite_error_ref_no_key",)
                if _blank(text):
                    return ("cite_error_ref_no_input",)
            if text is not None and _has_open_ref(text):
                return ("cite_error_included_ref",)
            return None
        if group != self.in_references:
            return ("cite_error_references_group_mismatch", group)
        if not name:
            return ("cite_error_references_no_key",)
        if text is None or _blank(text):
            return ("cite_error_empty_references_define", name, group)
        if not self.refs.get(group):
            return ("cite_error_references_missing_group", group, name)
        if name not in self.refs[group]:
            return ("cite_error_references_missing_key", name)
        return None

    def _guarded_ref(self, text: str | None, argv: dict[str, str]) -> str:
        args = {key: argv.get(key) for key in _REF_ARGS}
        errors: list[tuple[str, ...]] = []
        if len(set(argv) - set(_REF_ARGS)) > 0:
            errors.append(("cite_error_ref_too_many_keys",))
        group = args["group"]
        if group is None:
            group = self.in_references if self.in_references is not None else DEFAULT_GROUP
        name = args["name"]
        invalid = self._validate(text, group, name, args["extends"], args["follow"], args["dir"])
        if invalid:
            errors.append(invalid)
        if errors and self.in_references is not None:
            self.references_errors.extend(self.error(*e) for e in errors)
            return ""
        if _blank(text):
            text = None
        if self.in_references is not None:
            if text is None:
                return ""
            ref = self.refs.get(group, {}).get(name)
            if ref is None or ref.text is None:
                self._append_text(group, name, text)
            elif ref.text != text:
                self._append_text(
                    group, name, " " + self._plain_error("cite_error_references_duplicate_key", name or "")
                )
            return ""
        if errors:
            self.call_stack.append(None)
            return self.error(*errors[0])
        made = self._push(text, argv, group, name, args["follow"], args["dir"])
        return self._mark(group, made) if made is not None else ""

    def _push(
        self,
        text: str | None,
        argv: dict[str, str],
        group: str,
        name: str | None,
        follow: str | None,
        dir_: str | None,
    ) -> _Ref | None:
        refs = self.refs.setdefault(group, {})
        self.group_sequence.setdefault(group, 0)
        self.ref_sequence += 1
        ref = _Ref(key=self.ref_sequence, name=name, text=text, dir=dir_, count=0 if name else -1)
        if follow:
            if follow not in refs:
                ref.follow = follow
                self.anon += 1
                refs[self.anon] = ref
                self.call_stack.append(("new", ref.key, group, name, text, argv))
            elif text is not None:
                self._append_text(group, follow, " " + text)
                self.ref_sequence -= 1
            return None
        if not name:
            self.anon += 1
            refs[self.anon] = ref
            action = "new"
        elif name not in refs:
            refs[name] = ref
            action = "new"
        else:
            ref = refs[name]
            ref.count += 1
            self.ref_sequence -= 1
            if ref.text is None and text is not None:
                ref.text = text
                ref.dir = dir_
                action = "assign"
            else:
                if text is not None and self.unstrip(text) != self.unstrip(ref.text or ""):
                    ref.text = (
                        (ref.text or "")
                        + " "
                        + self._plain_error("cite_error_references_duplicate_key", name)
                    )
                action = "increment"
        if ref.number is None:
            self.group_sequence[group] += 1
            ref.number = self.group_sequence[group]
        self.call_stack.append((action, ref.key, group, name, text, argv))
        return ref

    def _append_text(self, group: str, name: str | None, text: str) -> None:
        refs = self.refs.setdefault(group, {})
        ref = refs.get(name)
        if ref is None:
            # Cite appends to a bare entry here; only reachable with section previews
            ref = refs[name] = _Ref(key=0, name=name, text=None, dir=None, count=-1)
        ref.text = text if ref.text is None else ref.text + text

    def _rollback(self, count: int) -> list[tuple[str | None, dict[str, str]]]:
        redo: list[tuple[str | None, dict[str, str]]] = []
        while count > 0 and self.call_stack:
            count -= 1
            call = self.call_stack.pop()
            if call is None:
                continue
            action, key, group, name, text, argv = call
            refs = self.refs.get(group)
            if not refs:
                continue
            lookup: Any = name or None
            if lookup is None:
                lookup = next((k for k, r in refs.items() if r.key == key), None)
            ref = refs.get(lookup)
            if ref is None or ref.key != key:
                continue
            if action == "new":
                del refs[lookup]
                if not refs:
                    self._pop_group(group)
                elif group in self.group_sequence:
                    self.group_sequence[group] -= 1
            elif action == "assign":
                ref.text = None
                ref.count -= 1
            else:
                ref.count -= 1
            redo.append((text, argv))
        self.call_stack = []
        redo.reverse()
        return redo

    def _pop_group(self, group: str) -> dict[Any, _Ref]:
        self.group_sequence.pop(group, None)
        return self.refs.pop(group, {})

    # --- the footnote mark -------------------------------------------------------------
    def _link_label(self, group: str, number: int) -> str | None:
        if group not in self.link_labels:
            text = self.message(f"cite_link_label_group-{group}")
            self.link_labels[group] = text.split() if text and text.strip() not in ("", "-") else []
        labels = self.link_labels[group]
        if not labels:
            return None
        if number - 1 < len(labels):
            return labels[number - 1]
        return self.error("cite_error_no_link_label_group", group, f"cite_link_label_group-{group}")

    def _mark(self, group: str, ref: _Ref) -> str:
        number = ref.number or 0
        label = self._link_label(group, number)
        if label is None:
            label = str(number) if group == DEFAULT_GROUP else f"{group} {number}"
        if ref.name:
            ref_id = normalize_key(f"cite_ref-{ref.name}", f"_{ref.key}-{ref.count}")
            note_id = normalize_key(f"cite_note-{ref.name}", f"-{ref.key}")
        else:  # as Cite: name="" makes the anchors "cite_ref-" and "cite_note-" (key = name ?? number)
            key = "" if ref.name == "" else str(ref.key)
            ref_id = normalize_key(f"cite_ref-{key}")
            note_id = normalize_key(f"cite_note-{key}")
        return (
            f'<sup id="{escape_attr(ref_id)}" class="reference">'
            f'<a href="#{escape_attr(note_id)}">&#91;{escape_text(label)}&#93;</a></sup>'
        )

    # --- <references> ------------------------------------------------------------------
    def references(self, attrs: str, text: str | None) -> str | None:
        """The <references> hook: the list's HTML, an error, or None (shown as written)."""
        if self.in_ref or self.in_references is not None:
            return None
        try:
            return self._guarded_references(text, decode_tag_attributes(attrs))
        finally:
            self.in_references = None

    def _guarded_references(self, text: str | None, argv: dict[str, str]) -> str:
        bad_params = bool(set(argv) - set(_REFERENCES_ARGS))
        group = argv.get("group")
        self.in_references = group if group is not None else DEFAULT_GROUP
        if text is not None and not _blank(text):
            if MARKER_PREFIX + "references-" in text:
                return self.error("cite_error_included_references")
            for call_text, call_argv in self._rollback(text.count(MARKER_PREFIX + "ref-")):
                self._guarded_ref(call_text, call_argv)
            self.parse(text)
        if bad_params:
            return self.error("cite_error_references_invalid_parameters")
        out = self._format(self.in_references, argv.get("responsive"))
        if self.references_errors:
            out += "\n" + "<br />\n".join(self.references_errors)
            self.references_errors = []
        return out

    def leftover(self) -> str:
        """What the page shows after its end for refs no <references/> listed."""
        out = ""
        for group in [g for g, refs in self.refs.items() if refs]:
            if group == DEFAULT_GROUP:
                out += self._format(group, None)
            else:
                out += "<br />" + self.error("cite_error_group_refs_without_references", group)
        return "\n" + out if out else ""

    def _format(self, group: str, responsive: str | None) -> str:
        refs = self._pop_group(group)
        if not refs:
            return ""
        html = self.parse(self._list_wikitext(refs)).rstrip("\n")
        wrap = responsive != "0" if responsive is not None else self.responsive_default
        if not wrap:
            return html
        cls = "mw-references-wrap" + (" mw-references-columns" if len(refs) > 10 else "")
        return f'<div class="{cls}">{html}</div>'

    def _list_wikitext(self, refs: dict[Any, _Ref]) -> str:
        ordered = sorted(refs.items(), key=lambda item: item[1].number or 0)
        items = "".join(self._list_item(key, ref) + "\n" for key, ref in ordered)
        return f'<ol class="references">\n{items}</ol>'

    def _reference_text(self, key: Any, text: str | None) -> str:
        if text is None:
            return self._plain_error("cite_error_references_no_text", str(key))
        return f'<span class="reference-text">{text.rstrip(chr(10))}</span>\n'

    def _list_item(self, key: Any, ref: _Ref) -> str:
        text = self._reference_text(key, ref.text)
        extra = f' class="mw-cite-dir-{escape_attr(ref.dir.lower())}"' if ref.dir else ""
        if ref.follow is not None:
            return _fill(NO_LINK, normalize_key(f"cite_note-{ref.follow}"), text)
        if ref.count < 1:
            if ref.count < 0:
                note_id, back = normalize_key(f"cite_note-{ref.key}"), normalize_key(f"cite_ref-{ref.key}")
            else:
                note_id = normalize_key(f"cite_note-{key}", f"-{ref.key}")
                back = normalize_key(f"cite_ref-{key}", f"_{ref.key}-{ref.count}")
            one = self.message("cite_references_link_one")
            if one is None:  # the default, with its link made here: one parse of a link less
                link = self.hide(f'<a href="#{escape_attr(back)}">↑</a>')
                return f'<li id="{note_id}"{extra}><span class="mw-cite-backlink">{link}</span> {text}</li>'
            return _fill(one, note_id, back, text, extra)
        fmt = self.message("cite_references_link_many_format")
        width = len(str(ref.count))
        ids = [normalize_key(f"cite_ref-{key}", f"_{ref.key}-{i}") for i in range(ref.count + 1)]
        numbers = [f"{ref.number}.{str(i).zfill(width)}" for i in range(ref.count + 1)]
        if fmt is None:  # the default <sup>[[#$1|$2]]</sup>, made here (a name reused 1000 times)
            pairs = zip(ids, numbers, strict=True)
            backlinks = self.hide(
                " ".join(f'<sup><a href="#{escape_attr(i)}">{n}</a></sup>' for i, n in pairs)
            )
        else:
            pairs = zip(ids, numbers, strict=True)
            backlinks = " ".join(_fill(fmt, i, n, self._backlink_label(o)) for o, (i, n) in enumerate(pairs))
        note_id = normalize_key(f"cite_note-{key}", f"-{ref.key}")
        return _fill(self._msg("cite_references_link_many", LINK_MANY), note_id, backlinks, text, extra)

    def _backlink_label(self, offset: int) -> str:
        if self.backlink_labels is None:
            text = self.message("cite_references_link_many_format_backlink_labels") or BACKLINK_LABELS
            self.backlink_labels = text.split()
        if offset < len(self.backlink_labels):
            return self.backlink_labels[offset]
        return self._plain_error("cite_error_references_no_backlink_label")

    def _msg(self, key: str, default: str) -> str:
        text = self.message(key)
        return text if text is not None and text.strip() else default
