"""Query parameters of special pages, checked (a value out of range is a 400 naming the limits),
and their responses, which shared caches must not keep."""

from __future__ import annotations

from flask import Response, abort, make_response, request

from wiki import site, titles
from wiki.web import common

MAX_TEXT = 255
PRIVATE = "private, must-revalidate, max-age=0"


def private(body: str, status: int = 200) -> Response:
    """A response shared caches must not keep: lists that change with other pages' edits."""
    resp = make_response(body, status)
    resp.headers["Cache-Control"] = PRIVATE
    return resp


def _bad(message: str):
    abort(common.error_page(400, "Bad parameter", message))


def int_arg(name: str, default: int, lo: int, hi: int) -> int:
    """A whole number between lo and hi, or the default when absent."""
    raw = request.args.get(name, "").strip()
    if raw == "":
        return default
    if not raw.lstrip("-").isdigit():
        _bad(f'The parameter "{name}" must be a whole number (got "{raw[:40]}").')
    value = int(raw)
    if not lo <= value <= hi:
        _bad(f'The parameter "{name}" must be between {lo} and {hi} (got {value}).')
    return value


def text_arg(name: str) -> str:
    raw = request.args.get(name, "")
    if len(raw.encode("utf-8")) > MAX_TEXT:
        _bad(f'The parameter "{name}" is longer than {MAX_TEXT} bytes.')
    return raw


def bool_arg(name: str) -> bool:
    return request.args.get(name, "") not in ("", "0", "false")


def namespace_arg(name: str = "namespace", default: int | None = None) -> int | None:
    """A namespace number this wiki has (the empty value means "all" where allowed)."""
    raw = request.args.get(name, "").strip()
    if raw in ("", "all"):
        return default
    known = site.namespaces().names
    if not raw.lstrip("-").isdigit() or int(raw) not in known or int(raw) < 0:
        valid = ", ".join(str(n) for n in sorted(known) if n >= 0)
        _bad(f'The parameter "{name}" must be a namespace number ({valid}); got "{raw[:40]}".')
    return int(raw)


def title_arg(text: str, name: str, default_namespace: int = titles.MAIN) -> titles.Title:
    """A title given in a parameter, or a 400 saying what is wrong with it."""
    try:
        return site.parse_title(text, default_namespace=default_namespace)
    except titles.InvalidTitle as exc:
        _bad(f'The parameter "{name}" is not a valid title: {exc}')
