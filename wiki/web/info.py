"""action=info: the page information page (MediaWiki's InfoAction)."""

from __future__ import annotations

from flask import render_template

from wiki import pages, site, titles
from wiki.pages import info as page_info
from wiki.web import actions, common


def info(title: titles.Title):
    page = pages.get(title)
    if page is None:
        return common.error_page(404, f"Information for {title}", "The page you specified doesn't exist.")
    facts = page_info.of(page, title)
    spaces = site.namespaces()
    used = [f"{spaces.name(ns)}:{t}".lstrip(":").replace("_", " ") for ns, t in facts.templates]
    return render_template("info.html", title=title, page=page, info=facts, templates=used)


actions.register("info", info)
