"""prop=conceptinfo: what the concept reader found on each page (wiki.concepts)."""

from __future__ import annotations

from wiki.api.pageset import PageSet
from wiki.api.params import multi
from wiki.api.registry import submodule
from wiki.concepts import export, store

PROPS = ("definition", "genus", "aka", "dated", "see", "categories")
CONCEPTINFO = [
    multi(
        "prop",
        PROPS,
        default="definition|genus|aka",
        help="Which parts of the concept structure to give: the defining sentence, the genus (the "
        "broader concept), the AKA terms, the number of dated examples, the See links, the categories.",
    ),
]


@submodule(
    "conceptinfo",
    "prop",
    "ci",
    "The concept structure of the pages (pages that are not concept pages get none).",
    CONCEPTINFO,
)
def conceptinfo(api, pageset: PageSet, out: dict) -> dict:
    wanted = set(api.params.list("ciprop"))
    for entry in pageset.good:
        page = entry.page
        structure = store.get(page.id)
        if not structure.is_concept or page.is_redirect:
            continue
        item = export.concept(page.id, page.title.replace("_", " "), structure)
        info: dict = {}
        if "definition" in wanted:
            info["definition"] = item.sentence
        if "genus" in wanted and item.genus:
            info["genus"] = item.genus
        if "aka" in wanted:
            info["aka"] = item.aka
        if "dated" in wanted:
            info["dated"] = len(structure.dated())
        if "see" in wanted:
            info["see"] = list(structure.see)
        if "categories" in wanted:
            info["categories"] = list(structure.categories)
        out[("page", page.id)]["conceptinfo"] = info
    return {}
