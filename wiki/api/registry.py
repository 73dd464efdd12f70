"""The API's modules: actions (action=edit, ...) and query submodules (prop=, list=, meta=), each
with its one parameter table (wiki.api.params)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wiki.api.params import Param


@dataclass
class Module:
    name: str
    handler: Callable[[Any], dict]
    summary: str
    params: list[Param] = field(default_factory=list)
    post: bool = False
    token: str | None = None  # parameter holding the csrf token, checked before the handler runs
    prefix: str = ""  # of its parameters' names (login: "lg")


MODULES: dict[str, Module] = {}


def register(
    name: str,
    summary: str,
    *,
    params: list[Param] | None = None,
    post: bool = False,
    token: str | None = None,
    prefix: str = "",
):
    """Decorator: `handler(api) -> dict` answers action=<name>."""

    def wrap(handler):
        MODULES[name] = Module(name, handler, summary, list(params or []), post, token, prefix)
        return handler

    return wrap


@dataclass
class Submodule:
    """A prop=, list= or meta= module of action=query.

    prop handlers take (api, pageset, out) and answer their continuation; list handlers take
    (api, prefix) and answer a Listing; meta handlers take (api) and answer their data.
    """

    name: str
    group: str  # "prop", "list" or "meta"
    prefix: str
    handler: Callable
    summary: str
    params: list[Param] = field(default_factory=list)
    generator: bool = False


SUBMODULES: dict[str, Submodule] = {}


def submodule(
    name: str, group: str, prefix: str, summary: str, params: list[Param], *, generator: bool = False
):
    """Decorator registering a query submodule with its parameter table."""

    def wrap(handler):
        SUBMODULES[name] = Submodule(name, group, prefix, handler, summary, params, generator)
        return handler

    return wrap


def group(name: str) -> dict[str, Submodule]:
    """The submodules of one group, by name."""
    return {n: s for n, s in SUBMODULES.items() if s.group == name}


# prop= generators besides the link tables' (prop=images): name -> (api, pageset, prefix) -> (titles, cont).
PROP_GENERATORS: dict[str, Callable[..., tuple[list, dict]]] = {}
