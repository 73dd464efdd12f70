"""Result shapes of formatversion=1 and formatversion=2, built from one internal form.

Modules build plain dicts and lists with four markers; `shape()` turns them into what
MediaWiki sends for the requested format version:

- `True` is a flag: "" in version 1, true in version 2 (`False` and `None` are left out);
- `Bool(x)`: the same flag in version 1, but true or false in version 2;
- `Node(key, content, **fields)`: the content is "*" in version 1 and `key` in version 2
  (e.g. {"ns": 0, "*": "Foo"} vs {"ns": 0, "title": "Foo"});
- `Star(text)`: {"*": text} in version 1, the bare text in version 2 (parse's "text");
- `PageMap([...])`: pages keyed by page id (negative for missing ones) in version 1, a list in 2.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask import Response


class Node(dict):
    def __init__(self, key: str, content, /, **fields):
        super().__init__(fields)
        self.content_key = key
        self.content = content


class Star(str):
    pass


class Bool:
    """A boolean formatversion 2 shows even when false (version 1: a flag, left out when false)."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = bool(value)


class PageMap(list):
    pass


def iso(when: datetime | None) -> str:
    """MediaWiki's API timestamp: 2024-01-31T12:00:00Z."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else ""


_PLAIN = (str, int, float)  # exactly these types pass through as they are (not Star, not bool)


def shape(value, version: int):
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Node):
        out = _shape_dict(value, version)
        out["*" if version == 1 else value.content_key] = shape(value.content, version)
        return out
    if isinstance(value, Star):
        return {"*": str(value)} if version == 1 else str(value)
    if isinstance(value, PageMap):
        if version == 1:
            return _page_keys([shape(p, version) for p in value])
        return [shape(p, version) for p in value]
    if isinstance(value, dict):
        return _shape_dict(value, version)
    if isinstance(value, list | tuple):
        return [shape(v, version) for v in value]
    return value


def _shape_dict(value: dict, version: int) -> dict:
    out = {}
    for key, item in value.items():
        if type(item) in _PLAIN:  # most values of a reply: no shape to change
            out[key] = item
            continue
        if isinstance(item, Bool):
            if version == 2:
                out[key] = item.value
            elif item.value:
                out[key] = ""
            continue
        if item is None or item is False:
            continue
        if item is True:
            out[key] = "" if version == 1 else True
        else:
            out[key] = shape(item, version)
    return out


def _page_keys(pages: list[dict]) -> dict:
    out, negative = {}, 0
    for page in pages:
        if page.get("pageid") and "missing" not in page:
            key = str(page["pageid"])
        elif "pageid" in page and "title" not in page:  # a page id that matches no page
            key = str(page["pageid"])
        else:
            negative -= 1
            key = str(negative)
        out[key] = page
    return out


def json_response(
    data: dict | list, *, version: int, ascii_only: bool, pretty: bool = False, error: str = ""
) -> Response:
    body = json.dumps(shape(data, version), ensure_ascii=ascii_only, indent=4 if pretty else None)
    resp = Response(body, mimetype="application/json", content_type="application/json; charset=utf-8")
    if error:
        resp.headers["MediaWiki-API-Error"] = error
    resp.headers["Cache-Control"] = "private, must-revalidate, max-age=0"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
