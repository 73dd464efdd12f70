"""The action= handlers of index.php: a registry, plus view (with oldid and redirects) and diff."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request
from markupsafe import Markup, escape

from wiki import diffs, pages, site, titles
from wiki.models import Page, Revision
from wiki.pages import graph, revdelete
from wiki.web import common, userlinks, watchstar
from wiki.web.special import category as special_category

ACTIONS: dict[str, Callable] = {}
# Namespace -> functions that turn a page view's content into that namespace's (File: pages).
VIEW_ADDITIONS: dict[int, list[Callable[[titles.Title, Markup], Markup]]] = {}


def register(name: str, handler: Callable) -> None:
    ACTIONS[name] = handler


def add_to_view(namespace: int, addition: Callable[[titles.Title, Markup], Markup]) -> None:
    known = VIEW_ADDITIONS.setdefault(namespace, [])
    if addition not in known:  # every app built in one process registers it
        known.append(addition)


def dispatch(title: titles.Title, action: str):
    handler = ACTIONS.get(action)
    if handler is None:
        valid = ", ".join(sorted(ACTIONS))
        return common.error_page(
            400,
            "No such action",
            f'The action "{action}" is not recognised. Valid actions: {valid}.',
        )
    return handler(title)


def revision_param(name: str) -> int | None:
    """A revision id from the query string (None when absent), or a 400 page."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) > common.MAX_ID:
        abort(common.error_page(400, "Bad revision", f'The parameter "{name}" must be a revision number.'))
    return int(raw)


def requested_revision(page: Page | None) -> Revision | None:
    """The revision named by ?oldid= (404 if unknown), else the latest."""
    oldid = revision_param("oldid")
    if oldid is None:
        return pages.latest(page) if page is not None else None
    rev = pages.revision(oldid)
    if rev is None or (page is not None and rev.page_id != page.id):
        abort(
            common.error_page(
                404, "Revision not found", f'There is no revision {oldid} of "{page_title(page)}".'
            )
        )
    return rev


def page_title(page: Page | None) -> str:
    return str(pages.title_of(page)) if page is not None else "this page"


def view(title: titles.Title):
    page = pages.get(title)
    if title.namespace == titles.USER_TALK and page is not None:
        _read_own_talk(title)
    if request.args.get("oldid"):
        return _old_revision(title, page)
    if page is None:
        if title.namespace == titles.CATEGORY:
            return special_category.missing_category(title)
        return _missing(title)
    redirected_from, fragment = None, ""
    if page.is_redirect and request.args.get("redirect") != "no":
        hop = graph.redirect_of(page.id)
        target = graph.page_at(hop.namespace, hop.title) if hop is not None else None
        if target is not None and target.id != page.id:  # one hop only: never a loop
            redirected_from, title, page, fragment = title, pages.title_of(target), target, hop.fragment
    cached = pages.view(page)
    watchstar.seen(title)
    content = Markup(cached.html)
    if title.namespace == titles.CATEGORY:
        content += special_category.listing(title)
    for addition in VIEW_ADDITIONS.get(title.namespace, ()):
        content = addition(title, content)
    return render_template(
        "view.html",
        title=title,
        page=page,
        content=content,
        categories=cached.categories,
        redirected_from=redirected_from,
        redirect_fragment=fragment_id(fragment),
        redirect_note=_redirect_note(page, followed=redirected_from is not None),
        missing_categories=missing_categories(cached.categories),
        revision=None,
    )


def missing_categories(categories: list[tuple[str, str]]) -> set[str]:
    """The dbkeys of these categories that have no page (red in the category box)."""
    keys = [name.replace(" ", "_") for name, _key in categories]
    return set(keys) - {p.title for p in graph.pages_named(titles.CATEGORY, keys)}


def fragment_id(fragment: str) -> str:
    """The id a heading gets in MediaWiki's HTML5 anchors ("Two words" -> "Two_words")."""
    return fragment.replace(" ", "_")


def _redirect_note(page: Page, *, followed: bool) -> dict | None:
    """What to tell a reader who sees a redirect page: a double, broken or self redirect."""
    if not page.is_redirect:
        return None
    hop = graph.redirect_of(page.id)
    if hop is None or hop.namespace < 0:
        return None
    ns_name = site.namespaces().name(hop.namespace)
    target_title = titles.Title(hop.namespace, hop.title.replace("_", " "), ns_name=ns_name)
    target = graph.page_at(hop.namespace, hop.title)
    if target is None:
        kind = "broken"
    elif target.id == page.id:
        kind = "self"
    elif followed:
        kind = "double"
    else:
        return None
    return {"kind": kind, "target": target_title}


def _read_own_talk(title: titles.Title) -> None:
    """Viewing your own user talk page ends "You have new messages"."""
    from flask_login import current_user

    from wiki.pages import newtalk

    if getattr(current_user, "is_authenticated", False):
        if title.text == current_user.name:
            newtalk.seen(current_user.id, None)
    elif title.text == common.client_ip():
        newtalk.seen(None, title.text)


def _missing(title: titles.Title):
    body = render_template("missing.html", title=title)
    return body, 404


