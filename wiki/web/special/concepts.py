"""The knowledge-base pages: Special:ConceptTree, Special:Concepts, Special:Timeline, and the
concept box and alias note that view.html includes (template globals). Thin: the queries live in
wiki.concepts."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from markupsafe import Markup

from wiki import pages, site, titles
from wiki.concepts import aliases, export, store, timeline, tree
from wiki.models import Page
from wiki.web import common, special
from wiki.web.special.params import int_arg, private, text_arg, title_arg

LIMITS = (20, 50, 100, 250, 500)


def _concept_page(sub: str, special_name: str) -> tuple[titles.Title, Page]:
    """The main-namespace page named by the subpage or ?target= (a clear 400/404 otherwise)."""
    text = text_arg("target") or sub
    if not text.strip():
        abort(
            common.error_page(
                400, "No concept given", f"Give a page title: Special:{special_name}/Large language model."
            )
        )
    title = title_arg(text, "target")
    page = None
    if title.namespace == titles.MAIN and not title.interwiki:
        dbkey, page_id = tree.resolve(title.dbkey)  # a redirect leads to its target
        if page_id is not None:
            page = pages.get(titles.Title(titles.MAIN, dbkey.replace("_", " ")))
    if page is None:
        abort(common.error_page(404, "No such page", f'There is no page "{title}" on this wiki.'))
    return title, page


@special.register("ConceptTree", "Concept hierarchy")
def concept_tree(sub: str):
    title, page = _concept_page(sub, "ConceptTree")
    title = titles.Title(titles.MAIN, page.title.replace("_", " "))
    root = tree.subtree(page.id, page.title)
    return private(
        render_template(
            "concept_tree.html",
            title=site.parse_title("Special:ConceptTree"),
            subject=title,
            root=root,
            chain=tree.chain(page.id),
        )
    )


@special.register("Concepts", "Concepts without a broader concept")
def concepts(sub: str):
    limit = int_arg("limit", 100, 1, tree.MAX_CHILDREN)
    after = text_arg("from").replace(" ", "_")
    rows, more = tree.orphans(limit, after)
    return private(
        render_template(
            "concepts.html",
            title=site.parse_title("Special:Concepts"),
            rows=rows,
            more=more,
            limit=limit,
            after=after,
            limits=LIMITS,
        )
    )


@special.register("Timeline", "Timeline of a concept")
def timeline_page(sub: str):
    title, page = _concept_page(sub, "Timeline")
    title = titles.Title(titles.MAIN, page.title.replace("_", " "))
    html = timeline_html(page.id, title.text)
    return private(
        render_template(
            "timeline.html", title=site.parse_title("Special:Timeline"), subject=title, timeline=Markup(html)
        )
    )


def timeline_html(page_id: int, subject: str) -> str:
    """The drawn timeline of a page's dated examples ("" when it has none)."""
    structure = store.get(page_id)
    items = timeline.entries(structure, site.existing_titles, _canonical)
    if not items:
        return ""
    return timeline.render(subject, items, site.page_url)


def _canonical(link: str) -> str | None:
    title = titles.try_parse(link, site.namespaces())
    return title.prefixed_text if title is not None and not title.interwiki else None


@special.bp.app_template_global()
def concept_box(page: Page | None) -> dict | None:
    """Broader and narrower concepts of a page for the box below its content (None: not a concept)."""
    if page is None or page.namespace != titles.MAIN or page.is_redirect:
        return None
    sentence, genus = store.summary(page.id)
    if not sentence:
        return None
    kids, more = tree.children(page.id, page.title)
    name = page.title.replace("_", " ")
    server = str(current_app.config["WIKI_SERVER"])
    term = export.concept(page.id, name, store.get(page.id))  # the row summary just read: no query
    jsonld = export.defined_term(
        term,
        server + site.page_url(page.title),
        server + site.page_url("Special:Concepts"),
        f"{current_app.config['WIKI_SITE_NAME']} concepts",
    )
    return {
        "jsonld": Markup(export.json_ld(jsonld)),
        "title": titles.Title(titles.MAIN, name),
        "chain": tree.chain(page.id),
        "children": kids,
        "more": more,
        "dated": store.dated_count(page.id),
    }


@special.bp.app_template_global()
def concept_alias_note(page: Page | None) -> str | None:
    """The AKA term a Go search came by (?alias=), when it is one of this page's."""
    raw = request.args.get("alias", "")
    if page is None or not raw or len(raw) > 255:
        return None
    return aliases.is_alias_of(page.id, raw)
