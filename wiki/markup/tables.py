"""Tables: `{|` ... `|}` with `|+` captions, `|-` rows, `|`/`||` cells, `!`/`!!` headers.

Line by line, as MediaWiki's table pass: a stack per open table remembers whether a cell
and a row are open, the last cell tag and the pending row attributes; nested tables push.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wiki.markup.html.sanitizer import fix_tag_attributes

_TABLE_START = re.compile(r"^(:*)\s*\{\|(.*)$", re.S)
_ROW_DASHES = re.compile(r"^\|-+")
_LINK_OR_LC = re.compile(r"\[\[|-\{")
_TAG_OR_BANGS = re.compile(r"<[^>]*>|!!")
_PHP_TRIM = " \t\n\r\0\x0b"


@dataclass
class _Table:
    td_open: bool = False
    last_tag: str = ""
    tr_open: bool = False
    tr_attributes: str = ""
    has_opened_tr: bool = False
    indent: int = 0


def _bangs_to_pipes(line: str) -> str:
    """'!!' separates header cells, except inside tags."""
    return _TAG_OR_BANGS.sub(lambda m: "||" if m.group(0) == "!!" else m.group(0), line)


_CELL_TAGS = {"|": "td", "!": "th", "+": "caption"}


def _cells(first: str, line: str, table: _Table, unstrip: Callable[[str], str]) -> str:
    if first == "!" and "!!" in line:
        line = _bangs_to_pipes(line)
    out: list[str] = []
    tag = _CELL_TAGS[first]
    for cell in line.split("||") if "||" in line else (line,):
        previous = ""
        if first != "+":
            if not table.tr_open:
                previous = f"<tr{table.tr_attributes}>\n"
                table.tr_open = True
                table.tr_attributes = ""
            table.has_opened_tr = True
        if table.td_open:
            previous = f"</{table.last_tag}>\n{previous}"
        table.last_tag = tag
        if "|" not in cell:
            cell = f"{previous}<{tag}>{cell.strip(_PHP_TRIM)}"
        else:
            data = cell.split("|", 1)
            if _LINK_OR_LC.search(data[0]):
                cell = f"{previous}<{tag}>{cell.strip(_PHP_TRIM)}"
            else:
                attrs = fix_tag_attributes(unstrip(data[0]), tag)
                cell = f"{previous}<{tag}{attrs}>{data[1].strip(_PHP_TRIM)}"
        out.append(cell)
        table.td_open = True
    return out[0] if len(out) == 1 else "".join(out)


def do_tables(text: str, unstrip: Callable[[str], str] = str) -> str:
    """Turn table markup into HTML; `unstrip` restores strip markers in attributes."""
    if "{|" not in text:
        return text
    stack: list[_Table] = []
    out: list[str] = []
    lines = text.split("\n")
    n_lines = len(lines)
    idx = 0
    pos = 0  # offset of lines[idx] in text
    while idx < n_lines:
        if not stack:  # copy the lines up to the next one that may open a table
            found = text.find("{|", pos)
            if found < 0:
                out.extend(lines[idx:])
                break
            start = text.rfind("\n", pos, found) + 1 or pos
            skip = text.count("\n", pos, start)
            if skip:
                out.extend(lines[idx : idx + skip])
                idx += skip
                pos = start
        out_line = lines[idx]
        idx += 1
        pos += len(out_line) + 1
        line = out_line.strip(_PHP_TRIM)
        if not line:
            out.append(out_line)
            continue
        first, first_two = line[0], line[:2]
        m = _TABLE_START.match(line) if "{|" in first_two or first == ":" else None
        if m:
            indent = len(m.group(1))
            attrs = fix_tag_attributes(unstrip(m.group(2)), "table")
            out_line = "<dl><dd>" * indent + f"<table{attrs}>"
            stack.append(_Table(indent=indent))
        elif not stack:
            out.append(out_line)
            continue
        elif first_two == "|}":
            table = stack.pop()
            line = "</table>" + line[2:]
            if not table.has_opened_tr:
                line = "<tr><td></td></tr>" + line
            if table.tr_open:
                line = "</tr>" + line
            if table.td_open:
                line = f"</{table.last_tag}>{line}"
            if table.indent > 0:
                out_line = line.rstrip(_PHP_TRIM) + "</dd></dl>" * table.indent
            else:
                out_line = line
        elif first_two == "|-":
            table = stack[-1]
            attrs = fix_tag_attributes(unstrip(_ROW_DASHES.sub("", line)), "tr")
            table.tr_attributes = attrs
            table.has_opened_tr = True
            line = "</tr>" if table.tr_open else ""
            if table.td_open:
                line = f"</{table.last_tag}>{line}"
            out_line = line
            table.tr_open = table.td_open = False
            table.last_tag = ""
        elif first in "|!":
            if first_two == "|+":
                out_line = _cells("+", line[2:], stack[-1], unstrip)
            else:
                out_line = _cells(first, line[1:], stack[-1], unstrip)
        out.append(out_line)
    tail: list[str] = []
    while stack:
        table = stack.pop()
        if table.td_open:
            tail.append(f"</{table.last_tag}>\n")
        if table.tr_open:
            tail.append("</tr>\n")
        if not table.has_opened_tr:
            tail.append("<tr><td></td></tr>\n")
        tail.append("</table>\n")
    # MediaWiki ends every line with a newline and then drops the last one (the tail's own).
    result = "\n".join(out) + ("\n" + "".join(tail)[:-1] if tail else "")
    if result == "<table>\n<tr><td></td></tr>\n</table>":
        return ""
    return result
