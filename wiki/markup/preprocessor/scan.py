"""Scan wikitext into preprocessor nodes, as MediaWiki's Preprocessor_Hash does.

A stack of open brackets ({{, {{{, [[, -{ and heading lines) is kept; the rightmost opening
wins, `|` and `=` split parts only inside templates, a bracket that never closes falls back
to literal text. Each step jumps to the next special character with a regular expression,
and failed searches for `>` or for a closing tag are remembered, so the scan stays linear
on hostile input (a megabyte of `{{`, thousands of unclosed tags).
"""

from __future__ import annotations

import gc
import re

from wiki.markup.limits import UNLIMITED, Budget
from wiki.markup.preprocessor.tree import (
    EQUALS,
    Arg,
    Comment,
    ExtTag,
    Heading,
    Ignored,
    Node,
    Part,
    Piece,
    Template,
    add,
)

# opening bracket -> (closing text, node kind per bracket count, min count, max count)
_RULES: dict[str, tuple[str, dict[int, str | None], int, int]] = {
    "{": ("}", {2: "template", 3: "argument"}, 2, 3),
    "[": ("]", {2: None}, 2, 2),
    "-{": ("}-", {2: None}, 2, 2),
}
_ALLOW_MISSING_END = ("includeonly", "noinclude", "onlyinclude")
_SEARCH: dict[tuple[str, bool, bool, bool], re.Pattern[str]] = {}
_CLOSING: dict[str, re.Pattern[str]] = {}
_RUNS: dict[str, re.Pattern[str]] = {}
_ELEMENTS: dict[tuple[bool, frozenset[str]], re.Pattern[str]] = {}
_NO_FLAGS = (False, False, False)


def _search(closing: str, pipe: bool, equals: bool, heading: bool) -> re.Pattern[str]:
    """The next character that can matter. A newline matters only before '=' (a heading)
    or inside a heading, '-' only before '{', '[' only before '['; skipping the others
    gives the same result as MediaWiki's one-character steps, with fewer steps.

    With nothing open (closing == ""), '[[' is not looked for either: a link piece only
    stops '|', '=' and the closing brackets of the pieces below it from counting, and
    with no piece below there are none; what it holds comes out the same either way."""
    key = (closing, pipe, equals, heading)
    pattern = _SEARCH.get(key)
    if pattern is None:
        chars = "{<" + re.escape(closing) + ("|" if pipe else "") + ("=" if equals else "")
        newline = "\n" if heading else "\n(?==)"
        links = "|\\[(?=\\[)" if closing else ""
        pattern = _SEARCH[key] = re.compile(f"[{chars}]|{newline}|-(?={{){links}")
    return pattern


def _closing(name: str) -> re.Pattern[str]:
    pattern = _CLOSING.get(name)
    if pattern is None:
        pattern = _CLOSING[name] = re.compile("</" + re.escape(name) + "[ \t\n\x0b\f\r]*>", re.IGNORECASE)
    return pattern


def _elements(for_inclusion: bool, ext_tags: frozenset[str]) -> re.Pattern[str]:
    key = (for_inclusion, ext_tags)
    pattern = _ELEMENTS.get(key)
    if pattern is None:
        names = set(ext_tags) | {"noinclude" if for_inclusion else "includeonly"}
        names |= _ignored_tags(for_inclusion)
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = _ELEMENTS[key] = re.compile(
            f"({alternatives})(?:[ \t\n\x0b\f\r]|/>|>)|(!--)", re.IGNORECASE
        )
    return pattern


def _ignored_tags(for_inclusion: bool) -> set[str]:
    if for_inclusion:
        return {"includeonly", "/includeonly"}
    return {"noinclude", "/noinclude", "onlyinclude", "/onlyinclude"}


def _spn(text: str, chars: str, start: int, limit: int | None = None) -> int:
    """Length of the run of `chars` at `start` (PHP strspn)."""
    pattern = _RUNS.get(chars)
    if pattern is None:
        pattern = _RUNS[chars] = re.compile("[" + re.escape(chars) + "]*")
    end = len(text) if limit is None else min(len(text), start + limit)
    run = pattern.match(text, start, end)
    assert run is not None  # "[...]*" always matches
    return run.end() - start


