"""API parameters declared once per module, as MediaWiki's getAllowedParams: one table drives
parsing, validation, action=paraminfo and the help page.

A module's table is a list of `Param`s. Before a module runs, the dispatcher (or action=query, for
its submodules and their prefixes) hands the table to `Params.declare`, which validates every
declared parameter the request carries (a bad integer, enum value or timestamp stops the request
with MediaWiki's error code) and marks it known. Handlers then read typed values with the getters,
which take defaults, ranges and allowed values from the table; reading a parameter no table
declares is a programming error. Parameters nobody declared are "Unrecognized parameter" warnings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from wiki.api.errors import ApiError, bad_integer, bad_value, missing_param

# The database stores integers (ids, namespaces, sizes) in 32 bits (PostgreSQL's integer): a value
# outside this range can name nothing, and would make the query itself fail.
DB_MIN, DB_MAX = -(2**31), 2**31 - 1
MAX_MULTI = 50  # values of a multi-value parameter (MediaWiki's ISMULTI_LIMIT1)
_INTEGER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class Param:
    """One declared parameter (without its module's prefix)."""

    name: str
    # string, integer, boolean, limit, namespace, title, timestamp, user, text, password; or the
    # allowed values of an enum
    type: str | tuple[str, ...] = "string"
    default: Any = None
    min: int | None = None
    max: int | None = None
    highmax: int | None = None  # a limit's maximum for callers with apihighlimits
    multi: bool = False
    required: bool = False
    help: str = ""
    all: bool = False  # a multi-value namespace parameter accepts "*" (every namespace)
    extra: dict = field(default_factory=dict)  # paraminfo-only fields (tokentype, sensitive, ...)
    clamp: bool = False  # an integer out of min..max is brought into it with a warning (MediaWiki's default)

    @property
    def enum(self) -> bool:
        return isinstance(self.type, tuple)

    @property
    def bounds(self) -> tuple[int, int]:
        return (DB_MIN if self.min is None else self.min, DB_MAX if self.max is None else self.max)

    def describe(self, namespaces: list[int] | None = None) -> dict:
        """This parameter as action=paraminfo lists it."""
        kind: str | list = list(self.type) if self.enum else self.type
        if self.type == "namespace" and namespaces is not None:
            kind = [str(n) for n in namespaces]
        out: dict = {"name": self.name, "type": kind}
        if self.default is not None:
            out["default"] = self.default
        if self.help:
            out["description"] = self.help
        if self.multi:
            out.update(multi=True, limit=MAX_MULTI, lowlimit=MAX_MULTI, highlimit=500)
            if self.all:
                out["allspecifier"] = "*"
        if self.required:
            out["required"] = True
        if self.type == "limit":
            out.update(min=self.min or 1, max=self.max or 500, highmax=self.highmax or 5000)
        elif self.type == "integer" and (self.min is not None or self.max is not None):
            out.update({k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None})
        return {**out, **self.extra}


def param(name: str, kind: str | tuple[str, ...] = "string", **options) -> Param:
    return Param(name, kind, **options)


def limit(name: str = "limit", default: int = 10, maximum: int = 500, **options) -> Param:
    return Param(name, "limit", default=default, min=1, max=maximum, highmax=maximum * 10, **options)


def multi(name: str, kind: str | tuple[str, ...] = "string", **options) -> Param:
    return Param(name, kind, multi=True, **options)


def namespaces(name: str = "namespace", **options) -> Param:
    return Param(name, "namespace", multi=True, all=True, **options)


@dataclass
class _Declared:
    param: Param
    module: str
    value: Any = None  # the validated value (or the default)


class Params:
    """The request's parameters, read through the tables of the modules that run."""

    def __init__(self, values: MultiDict, known_namespaces: Callable[[], set[int]]):
        self.values = values
        self.used: set[str] = set()
        self.declared: dict[str, _Declared] = {}
        self.high_limits = False  # the caller has "apihighlimits": limits are ten times higher
        self.warn: Callable[[str, str], None] = lambda module, text: None
        self._namespaces = known_namespaces

    def declare(self, table: list[Param], prefix: str = "", module: str = "main") -> None:
        """Validate the request's values of `table` (prefixed) and make them readable."""
        for item in table:
            name = prefix + item.name
            self.used.add(name)
            self.declared[name] = _Declared(item, module, self._parse(name, item, module))

    def _parse(self, name: str, item: Param, module: str) -> Any:
        raw = self.values.get(name)
        if item.type == "boolean":
            return name in self.values
        if raw is None:
            if item.required:
                raise missing_param(name)
            return self._default(name, item, module)
        if item.multi:
            values = split(raw)
            most = MAX_MULTI * (10 if self.high_limits else 1)
            if len(values) > most:
                raise ApiError(
                    "toomanyvalues", f'Too many values supplied for parameter "{name}". The limit is {most}.'
                )
            out: list = []
            distinct = item.enum or item.type == "namespace"  # a set of choices; other lists keep order
            for value in values:
                parsed = self._one(name, item, value, module, many=True)
                if parsed is not None and not (distinct and parsed in out):
                    out.append(parsed)
            return out
        if raw == "" and item.type not in ("string", "text", "title", "user", "password"):
            return self._default(name, item, module)
        return self._one(name, item, raw, module, many=False)

    def _default(self, name: str, item: Param, module: str) -> Any:
        if item.default is None:
            return [] if item.multi else None
        if item.multi:
            return [self._one(name, item, v, module, many=True) for v in split(str(item.default))]
        return self._one(name, item, str(item.default), module, many=False)

    def _one(self, name: str, item: Param, raw: str, module: str, *, many: bool) -> Any:
        """One value of `item`; for a multi-value parameter a bad enum value is warned and dropped."""
        kind = item.type
        if item.enum:
            if raw in kind:
                return raw
            if many:
                self.warn(module, f'Unrecognized value for parameter "{name}": {raw}')
                return None
            raise bad_value(name, raw)
        if kind == "integer" and item.clamp:
            return self._clamped(name, item, raw, module)
        if kind == "integer":
            return integer(name, raw, *item.bounds)
        if kind == "limit":
            return self._limit(name, item, raw, module)
        if kind == "namespace":
            return self._namespace(name, item, raw, module, many)
        if kind == "timestamp":
            from wiki.api.timestamps import parse

            return parse(raw, name)
        return raw

    def _clamped(self, name: str, item: Param, raw: str, module: str) -> int:
        number = integer(name, raw)
        lo, hi = item.bounds
        if lo <= number <= hi:
            return number
        self.warn(
            module,
            f'Invalid value "{raw[:40]}" for integer parameter "{name}": must be between {lo} and {hi}.',
        )
        return min(max(number, lo), hi)

    def _limit(self, name: str, item: Param, raw: str, module: str) -> int:
        maximum, who = item.max or 500, "users"
        if self.high_limits:
            maximum, who = item.highmax or maximum * 10, "bots or sysops"
        if raw.strip() == "max":
            return maximum
        if not _INTEGER.match(raw.strip()):
            raise bad_integer(name, raw)
        number = int(raw)
        if number > maximum:
            self.warn(module, f'"{name}" may not be over {maximum} (set to {maximum}) for {who}.')
            return maximum
        low = item.min or 1
        if number < low:
            self.warn(module, f'"{name}" may not be less than {low} (set to {low}).')
            return low
        return number

    def _namespace(self, name: str, item: Param, raw: str, module: str, many: bool) -> int | str | None:
        value = raw.strip()
        if many and item.all and value == "*":
            return "*"
        if _INTEGER.match(value) and DB_MIN <= int(value) <= DB_MAX and int(value) in self._namespaces():
            return int(value)
        if many:
            self.warn(module, f'Unrecognized value for parameter "{name}": {raw}')
            return None
        raise bad_value(name, raw)

    def _get(self, name: str) -> _Declared:
        found = self.declared.get(name)
        if found is None:
            raise KeyError(f"API parameter {name!r} is read but no module declares it")
        return found

    # --- typed reads -------------------------------------------------------------------------------

    def value(self, name: str) -> Any:
        """The validated value of a declared parameter (its default when absent)."""
        return self._get(name).value

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.value(name)
        return default if value is None else value

    def given(self, name: str) -> bool:
        """The request carries the (declared) parameter, with any value."""
        self._get(name)
        return name in self.values

    def flag(self, name: str) -> bool:
        """MediaWiki booleans are checkboxes: present (with any value) means true."""
        return bool(self.value(name))

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.value(name)
        return default if value is None else value

    def list(self, name: str) -> list:
        """A multi-value parameter's distinct valid values ([] when absent)."""
        return list(self.value(name) or [])

    def namespaces(self, name: str) -> list[int]:
        """The namespaces asked for; [] means every namespace ("*", or nothing given)."""
        values = self.list(name)
        return [] if "*" in values else values

    def one_of(self, *names: str) -> str | None:
        """The one parameter of `names` that is given; an error when several are."""
        given = [n for n in names if self.given(n)]
        if len(given) > 1:
            raise ApiError(
                "invalidparammix",
                "The parameters " + ", ".join(f'"{n}"' for n in given) + " can not be used together.",
            )
        return given[0] if given else None

    def unused(self) -> list[str]:
        return [name for name in self.values if name not in self.used]

    def timestamp(self, name: str) -> datetime | None:
        return self.value(name)


def split(value: str) -> list[str]:
    """A multi-value parameter: "a|b|c" (or, starting with U+001F, separated by it)."""
    if value == "":
        return []
    sep = "\x1f" if value.startswith("\x1f") else "|"
    return value.lstrip("\x1f").split(sep)


def integer(name: str, raw: str, lo: int = DB_MIN, hi: int = DB_MAX) -> int:
    """An integer parameter, or MediaWiki's badinteger / integeroutofrange."""
    text = raw.strip()
    if not _INTEGER.match(text):
        raise bad_integer(name, raw)
    number = int(text)
    if not lo <= number <= hi:
        raise ApiError(
            "integeroutofrange",
            f'Invalid value "{raw[:40]}" for integer parameter "{name}": must be between {lo} and {hi}.',
        )
    return number


def continue_int(text: str) -> int:
    """The id at the end of a continue value ("...|42"), or MediaWiki's badcontinue."""
    last = text.rsplit("|", 1)[-1].strip()
    if not _INTEGER.match(last) or not DB_MIN <= int(last) <= DB_MAX:
        raise bad_continue()
    return int(last)


def bad_continue() -> ApiError:
    return ApiError(
        "badcontinue",
        "Invalid continue param. You should pass the original value returned by the previous query.",
    )