def hidden_text_notice(title: titles.Title, revs: list[Revision | None], *, diff: bool = False):
    """(notice, show) for revisions whose text is hidden, as MediaWiki's rev-deleted-* messages:
    readers without the right get the notice only; those with it a link to `unhide=1` first."""
    hidden = [r for r in revs if r is not None and r.deleted & revdelete.TEXT]
    if not hidden:
        return None, True
    suppressed = any(r.deleted & revdelete.RESTRICTED for r in hidden)
    word = "suppressed" if suppressed else "deleted"
    log = common.index_url(f"Special:Log/{'suppress' if suppressed else 'delete'}", page=title.prefixed_text)
    log_name = "suppression log" if suppressed else "deletion log"
    details = f'Details can be found in the <a href="{escape(log)}">{log_name}</a>.'
    what = "One of the revisions of this diff has" if diff else "This page revision has"
    if not all(userlinks.may_see(r, revdelete.TEXT) for r in hidden):
        if diff:
            text = f"You cannot view this diff because one of the revisions has been <strong>{word}</strong>."
        else:
            text = f"This page revision has been <strong>{word}</strong>."
        show = False
        text += "\n" + details if not suppressed or not diff else ""
    elif request.args.get("unhide") == "1":
        it = "this diff" if diff else "it"
        text = f"{what} been <strong>{word}</strong>.\nYou can view {it}; {details[0].lower()}{details[1:]}"
        show = True
    else:
        args = {k: v for k, v in request.args.items() if k != "title"}
        again = common.index_url(title, **{**args, "unhide": "1"})
        thing = "this diff" if diff else "this revision"
        text = (
            f"{what} been <strong>{word}</strong>.\n{details}\n"
            f'You can still <a href="{escape(again)}">view {thing}</a> if you wish to proceed.'
        )
        show = False
    return Markup(f'<div class="mw-warning plainlinks">\n<p>{text}\n</p></div>'), show


def hidden_text_refusal(title: titles.Title, revs: list[Revision | None]):
    """The page to answer instead of text the reader may not see (None when they may)."""
    notice, show = hidden_text_notice(title, revs)
    if show:
        return None
    return common.error_page(403, "Permission error", "", notice=notice, code="permissiondenied")


def _old_revision(title: titles.Title, page: Page | None):
    oldid = revision_param("oldid")
    if page is None:
        abort(common.error_page(404, "Revision not found", f'There is no revision {oldid} of "{title}".'))
    rev = requested_revision(page)
    notice, show = hidden_text_notice(title, [rev])
    if not show:
        return render_template(
            "view.html",
            title=title,
            page=page,
            content=notice,
            categories=[],
            redirected_from=None,
            revision=rev,
            prev_rev=pages.previous(rev),
            next_rev=pages.next_(rev),
        )
    rendered = pages.render_text(title, rev.text, revision_id=rev.id, revision_timestamp=rev.timestamp)
    return render_template(
        "view.html",
        title=title,
        page=page,
        content=(notice or Markup("")) + Markup(rendered.html),
        categories=rendered.categories,
        redirected_from=None,
        revision=rev,
        prev_rev=pages.previous(rev),
        next_rev=pages.next_(rev),
    )


def _diff_pair(page: Page) -> tuple[Revision | None, Revision]:
    """(older, newer) for ?diff=N|prev|next|cur&oldid=M, as MediaWiki reads them."""
    diff = request.args.get("diff", "")
    if diff == "0":  # MediaWiki reads diff=0 as the current revision, like diff=cur
        diff = "cur"
    oldid = revision_param("oldid")
    base = requested_revision(page) if oldid is not None else None
    if diff in ("prev", "next", "cur", "") and base is None:
        base = pages.latest(page)
        if diff in ("", "cur"):
            diff = "prev"
    if diff == "prev":
        return pages.previous(base), base
    if diff == "next":
        return base, pages.next_(base) or base
    if diff in ("cur", ""):
        return base, pages.latest(page)
    new = pages.revision(revision_param("diff"))
    if new is None or new.page_id != page.id:
        abort(
            common.error_page(
                404, "Revision not found", f'There is no revision {diff} of "{page_title(page)}".'
            )
        )
    if base is None:
        return pages.previous(new), new
    return (base, new) if base.id <= new.id else (new, base)


def diff(title: titles.Title):
    page = pages.get(title)
    if page is None:
        return common.error_page(404, "Revision not found", f'The page "{title}" does not exist.')
    old, new = _diff_pair(page)
    notice, show = hidden_text_notice(title, [old, new], diff=True)
    rows, content = None, Markup("")  # hidden text: the notice alone
    if show:
        rows = diffs.diff_rows(old.text if old else "", new.text)
        if new.id == page.latest:
            watchstar.seen(title)  # a diff to the current version counts as seeing it, as in MediaWiki
            content = Markup(pages.view(page).html)  # the parser cache, as the page view
        else:
            rendered = pages.render_text(
                title, new.text, revision_id=new.id, revision_timestamp=new.timestamp
            )
            content = Markup(rendered.html)
    return render_template(
        "diff.html",
        title=title,
        page=page,
        old=old,
        new=new,
        rows=rows,
        notice=notice,
        content=content,
        latest_id=page.latest,
    )


register("view", view)
register("diff", diff)
