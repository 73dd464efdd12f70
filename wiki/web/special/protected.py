"""Special:ProtectedTitles: titles protected against creation (salted), newest first."""

from __future__ import annotations

from flask import render_template, request

from wiki import site, titles
from wiki.access import protection
from wiki.web import special

LIMIT = 500


@special.register("ProtectedTitles", "Protected titles")
def protected_titles(_sub: str):
    raw = request.args.get("namespace", "")
    namespace = int(raw) if raw.lstrip("-").isdigit() and len(raw) < 6 else None
    rows = protection.protected_titles(limit=LIMIT, namespace=namespace)
    names = site.namespaces()
    entries = [
        (titles.Title(row.namespace, row.title.replace("_", " "), ns_name=names.name(row.namespace)), row)
        for row in rows
    ]
    return render_template("protectedtitles.html", title=None, entries=entries, namespace=namespace)
