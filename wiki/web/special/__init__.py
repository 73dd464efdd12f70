"""Special pages: a registry (name -> handler(subpage)) and the pages of the foundation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, render_template

from wiki import site, titles
from wiki.web import common

bp = Blueprint("special", __name__)


@dataclass
class SpecialPage:
    name: str
    handler: Callable[[str], object]
    description: str
    listed: bool = True


SPECIAL_PAGES: dict[str, SpecialPage] = {}


def register(name: str, description: str = "", listed: bool = True, aliases: tuple[str, ...] = ()):
    """Decorator: make `handler(subpage)` answer Special:<name>."""

    def wrap(handler):
        for key in (name, *aliases):
            SPECIAL_PAGES[key.lower()] = SpecialPage(
                name, handler, description or name, listed and key == name
            )
        return handler

    return wrap


def publish(app: Flask) -> None:
    """Let the renderer colour links to special pages blue."""
    app.extensions[site.SPECIAL_PAGES_KEY] = {p.name for p in SPECIAL_PAGES.values()} | set(SPECIAL_PAGES)


def dispatch(title: titles.Title):
    name, _, sub = title.text.partition("/")
    spec = SPECIAL_PAGES.get(name.replace("_", " ").lower()) or SPECIAL_PAGES.get(name.lower())
    if spec is None:
        return common.error_page(
            404, "No such special page", f'"Special:{name}" is not a special page on this wiki.'
        )
    return spec.handler(sub)


@register("SpecialPages", "Special pages")
def special_pages(_sub: str):
    listed = sorted((p for p in SPECIAL_PAGES.values() if p.listed), key=lambda p: p.description.lower())
    return render_template("specialpages.html", specials=listed)


# Special:Log and Special:RecentChanges register themselves with this module's register.
from wiki.web.special import contributions as special_contributions  # noqa: E402, F401
from wiki.web.special import log as special_log  # noqa: E402, F401
from wiki.web.special import recentchanges as special_recentchanges  # noqa: E402, F401
