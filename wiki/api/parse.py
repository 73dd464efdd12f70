"""action=parse: wikitext (given, or a page's) rendered to HTML, with its links and categories."""

from __future__ import annotations

from wiki import pages, site, titles
from wiki.api import register, sections
from wiki.api.errors import ApiError
from wiki.api.output import Node, Star
from wiki.api.pageset import parse_title
from wiki.extensions import db
from wiki.models import Redirect, Revision

PROPS = {
    "text",
    "langlinks",
    "categories",
    "categorieshtml",
    "links",
    "templates",
    "images",
    "externallinks",
    "sections",
    "revid",
    "displaytitle",
    "subtitle",
    "headhtml",
    "modules",
    "jsconfigvars",
    "encodedjsconfigvars",
    "indicators",
    "iwlinks",
    "wikitext",
    "properties",
    "limitreportdata",
    "limitreporthtml",
    "parsetree",
    "parsewarnings",
    "parsewarningshtml",
    "headitems",
}
DEFAULT = [
    "text",
    "langlinks",
    "categories",
    "links",
    "templates",
    "images",
    "externallinks",
    "sections",
    "revid",
    "displaytitle",
    "iwlinks",
    "properties",
    "parsewarnings",
]


@register(
    "parse",
    "Parse content and return parser output.",
    params="text, title, page, pageid, oldid, prop, redirects, section, contentmodel",
)
def parse(api) -> dict:
    params = api.params
    props = params.set("prop", PROPS, "parse", api.warn) or DEFAULT
    for ignored in (
        "contentmodel",
        "contentformat",
        "summary",
        "pst",
        "onlypst",
        "disablelimitreport",
        "disableeditsection",
        "disabletoc",
        "preview",
        "sectionpreview",
        "wrapoutputclass",
        "mobileformat",
        "useskin",
        "effectivelanglinks",
        "disablestylededuplication",
        "uselang",
        "sectiontitle",
        "generatexml",
        "templatesandboxprefix",
        "showstrategykeys",
    ):
        params.get(ignored)
    page_name, page_id, oldid = params.get("page"), params.int("pageid"), params.int("oldid")
    text = params.get("text")
    out: dict = {}
    redirects: list[dict] = []
    if page_name is not None or page_id is not None or oldid is not None:
        if text is not None:
            raise ApiError("invalidparammix", 'The parameters "page" and "text" can not be used together.')
        title, rev = _page_revision(api, page_name, page_id, oldid, redirects)
        text = rev.text
        out.update(title=title.prefixed_text, pageid=rev.page_id, revid=rev.id)
    else:
        title = parse_title(params.get("title") or "API")
        text = text or ""
        out.update(title=title.prefixed_text, pageid=0)
    section = params.get("section")
    if section is not None and section != "new":
        piece = sections.get(text, int(section)) if section.isdigit() else None
        if piece is None:
            raise ApiError("nosuchsection", f"There is no section {section} in the page.")
        text = piece
    rendered = pages.render_text(title, text)
    if redirects:
        out["redirects"] = redirects
    if "text" in props:
        html = rendered.html
        if not html.startswith('<div class="mw-parser-output"'):
            html = f'<div class="mw-parser-output">{html}</div>'
        out["text"] = Star(html)
    if "links" in props:
        out["links"] = _links(rendered.links)
    if "categories" in props:
        out["categories"] = _categories(rendered.categories)
    if "templates" in props:
        out["templates"] = _links(rendered.templates)
    if "sections" in props:
        out["sections"] = [
            {
                "toclevel": h.level - 1,
                "level": str(h.level),
                "line": h.text,
                "number": h.number,
                "index": str(h.section or ""),
                "fromtitle": title.prefixed_dbkey,
                "anchor": h.anchor,
            }
            for h in rendered.headings
        ]
    if "displaytitle" in props:
        out["displaytitle"] = rendered.display_title or title.prefixed_text
    if "wikitext" in props:
        out["wikitext"] = Star(text)
    for empty in ("langlinks", "images", "externallinks", "iwlinks", "properties", "parsewarnings"):
        if empty in props:
            out[empty] = []
    if "revid" not in props:
        out.pop("revid", None)
    return {"parse": out}


def _page_revision(api, page_name, page_id, oldid, redirects: list[dict]):
    if oldid is not None:
        rev = db.session.get(Revision, oldid)
        if rev is None:
            raise ApiError("nosuchrevid", f"There is no revision with ID {oldid}.")
        return pages.title_of(pages.get_by_id(rev.page_id)), rev
    if page_id is not None:
        page = pages.get_by_id(page_id)
        if page is None:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
    else:
        title = parse_title(page_name)
        page = pages.get(title)
        if page is None:
            raise ApiError("missingtitle", "The page you specified doesn't exist.")
    if api.params.flag("redirects") and page.is_redirect:
        row = db.session.get(Redirect, page.id)
        if row is not None:
            target = titles.Title(
                row.namespace, row.title.replace("_", " "), ns_name=site.namespaces().name(row.namespace)
            )
            target_page = pages.get(target)
            if target_page is not None:
                redirects.append({"from": pages.title_of(page).prefixed_text, "to": target.prefixed_text})
                page = target_page
    return pages.title_of(page), pages.latest(page)


def _categories(found: list[tuple[str, str]]) -> list:
    ns_name = site.namespaces().name(titles.CATEGORY)
    existing = site.existing_titles([f"{ns_name}:{name}" for name, _key in found])
    return [
        Node(
            "category", name.replace(" ", "_"), sortkey=key or "", missing=f"{ns_name}:{name}" not in existing
        )
        for name, key in found
    ]


def _links(prefixed: list[str]) -> list:
    wanted: list[titles.Title] = []
    seen = set()
    for text in prefixed:
        title = titles.try_parse(text, site.namespaces())
        if title is None or title.interwiki or title.namespace < 0 or not title.text:
            continue
        if title.prefixed_text not in seen:
            seen.add(title.prefixed_text)
            wanted.append(title)
    existing = site.existing_titles([t.prefixed_text for t in wanted])
    return [
        Node("title", t.prefixed_text, ns=t.namespace, exists=t.prefixed_text in existing) for t in wanted
    ]
