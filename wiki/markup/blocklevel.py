"""The block-level pass: paragraphs, indented <pre>, and lists from line prefixes.

Works on the half-rendered text line by line, the way MediaWiki's BlockLevelPass does: each
line's prefix of `*#:;` is compared with the previous line's; the common part continues,
the rest of the old prefix is closed and the rest of the new one opened. `;term : def`
splits at the first colon outside tags. Lines without a prefix become paragraphs, lines
starting with a space become <pre>, and lines holding block tags suppress both.
"""

from __future__ import annotations

import re

from wiki.markup.limits import UNLIMITED, Budget

_BLOCK_ELEMS = "table|h1|h2|h3|h4|h5|h6|pre|p|ul|ol|dl"
_ANTI_BLOCK = "td|th"
# Matched against the lower-cased line (case-insensitive patterns are slow in `re`).
_OPEN_MATCH = re.compile(rf"<(?:(?:{_BLOCK_ELEMS})|/(?:{_ANTI_BLOCK})|/?(?:tr|caption|dt|dd|li))\b")
_CLOSE_MATCH = re.compile(
    rf"<(?:/(?:{_BLOCK_ELEMS})|(?:{_ANTI_BLOCK})|/?(?:center|blockquote|div|hr|mw:|aside))\b"
)
# A run of whole lines (each ending in a newline) that hold a block tag, without list prefixes,
# <pre> or <blockquote>: the pass outputs them unchanged.
_BLOCK_TAG = f"(?:{_OPEN_MATCH.pattern[1:]}|{_CLOSE_MATCH.pattern[1:]})"
_BLOCK_RUN = re.compile(rf"(?:(?![*#:;])[^<\n]*+(?:<(?!{_BLOCK_TAG})[^<\n]*+)*+<{_BLOCK_TAG}[^\n]*+\n)+")
_RUN_STOP = re.compile(r"<pre|</pre|blockquote")  # such lines go through the line rules
_BLOCKQUOTE = re.compile(r"<(/?)blockquote[\s>]", re.I)
_STYLE_ONLY = re.compile(r"^(?:<style\b[^>]*>.*?</style>\s*|<link\b[^>]*>\s*)+$", re.I)
_COLON_SCAN = re.compile(r":|<|-\{")

_OPEN = {"*": "<ul><li>", "#": "<ol><li>", ":": "<dl><dd>", ";": "<dl><dt>"}
_CLOSE = {"*": "</li></ul>", "#": "</li></ol>"}
_LIST_TAGS = len("<ul><li></li></ul>\n")  # HTML one more level of list nesting makes


def find_colon_no_links(text: str) -> int:
    """Index of the first ':' outside tags and comments, or -1 (for `;term : def`)."""
    m = _COLON_SCAN.search(text)
    if not m:
        return -1
    if m.group(0) == ":":
        return m.start()
    state, lt_level, lc_level = "text", 0, 0
    i, n = m.start(), len(text)
    while i < n:
        c = text[i]
        if state == "text":
            if c == "<":
                state = "tagstart"
            elif c == ":":
                if lt_level == 0:
                    return i
            else:
                m = _COLON_SCAN.search(text, i)
                if not m:
                    return -1
                if m.group(0) == "-{":
                    state = "lc"
                    lc_level += 1
                    i = m.start() + 1
                else:
                    i = m.start() - 1
        elif state == "lc":
            m = re.compile(r"-\{|\}-").search(text, i)
            if not m:
                return -1
            i = m.start() + 1
            if m.group(0) == "-{":
                lc_level += 1
            else:
                lc_level -= 1
                if lc_level == 0:
                    state = "text"
        elif state == "tag":
            if c == ">":
                lt_level += 1
                state = "text"
            elif c == "/":
                state = "tagslash"
        elif state == "tagstart":
            state = {"/": "closetag", "!": "comment", ">": "text"}.get(c, "tag")
        elif state == "closetag":
            if c == ">":
                lt_level = max(0, lt_level - 1)
                state = "text"
        elif state == "tagslash":
            state = "text" if c == ">" else "tag"
        elif state == "comment":
            if c == "-":
                state = "commentdash"
        elif state == "commentdash":
            state = "commentdashdash" if c == "-" else "comment"
        elif state == "commentdashdash":
            state = "text" if c == ">" else "comment"
        i += 1
    return -1