def _rspn(text: str, chars: str, end: int) -> int:
    """Length of the run of `chars` just before `end`."""
    i = end
    while i > 0 and text[i - 1] in chars:
        i -= 1
    return end - i


def build(text: str, for_inclusion: bool, ext_tags: frozenset[str], budget: Budget = UNLIMITED) -> list[Node]:
    """Parse `text` into preprocessor nodes; `for_inclusion` when it is transcluded.

    Each line counts as work against `budget` (a render's time limit).
    """
    # The nodes hold no cycles; the cyclic collector would rescan every node again and
    # again while hundreds of thousands of them are created, so it pauses meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Scanner(text, for_inclusion, ext_tags, budget).run()
    finally:
        if enabled:
            gc.enable()


class _Scanner:
    def __init__(self, text: str, for_inclusion: bool, ext_tags: frozenset[str], budget: Budget) -> None:
        self.text = text
        self.tick = budget.tick
        self.n = len(text)
        self.elements = _elements(for_inclusion, ext_tags)
        self.ignored_tags = _ignored_tags(for_inclusion)
        self.ignored_elements = {"noinclude"} if for_inclusion else {"includeonly"}
        self.only_include = for_inclusion and "<onlyinclude>" in text and "</onlyinclude>" in text
        self.stack: list[Piece] = []
        self.root: list[Node] = []
        self.accum = self.root
        self.find_pipe = self.find_equals = self.in_heading = False
        self.no_more_gt = False
        self.no_more_closing: set[str] = set()
        self.heading_index = 1
        self.fake_line_start = True
        self.i = 0
        self.closing = ""
        self.pattern = _search("", False, False, False)

    def _refresh(self) -> None:
        """Take accumulator, flags and search pattern from the piece on top of the stack."""
        stack = self.stack
        if stack:
            top = stack[-1]
            parts = top.parts
            self.accum = parts[-1].out
            opening = top.open
            pipe = opening != "\n" and opening != "["
            key = (
                top.close,
                pipe,
                pipe and len(parts) > 1 and parts[-1].eqpos is None,
                not pipe and opening == "\n",
            )
        else:
            self.accum = self.root
            key = ("", False, False, False)
        self.closing, self.find_pipe, self.find_equals, self.in_heading = key
        pattern = _SEARCH.get(key)
        self.pattern = pattern if pattern is not None else _search(*key)

    def run(self) -> list[Node]:
        text, n = self.text, self.n
        find_only = self.only_include
        while True:
            if find_only:
                start = text.find("<onlyinclude>", self.i)
                if start < 0:
                    self.accum.append(Ignored(text[self.i :]))
                    break
                end = start + len("<onlyinclude>")
                self.accum.append(Ignored(text[self.i : end]))
                self.i = end
                find_only = False
            if self.fake_line_start:
                self._line_start("")
                continue
            i = self.i
            closing = self.closing
            m = self.pattern.search(text, i)
            j = m.start() if m else n
            if j > i:
                self.accum.append(text[i:j])
                self.i = i = j
            if i >= n:
                if closing == "\n":
                    self._line_end()
                    continue
                break
            cur = text[i]
            two = text[i : i + 2]
            if cur == "|":
                part = Part()
                self.stack[-1].parts.append(part)
                self.accum = part.out
                self.find_equals = True
                self.pattern = _search(closing, True, True, self.in_heading)
                self.i += 1
            elif cur == "=":
                self.accum.append(EQUALS)
                self.stack[-1].parts[-1].eqpos = len(self.accum) - 1
                self.find_equals = False
                self.pattern = _search(closing, self.find_pipe, False, self.in_heading)
                self.i += 1
            elif cur == "<":
                if self.only_include and text.startswith("</onlyinclude>", i):
                    find_only = True
                    continue
                self._angle()
            elif cur == "\n":
                if self.in_heading:
                    self._line_end()
                else:
                    self._line_start(cur)
            elif two == closing:
                self._close(two)
            elif cur == closing:
                self._close(cur)
            elif two in _RULES:
                self._open(two)
            elif cur in _RULES:
                self._open(cur)
            else:
                if cur == "-" or cur == "}":
                    add(self.accum, cur)
                self.i += 1
        for piece in self.stack:
            for node in piece.break_syntax():
                add(self.root, node)
        for node in self.root:
            if node.__class__ is Heading:
                node.top = True
        return self.root

    def _angle(self) -> None:
        text, i = self.text, self.i
        m = self.elements.match(text, i + 1)
        if not m:
            add(self.accum, "<")
            self.i += 1
        elif m.group(2):
            self._comment()
        else:
            self._tag(m.group(1))

    def _comment(self) -> None:
        text, i, n = self.text, self.i, self.n
        end = text.find("-->", i + 4)
        if end < 0:
            self.accum.append(Comment(text[i:]))
            self.i = n
            return
        ws_start = i - _rspn(text, " \t", i) if i else 0
        ws_end = end + 2 + _spn(text, " \t", end + 3)
        comments = [(ws_start, ws_end)]
        while text.startswith("<!--", ws_end + 1):
            c = text.find("-->", ws_end + 4)
            if c < 0:
                break
            c = c + 2 + _spn(text, " \t", c + 3)
            comments.append((ws_end + 1, c))
            ws_end = c
        accum = self.accum
        if ws_start > 0 and text[ws_start - 1] == "\n" and text[ws_end + 1 : ws_end + 2] == "\n":
            ws_len = i - ws_start
            if ws_len > 0 and accum and accum[-1].__class__ is str:
                if _rspn(accum[-1], " \t", len(accum[-1])) >= ws_len:
                    accum[-1] = accum[-1][:-ws_len]
            for start, stop in comments[:-1]:
                accum.append(Comment(text[start : stop + 1]))
            start_pos, end_pos = comments[-1][0], comments[-1][1] + 1
            self.fake_line_start = True
        else:
            start_pos, end_pos = i, end + 2
        if self.stack:
            part = self.stack[-1].parts[-1]
            if not (part.comment_end is not None and part.comment_end == ws_start - 1):
                part.visual_end = ws_start
            part.comment_end = end_pos
        self.i = end_pos + 1
        accum.append(Comment(text[start_pos : end_pos + 1]))

    def _tag(self, name: str) -> None:
        text, i = self.text, self.i
        lower = name.lower()
        attr_start = i + len(name) + 1
        tag_end = -1 if self.no_more_gt else text.find(">", attr_start)
        if tag_end < 0:
            self.no_more_gt = True
            add(self.accum, "<")
            self.i += 1
            return
        if lower in self.ignored_tags:
            self.accum.append(Ignored(text[i : tag_end + 1]))
            self.i = tag_end + 1
            return
        inner = close = None
        if text[tag_end - 1] == "/":
            attr_end = tag_end - 1
            self.i = tag_end + 1
        else:
            attr_end = tag_end
            found = None
            if name not in self.no_more_closing:
                found = _closing(name).search(text, tag_end + 1)
            if found:
                inner = text[tag_end + 1 : found.start()]
                close = found.group(0)
                self.i = found.end()
            elif name in _ALLOW_MISSING_END:
                inner = text[tag_end + 1 :]
                self.i = self.n
            else:
                add(self.accum, text[i : tag_end + 1])
                self.i = tag_end + 1
                self.no_more_closing.add(name)
                return
        if lower in self.ignored_elements:
            self.accum.append(Ignored(text[i : self.i]))
            return
        attr = text[attr_start:attr_end] if attr_end > attr_start else ""
        self.accum.append(ExtTag(name, attr, inner, close))

    def _line_start(self, cur: str) -> None:
        self.tick()
        if self.fake_line_start:
            self.fake_line_start = False
        else:
            add(self.accum, cur)
            self.i += 1
        count = _spn(self.text, "=", self.i, 6)
        if count == 1 and self.find_equals:
            return  # looks like a name=value separator; let the equals handler have it
        if count > 0:
            piece = Piece("\n", "\n", count, False, "")
            piece.parts = [Part("=" * count)]
            piece.start = self.i
            self.stack.append(piece)
            self._refresh()
            self.i += count

    def _line_end(self) -> None:
        text, i = self.text, self.i
        piece = self.stack[-1]
        part = piece.parts[-1]
        search_start = i - _rspn(text, " \t", i)
        if part.comment_end is not None and search_start - 1 == part.comment_end:
            search_start = part.visual_end or 0
            search_start -= _rspn(text, " \t", search_start)
        count = piece.count
        eq_len = _rspn(text, "=", search_start)
        element = self.accum
        if eq_len > 0:
            if search_start - eq_len == piece.start:
                count = 0 if eq_len < 3 else min(6, (eq_len - 1) // 2)
            else:
                count = min(eq_len, count)
            if count > 0:
                element = [Heading(count, self.heading_index, self.accum)]
                self.heading_index += 1
        self.stack.pop()
        self._refresh()
        for node in element:
            add(self.accum, node)

    def _open(self, cur: str) -> None:
        text, i = self.text, self.i
        rule = _RULES[cur]
        if len(cur) > 1:
            count = _spn(text, cur[-1], i + 1) + 1
        else:
            count = _spn(text, cur, i)
        prefix = ""
        line_start = i > 0 and text[i - 1] == "\n"
        if cur == "-{" and count > 2:
            prefix, cur, count = "-", "{", count - 1
            rule = _RULES[cur]
            i += 1
        if count >= rule[2]:
            self.stack.append(Piece(cur, rule[0], count, line_start, prefix))
            self._refresh()
        else:
            add(self.accum, prefix + cur * count)
        self.i = i + count

    def _close(self, cur: str) -> None:
        text, i = self.text, self.i
        piece = self.stack[-1]
        max_count = piece.count
        if piece.close == "}-" and cur == "}":
            max_count -= 1
        _end, names, _min, rule_max = _RULES[piece.open]
        # no need to count past rule_max + 1: more braces match rule_max anyway
        count = len(cur) if len(cur) > 1 else _spn(text, cur, i, min(max_count, rule_max + 1))
        matching = rule_max if count > rule_max else count
        while matching > 0 and matching not in names:
            matching -= 1
        if matching <= 0:
            add(self.accum, text[i : i + count])
            self.i = i + count
            return
        kind = names[matching]
        if kind is None:
            element = piece.break_syntax(matching)
            add(element, text[i : i + matching])
        else:
            element = [self._template(kind, piece, max_count == matching)]
        self.i = i + matching
        self.stack.pop()
        self._refresh()
        if matching < piece.count:
            piece.parts = [Part()]
            piece.count -= matching
            if piece.count >= _RULES[piece.open][2]:
                self.stack.append(piece)
                self._refresh()
            elif piece.count == 1 and piece.open == "{" and piece.saved_prefix == "-":
                piece.saved_prefix, piece.open, piece.count, piece.close = "", "-{", 2, "}-"
                self.stack.append(piece)
                self._refresh()
            else:
                head = piece.open[:-1]
                literal = head + piece.open[-1] * (piece.count - len(head))
                add(self.accum, piece.saved_prefix + literal)
        elif piece.saved_prefix:
            add(self.accum, piece.saved_prefix)
        for node in element:
            add(self.accum, node)

    @staticmethod
    def _template(kind: str, piece: Piece, all_used: bool) -> Template:
        args: list[Arg] = []
        index = 1
        for part in piece.parts[1:]:
            out = part.out
            if part.eqpos is not None:
                args.append(Arg(out[: part.eqpos], 0, out[part.eqpos + 1 :]))
            else:
                args.append(Arg(None, index, out))
                index += 1
        line_start = all_used and piece.line_start and not piece.saved_prefix
        return Template(kind, piece.parts[0].out, args, line_start)
