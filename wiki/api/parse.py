"""action=parse: wikitext (given, or a page's) rendered to HTML, with its links and categories."""

from __future__ import annotations

from wiki import pages, site, titles
from wiki.api import access, register
from wiki.api.errors import ApiError
from wiki.api.output import Node, Star
from wiki.api.pageset import parse_title
from wiki.api.params import multi, param
from wiki.pages import graph, revdelete, sections

PROPS = (
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
    "wikitext",
    "properties",
    "parsewarnings",
)
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


PARSE = [
    param("title", "title", help="Title of the page the text belongs to."),
    param("text", "text", help="Text to parse."),
    param("page", "title", help="Parse the content of this page."),
    param("pageid", "integer", help="Parse the content of this page (by id)."),
    param("oldid", "integer", min=0, help="Parse the content of this revision."),
    param("redirects", "boolean", help="Follow a redirect named by page or pageid."),
    multi("prop", PROPS, default="|".join(DEFAULT), help="Which pieces of information to get."),
    param("section", help="Only parse the content of this section number."),
    param("contentmodel", ("wikitext",), help="Content model of the text (only wikitext)."),
    param("pst", "boolean", help="Do a pre-save transform on the text before parsing it (only with text)."),
    param("onlypst", "boolean", help="Only do a pre-save transform on the text: return it, do not parse."),
    param(
        "revid", "integer", min=0, help="Revision ID, for {{REVISIONID}} and similar variables (with text)."
    ),
]


@register("parse", "Parse content and return parser output.", params=PARSE)
def parse(api) -> dict:
    params = api.params
    props = params.list("prop")
    page_name, page_id, oldid = params.get("page"), params.int("pageid"), params.int("oldid")
    text = params.get("text")
    out: dict = {}
    redirects: list[dict] = []
    revision: dict = {}
    psttext = None
    if page_name is not None or page_id is not None or oldid is not None:
        if text is not None:
            raise ApiError("invalidparammix", 'The parameters "page" and "text" can not be used together.')
        title, rev = _page_revision(api, page_name, page_id, oldid, redirects)
        if not revdelete.can_see(rev.deleted, revdelete.TEXT, access.reader_rights()):
            raise ApiError("permissiondenied", "You don't have permission to view deleted revision text.")
        text = rev.text
        out.update(title=title.prefixed_text, pageid=rev.page_id, revid=rev.id)
        revision = {
            "revision_id": rev.id,
            "revision_timestamp": rev.timestamp,
            "revision_user": _public_user(rev),
        }
    else:
        title = parse_title(params.get("title") or "API")
        text = text or ""
        revision = _given_revision(api, title)
        if params.flag("onlypst") or params.flag("pst"):
            psttext = pages.pre_save_transform(title, text, access.actor(api.user))
        if params.flag("onlypst"):
            only = {"text": Star(psttext)}
            if "wikitext" in props:
                only["wikitext"] = Star(text)
            return {"parse": only}
        out.update(title=title.prefixed_text, pageid=0)
    section = params.get("section")
    if section is not None and section != "new":
        piece = sections.get(text, int(section)) if section.isdigit() else None
        if piece is None:
            raise ApiError("nosuchsection", f"There is no section {section} in the page.")
        text = piece
    rendered = pages.render_text(title, psttext if psttext is not None else text, **revision)
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
        if psttext is not None:
            out["psttext"] = Star(psttext)
    for empty in ("langlinks", "images", "externallinks", "iwlinks", "properties", "parsewarnings"):
        if empty in props:
            out[empty] = []
    if "revid" not in props:
        out.pop("revid", None)
    return {"parse": out}


def _given_revision(api, title) -> dict:
    """`revid` with `text`: the revision {{REVISIONID}}, {{REVISIONUSER}} and friends describe."""
    rev_id = api.params.int("revid")
    if rev_id is None:
        return {}
    rev = pages.revision(rev_id)
    if rev is None:
        return {"revision_id": rev_id}
    return {"revision_id": rev.id, "revision_timestamp": rev.timestamp, "revision_user": _public_user(rev)}


def _public_user(rev) -> str:
    """{{REVISIONUSER}}: empty when the editor is hidden (the output is the same for every reader)."""
    return rev.user_text if revdelete.public(rev.deleted, revdelete.USER) else ""


def _page_revision(api, page_name, page_id, oldid, redirects: list[dict]):
    if oldid is not None:
        rev = pages.revision(oldid)
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
        row = graph.redirect_of(page.id)
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