class _BlockPass:
    def __init__(self) -> None:
        self.dt_open = False
        self.in_pre = False
        self.last_paragraph = ""

    def close_paragraph(self, at_end: bool = False) -> str:
        result = ""
        if self.last_paragraph:
            result = f"</{self.last_paragraph}>" + ("" if at_end else "\n")
        self.in_pre = False
        self.last_paragraph = ""
        return result

    def open_list(self, char: str) -> str:
        if char == ";":
            self.dt_open = True
        return self.close_paragraph() + _OPEN[char]

    def next_item(self, char: str) -> str:
        if char in "*#":
            return "</li>\n<li>"
        close = "</dt>\n" if self.dt_open else "</dd>\n"
        self.dt_open = char == ";"
        return close + ("<dt>" if char == ";" else "<dd>")

    def close_list(self, char: str) -> str:
        if char in _CLOSE:
            return _CLOSE[char]
        if self.dt_open:
            self.dt_open = False
            return "</dt></dl>"
        return "</dd></dl>"

    def split_term(self, t: str, out: list[str]) -> str:
        pos = find_colon_no_links(t)
        if pos < 0:
            return t
        out.append(t[:pos].strip(" \t\n\r\0\x0b") + self.next_item(":"))
        return t[pos + 1 :]

    def run(self, text: str, budget: Budget) -> str:  # noqa: C901 - one loop, as in MediaWiki
        out: list[str] = []
        made = len(text)  # HTML made so far, roughly: the text plus the list tags opened
        lines = text.split("\n")
        last_prefix = ""
        prefix = prefix2 = ""
        prefix_len = 0
        pending_p = ""  # the paragraph tags a next line of text opens, if any
        in_block_elem = False
        in_blockquote = False
        n_lines = len(lines)
        lowered = text.lower() if "<" in text else ""
        if len(lowered) != len(text):  # lower-casing changed offsets (rare letters): no runs
            lowered = ""
        pos = 0  # offset of the current line in text
        idx = -1
        while idx < n_lines - 1:
            idx += 1
            budget.tick()
            line = lines[idx]
            start = pos
            pos += len(line) + 1
            if lowered and not last_prefix and not self.in_pre and line[:1] == "<":
                run = _BLOCK_RUN.match(lowered, start)
                end = run.end() if run else 0
                stop = _RUN_STOP.search(lowered, start, end) if run else None
                if stop:  # the run ends before the line with <pre> or <blockquote>
                    end = lowered.rfind("\n", start, stop.start()) + 1
                if end > start:  # lines of block tags only: each comes out as it is
                    if self.last_paragraph:
                        out.append(self.close_paragraph())
                    out.append(text[start:end])
                    pending_p = ""
                    last = max(start, lowered.rfind("\n", start, end - 1) + 1)
                    in_block_elem = not _CLOSE_MATCH.search(lowered, last, end)
                    idx += lowered.count("\n", start, end) - 1
                    pos = end
                    prefix_len = 0
                    prefix = prefix2 = ""
                    while in_block_elem and lowered.startswith("\n", pos):  # blank lines pass
                        out.append("\n")
                        idx += 1
                        pos += 1
                    continue
            not_last = idx < n_lines - 1
            last_len = len(last_prefix)
            lower = line.lower() if "<" in line else ""
            pre_close = "</pre" in lower
            pre_open = "<pre" in lower
            if not self.in_pre:
                if line and line[0] in "*#:;":
                    t = line.lstrip("*#:;")
                    prefix_len = len(line) - len(t)
                    prefix = line[:prefix_len]
                    prefix2 = prefix.replace(";", ":") if ";" in prefix else prefix
                else:
                    prefix_len = 0
                    prefix = prefix2 = ""
                    t = line
                self.in_pre = pre_open
            else:
                prefix_len = 0
                prefix = prefix2 = ""
                t = line
            if prefix_len and last_prefix == prefix2:
                out.append(self.next_item(prefix[-1]))
                pending_p = ""
                if prefix[-1] == ";":
                    t = self.split_term(t, out)
            elif prefix_len or last_len:
                common = 0
                limit = min(prefix_len, last_len)
                while common < limit and prefix[common] == last_prefix[common]:
                    common += 1
                pending_p = ""
                while common < last_len:
                    out.append(self.close_list(last_prefix[last_len - 1]))
                    last_len -= 1
                if prefix_len <= common and common > 0:
                    out.append(self.next_item(prefix[common - 1]))
                if self.dt_open and common > 0 and prefix[common - 1] == ":":
                    out.append(self.next_item(":"))
                if last_prefix and prefix_len > common:
                    out.append("\n")
                made += _LIST_TAGS * (prefix_len - common)
                budget.check_size(made)
                while prefix_len > common:
                    char = prefix[common]
                    out.append(self.open_list(char))
                    if char == ";":
                        t = self.split_term(t, out)
                    common += 1
                if not prefix_len and last_prefix:
                    out.append("\n")
                last_prefix = prefix2
            if prefix_len == 0:
                low = lower[prefix_len:] if lower else ""
                open_m = low and _OPEN_MATCH.search(low)
                close_m = low and _CLOSE_MATCH.search(low)
                if open_m or close_m:
                    pending_p = ""
                    if (not self.in_pre or pre_open) and (self.last_paragraph or self.in_pre):
                        out.append(self.close_paragraph())
                    if pre_open and not pre_close:
                        self.in_pre = True
                    if "blockquote" in low:
                        for bq in _BLOCKQUOTE.finditer(t):
                            in_blockquote = not bq.group(1)
                    in_block_elem = not close_m
                elif not in_block_elem and not self.in_pre:
                    if (
                        t[:1] == " "
                        and (self.last_paragraph == "pre" or t.strip() != "")
                        and not in_blockquote
                    ):
                        if self.last_paragraph != "pre":
                            pending_p = ""
                            out.append(self.close_paragraph() + "<pre>")
                            self.last_paragraph = "pre"
                        t = t[1:]
                    elif _STYLE_ONLY.match(t):
                        if pending_p:
                            out.append(self.close_paragraph())
                            pending_p = ""
                    elif t.strip(" \t\n\r\0\x0b") == "":
                        if pending_p:
                            out.append(f"{pending_p}<br />")
                            pending_p = ""
                            self.last_paragraph = "p"
                        elif self.last_paragraph != "p":
                            out.append(self.close_paragraph())
                            pending_p = "<p>"
                        else:
                            pending_p = "</p><p>"
                    elif pending_p:
                        out.append(pending_p)
                        pending_p = ""
                        self.last_paragraph = "p"
                    elif self.last_paragraph != "p":
                        out.append(self.close_paragraph() + "<p>")
                        self.last_paragraph = "p"
            if pre_close and self.in_pre:
                self.in_pre = False
            if not pending_p:
                if prefix_len == 0:
                    out.append(t)
                    if not_last or self.last_paragraph:
                        out.append("\n")
                else:
                    out.append(t.strip(" \t\n\r\0\x0b"))
        while prefix_len:
            out.append(self.close_list(prefix2[prefix_len - 1]))
            prefix_len -= 1
            if not prefix_len and self.last_paragraph:
                out.append("\n")
        out.append(self.close_paragraph(True))
        return "".join(out)


def do_block_levels(text: str, budget: Budget = UNLIMITED) -> str:
    """Paragraphs, <pre> by leading space, and nested lists from line prefixes."""
    return _BlockPass().run(text, budget)
