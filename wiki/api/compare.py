"""action=compare: the diff between two revisions, pages or texts, as MediaWiki's diff table rows."""

from __future__ import annotations

from wiki import diffs, pages
from wiki.api import access, register
from wiki.api.errors import ApiError
from wiki.api.output import Node
from wiki.api.pageset import parse_title
from wiki.api.params import param
from wiki.models import Page, Revision
from wiki.pages import revdelete

RELATIVE = ("prev", "next", "cur")
COMPARE = [
    param("fromtitle", "title", help="First title to compare."),
    param("fromid", "integer", help="First page id to compare."),
    param("fromrev", "integer", help="First revision to compare."),
    param("fromtext", "text", help="Use this text instead of the content of the from revision."),
    param("totitle", "title", help="Second title to compare."),
    param("toid", "integer", help="Second page id to compare."),
    param("torev", "integer", help="Second revision to compare."),
    param("totext", "text", help="Use this text instead of the content of the to revision."),
    param("torelative", RELATIVE, help="A revision relative to the from revision (prev, next, cur)."),
    param(
        "prop",
        default="diff|ids|title",
        help="Which information to get (diff, ids, title, size, user, comment).",
    ),
]


def _revision(api, side: str) -> Revision | None:
    """The revision named by {side}rev, {side}id or {side}title (its latest), or None if none given."""
    params = api.params
    rev_id, page_id, raw = params.int(f"{side}rev"), params.int(f"{side}id"), params.get(f"{side}title")
    if rev_id is not None:
        rev = pages.revision(rev_id)
        if rev is None:
            raise ApiError("nosuchrevid", f"There is no revision with ID {rev_id}.")
        return rev
    page: Page | None = None
    if page_id is not None:
        page = pages.get_by_id(page_id)
        if page is None:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
    elif raw:
        title = parse_title(raw)
        page = pages.get(title) if title.namespace >= 0 else None
        if page is None:
            raise ApiError("missingtitle", f"The page you specified doesn't exist: {title.prefixed_text}.")
    if page is None:
        return None
    return pages.latest(page)


def _relative(base: Revision, how: str) -> tuple[Revision, Revision]:
    if how == "prev":
        older = pages.previous(base)
        if older is None:
            raise ApiError("nosuchrevid", f"There is no revision before {base.id}.")
        return older, base
    if how == "next":
        return base, pages.next_(base) or base
    page = pages.get_by_id(base.page_id)
    latest = pages.latest(page) if page is not None else None
    return base, latest or base


def _side(rev: Revision, side: str, props: set[str]) -> dict:
    if not revdelete.can_see(rev.deleted, revdelete.TEXT, access.reader_rights()):
        raise ApiError("missingcontent", f"Missing content for revision ID {rev.id}.")
    page = pages.get_by_id(rev.page_id)
    out: dict = {}
    bits, seen = rev.deleted or 0, access.reader_rights()
    if "ids" in props:
        out[f"{side}id"] = rev.page_id
        out[f"{side}revid"] = rev.id
    if "title" in props and page is not None:
        title = pages.title_of(page)
        out[f"{side}ns"] = title.namespace
        out[f"{side}title"] = title.prefixed_text
    if "size" in props:
        out[f"{side}size"] = rev.size
    if "user" in props:
        if bits & revdelete.USER:
            out[f"{side}userhidden"] = True
        if revdelete.can_see(bits, revdelete.USER, seen):
            out[f"{side}user"] = rev.user_text
            out[f"{side}userid"] = rev.user_id or 0
    if "comment" in props:
        if bits & revdelete.COMMENT:
            out[f"{side}commenthidden"] = True
        if revdelete.can_see(bits, revdelete.COMMENT, seen):
            out[f"{side}comment"] = rev.comment
    if bits & revdelete.TEXT:
        out[f"{side}texthidden"] = True
    if bits & revdelete.RESTRICTED:
        out[f"{side}suppressed"] = True
    return out


@register("compare", "Get the difference between two pages or revisions.", params=COMPARE)
def compare(api) -> dict:
    props = set((api.params.get("prop") or "").split("|"))
    old = _revision(api, "from")
    how = api.params.get("torelative")
    if how:
        if old is None:
            raise ApiError(
                "missingparam", 'One of "fromtitle", "fromid" or "fromrev" is required with "torelative".'
            )
        old, new = _relative(old, how)
    else:
        new = _revision(api, "to")
    from_text, to_text = api.params.get("fromtext"), api.params.get("totext")
    if (old is None and from_text is None) or (new is None and to_text is None):
        raise ApiError("missingparam", 'Both sides of the comparison are needed ("from…" and "to…").')
    out: dict = {}
    if old is not None:
        out.update(_side(old, "from", props))
    if new is not None:
        out.update(_side(new, "to", props))
    if "diff" in props:
        left = from_text if from_text is not None else old.text if old is not None else ""
        right = to_text if to_text is not None else new.text if new is not None else ""
        return {"compare": Node("body", diffs.table_rows_html(diffs.diff_rows(left, right)), **out)}
    return {"compare": out}
