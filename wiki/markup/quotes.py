"""Bold and italic from runs of apostrophes, balanced per line as MediaWiki's doQuotes does."""

from __future__ import annotations

import re

_RUNS = re.compile(r"('{2,})")


def do_all_quotes(text: str) -> str:
    """Quotes line by line; only the lines holding "''" are looked at."""
    i = text.find("''")
    if i < 0:
        return text
    out: list[str] = []
    pos = 0
    while i >= 0:
        start = text.rfind("\n", pos, i) + 1 or pos
        end = text.find("\n", i)
        if end < 0:
            end = len(text)
        out.append(text[pos:start])
        out.append(do_quotes(text[start:end]))
        pos = end
        i = text.find("''", end)
    out.append(text[pos:])
    return "".join(out)


def _normalise_runs(arr: list[str]) -> tuple[int, int]:
    """Turn runs of 4 and 6+ apostrophes into 3 / 5 plus literal text; count bold/italic."""
    italics = bold = 0
    for i in range(1, len(arr), 2):
        run = len(arr[i])
        if run == 4:
            arr[i - 1] += "'"
            arr[i] = "'''"
        elif run > 5:
            arr[i - 1] += "'" * (run - 5)
            arr[i] = "'''''"
        run = len(arr[i])
        if run == 2:
            italics += 1
        elif run == 3:
            bold += 1
        elif run == 5:
            italics += 1
            bold += 1
    return italics, bold


def _fix_odd_bold(arr: list[str]) -> None:
    """Both counts odd: one bold run is really an apostrophe plus italics."""
    first_single = first_multi = first_space = -1
    for i in range(1, len(arr), 2):
        if len(arr[i]) != 3:
            continue
        before = arr[i - 1]
        x1 = before[-1:]
        x2 = before[-2:-1] if len(before) > 1 else before[:1]
        if x1 == " ":
            if first_space == -1:
                first_space = i
        elif x2 == " ":
            first_single = i
            break
        elif first_multi == -1:
            first_multi = i
    for choice in (first_single, first_multi, first_space):
        if choice > -1:
            arr[choice - 1] += "'"
            arr[choice] = "''"
            return


def do_quotes(text: str) -> str:
    arr = _RUNS.split(text)
    if len(arr) == 1:
        return text
    italics, bold = _normalise_runs(arr)
    if italics % 2 == 1 and bold % 2 == 1:
        _fix_odd_bold(arr)
    out: list[str] = []
    buffer = ""
    state = ""
    for i, r in enumerate(arr):
        if i % 2 == 0:
            if state == "both":
                buffer += r
            else:
                out.append(r)
            continue
        n = len(r)
        if n == 2:
            if state == "i":
                out.append("</i>")
                state = ""
            elif state == "bi":
                out.append("</i>")
                state = "b"
            elif state == "ib":
                out.append("</b></i><b>")
                state = "b"
            elif state == "both":
                out.append(f"<b><i>{buffer}</i>")
                state = "b"
            else:
                out.append("<i>")
                state += "i"
        elif n == 3:
            if state == "b":
                out.append("</b>")
                state = ""
            elif state == "bi":
                out.append("</i></b><i>")
                state = "i"
            elif state == "ib":
                out.append("</b>")
                state = "i"
            elif state == "both":
                out.append(f"<i><b>{buffer}</b>")
                state = "i"
            else:
                out.append("<b>")
                state += "b"
        elif n == 5:
            if state == "b":
                out.append("</b><i>")
                state = "i"
            elif state == "i":
                out.append("</i><b>")
                state = "b"
            elif state == "bi":
                out.append("</i></b>")
                state = ""
            elif state == "ib":
                out.append("</b></i>")
                state = ""
            elif state == "both":
                out.append(f"<i><b>{buffer}</b></i>")
                state = ""
            else:
                buffer = ""
                state = "both"
    if state in ("b", "ib"):
        out.append("</b>")
    if state in ("i", "bi", "ib"):
        out.append("</i>")
    if state == "bi":
        out.append("</b>")
    if state == "both" and buffer:
        out.append(f"<b><i>{buffer}</i></b>")
    return "".join(out)
