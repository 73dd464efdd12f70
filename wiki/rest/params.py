"""Reading and bounding the REST parameters (MediaWiki's ParamValidator wording)."""

from __future__ import annotations

from flask import request

from wiki import site, titles
from wiki.rest.errors import RestError, bad_param, missing_param

# Longer path segments are refused before parsing: no title is longer than 255 bytes.
MAX_TITLE_CHARS = 512
MAX_QUERY_CHARS = 300  # wiki.search.limits refuses longer queries as well
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_REV_ID = 2**63 - 1


def integer(name: str, raw: str | None) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text or len(text) > 19 or not (text.isdigit() or (text[0] == "-" and text[1:].isdigit())):
        raise bad_param(name, raw, "badinteger", f'Invalid value "{raw}" for integer parameter "{name}".')
    return int(text)


def rev_id(name: str, raw: str) -> int:
    value = integer(name, raw)
    if value is None:
        raise missing_param(name)
    return value


def limit() -> int:
    raw = request.args.get("limit")
    value = integer("limit", raw)
    if value is None:
        return DEFAULT_LIMIT
    if not 1 <= value <= MAX_LIMIT:
        data = {"min": 1, "curmax": MAX_LIMIT, "max": MAX_LIMIT, "highmax": MAX_LIMIT}
        message = f'The value "{raw}" for parameter "limit" must be between 1 and {MAX_LIMIT}.'
        raise bad_param("limit", raw, "outofrange", message, data)
    return value


def query() -> str:
    q = request.args.get("q")
    if q is None or q == "":
        raise missing_param("q")
    return q[:MAX_QUERY_CHARS]


def choice(name: str, allowed: tuple[str, ...]) -> str | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in allowed:
        raise bad_param(name, raw, "badvalue", f'Unrecognized value for parameter "{name}": {raw}.', [])
    return raw


def title(raw: str) -> titles.Title:
    """The page title in the path; a title that cannot exist is a missing page, as in MediaWiki."""
    if raw == "":
        raise missing_param("title")
    shown = raw[:MAX_TITLE_CHARS]
    if len(raw) > MAX_TITLE_CHARS:
        raise RestError(404, f"The specified title ({shown}…) does not exist")
    parsed = titles.try_parse(raw, site.namespaces())
    if parsed is None or parsed.interwiki or parsed.namespace < 0 or not parsed.text:
        raise RestError(404, f"The specified title ({raw}) does not exist")
    return parsed
