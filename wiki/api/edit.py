"""action=edit, action=move and action=delete."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from wiki import pages, site, spam, titles
from wiki.access import rights
from wiki.api import access, register
from wiki.api import watch as watching
from wiki.api.errors import ApiError, missing_param
from wiki.api.output import iso
from wiki.api.pageset import parse_title
from wiki.api.params import multi, param
from wiki.extensions import db
from wiki.models import Revision
from wiki.pages import graph, sections, tags

TOKEN = param("token", required=True, help="A csrf token from meta=tokens.", extra={"tokentype": "csrf"})
EDIT = [
    param("title", "title", help="Title of the page to edit."),
    param("pageid", "integer", help="Page id of the page to edit (instead of the title)."),
    param("section", help='Section number ("0" for the lead), or "new" for a new section.'),
    param("sectiontitle", help="The title of a new section."),
    param("text", "text", help="Page content."),
    param("summary", help="Edit summary."),
    param("minor", "boolean", help="Mark the edit minor (accounts only)."),
    param("bot", "boolean", help="Mark this edit as a bot edit (only for users with the bot right)."),
    param("notminor", "boolean", help="Do not mark the edit minor."),
    param("basetimestamp", "timestamp", help="Timestamp of the base revision, to detect edit conflicts."),
    param("starttimestamp", "timestamp", help="When editing started, to detect deletions since."),
    param("recreate", "boolean", help="Ignore a deletion of the page since starttimestamp."),
    param("createonly", "boolean", help="Do not edit the page if it exists already."),
    param("nocreate", "boolean", help="Throw an error if the page does not exist."),
    param("md5", help="The MD5 hash of the text, to detect corruption in transit."),
    param("prependtext", "text", help="Add this text to the beginning of the page or section."),
    param("appendtext", "text", help="Add this text to the end of the page or section."),
    param("undo", "integer", min=0, help="Undo this revision."),
    param("undoafter", "integer", min=0, help="Undo all revisions from undo to this one."),
    param("redirect", "boolean", help="Edit the target of a redirect instead."),
    multi("tags", help="Change tags to apply to the revision (user-defined, active ones)."),
    param("contentformat", ("text/x-wiki",), help="Content serialization format (only wikitext)."),
    param("contentmodel", ("wikitext",), help="Content model (only wikitext)."),
    *watching.WATCHLIST,
    param("captchaid", help="CAPTCHA ID from the previous request."),
    param("captchaword", help="Answer to the CAPTCHA."),
    TOKEN,
]
MOVE = [
    param("from", "title", help="Title of the page to move."),
    param("fromid", "integer", help="Page id of the page to move (instead of the title)."),
    param("to", "title", required=True, help="The new title."),
    param("reason", default="", help="Reason for the move."),
    param("noredirect", "boolean", help="Do not leave a redirect (needs suppressredirect)."),
    param("movetalk", "boolean", help="Move the talk page too, if it exists."),
    param("movesubpages", "boolean", help="Move subpages too (at most 100), and the talk page's."),
    *watching.WATCHLIST,
    TOKEN,
]
DELETE = [
    param("title", "title", help="Title of the page to delete."),
    param("pageid", "integer", help="Page id of the page to delete (instead of the title)."),
    param("reason", default="", help="Reason for the deletion."),
    *watching.WATCHLIST,
    TOKEN,
]


def target_title(api, title_param: str = "title", id_param: str = "pageid") -> titles.Title:
    raw = api.params.get(title_param)
    page_id = api.params.int(id_param)
    if raw is None and page_id is None:
        raise ApiError("missingparam", f'One of the parameters "{title_param}" and "{id_param}" is required.')
    if raw is None:
        page = pages.get_by_id(page_id)
        if page is None:
            raise ApiError("nosuchpageid", f"There is no page with ID {page_id}.")
        return pages.title_of(page)
    title = parse_title(raw)
    if title.namespace < 0:
        raise ApiError("pagecannotexist", "Namespace doesn't allow actual pages.")
    return title


@register("edit", "Create and edit pages.", params=EDIT, post=True, token="token")
def edit(api) -> dict:
    params = api.params
    title = target_title(api)
    user = api.user
    page = pages.get(title)
    if page is not None and page.is_redirect and params.flag("redirect"):
        title, page = _redirect_target(page)
    if page is not None and params.flag("createonly"):
        raise ApiError("articleexists", "The article you tried to create has been created already.")
    if page is None and params.flag("nocreate"):
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    access.require(user, "edit", title)
    if page is None:
        access.require(user, "createpage", title)
    current = pages.latest(page) if page is not None and page.latest else None
    started = _started(api)
    _check_md5(api)
    text, summary = _new_text(api, current)
    base = _base_revision(api, page, current)
    wish = watching.requested(api, "edit" if page is not None else "create")
    undoing = ("mw-undo",) if params.int("undo") else ()
    tags = _applied_tags(api) + undoing
    access.require_rate(api, "edit", *(() if page is not None else ("create",)))
    minor = params.flag("minor") and not params.flag("notminor") and user is not None
    actor = access.actor(user)
    text = pages.pre_save_transform(title, text, actor)
    flags = rights.edit_flags(user, params.flag("bot"), tags)
    base_id = base.id if base else None  # a save that retries expires `base` (maybe deleted by then)
    answer = spam.Answer(params.get("captchaid"), params.get("captchaword"))
    refused = spam.check_edit(
        user, access.client_ip(), title, current.text if current else None, text, answer
    )
    if refused is not None:
        return spam_answer(refused, title)
    try:
        result = pages.save(
            title,
            text,
            actor=actor,
            summary=summary,
            minor=minor,
            base_rev_id=base_id,
            started=started,
            flags=flags,
        )
        if result.status == "conflict" and _only_own_edits_since(base_id, result.page, actor):
            # MediaWiki does not count an edit conflict with yourself.
            result = pages.save(
                title,
                text,
                actor=actor,
                summary=summary,
                minor=minor,
                base_rev_id=result.current_rev_id,
                flags=flags,
            )
    except pages.TextTooLong as exc:
        raise ApiError(
            "contenttoobig", f"The content you supplied exceeds the page size limit. {exc}"
        ) from None
    if result.status == "deleted":
        raise ApiError("pagedeleted", "The page has been deleted since you fetched its timestamp.")
    if result.status == "conflict":
        raise ApiError(
            "editconflict",
            "Edit conflict: the page was changed since you started editing, and the changes "
            "could not be merged.",
        )
    out = {
        "result": "Success",
        "pageid": result.page.id,
        "title": title.prefixed_text,
        "contentmodel": "wikitext",
    }
    watched = watching.apply(api, title.namespace, title.dbkey, wish)
    if result.status == "nochange":
        out["nochange"] = True
    else:
        rev = result.revision
        out.update(oldrevid=rev.parent_id or 0, newrevid=rev.id, newtimestamp=iso(rev.timestamp))
        if result.status == "created":
            out["new"] = True
    if watched:
        out["watched"] = True
        if wish.choice == "watch" and wish.expiry is not None:
            out["watchlistexpiry"] = iso(wish.expiry)
    return {"edit": out}


def _check_md5(api) -> None:
    """`md5`: of `text`, or of `prependtext` and `appendtext` together when either is given."""
    params = api.params
    md5 = params.get("md5")
    if md5 is None:
        return
    append, prepend = params.get("appendtext"), params.get("prependtext")
    sent = (
        (prepend or "") + (append or "") if append is not None or prepend is not None else params.get("text")
    )
    if hashlib.md5((sent or "").encode()).hexdigest() != md5.lower():
        raise ApiError("badmd5", "The supplied MD5 hash was incorrect.")


def _applied_tags(api) -> tuple[str, ...]:
    """The `tags` an editor asked for, if they may apply them (user-defined, active); else badtags."""
    wanted = api.params.list("tags")
    if not wanted:
        return ()
    access.require(api.user, "applychangetags")
    try:
        tags.applicable(wanted)
    except tags.TagError as exc:
        raise ApiError(exc.code, str(exc), **exc.extra) from None
    return tuple(wanted)


def spam_answer(refused: spam.Refusal, title: titles.Title) -> dict:
    """A refusal of the spam defence: ConfirmEdit's Failure with the CAPTCHA, else the API error."""
    if refused.challenge is not None:
        return {
            "edit": {"result": "Failure", "title": title.prefixed_text, "captcha": refused.challenge.as_api()}
        }
    if refused.code == "spamblacklist":
        raise ApiError("spamblacklist", refused.message, spamblacklist={"matches": list(refused.matches)})
    raise ApiError(refused.code, refused.message)


def _redirect_target(page):
    """`redirect=1`: edit the page a redirect points to (which may not exist yet)."""
    row = graph.redirect_of(page.id)
    if row is None:
        return pages.title_of(page), page
    target = titles.Title(
        row.namespace, row.title.replace("_", " "), ns_name=site.namespaces().name(row.namespace)
    )
    return target, pages.get(target)


def _new_text(api, current: Revision | None) -> tuple[str, str]:
    """The whole new text and the summary: `text`, or `prependtext`/`appendtext` around the stored
    text (then `text` is ignored, as in MediaWiki), of the page or of one `section`."""
    params = api.params
    old = current.text if current is not None else ""
    summary = params.get("summary", "")
    text = params.get("text")
    append, prepend = params.get("appendtext"), params.get("prependtext")
    adding = append is not None or prepend is not None
    undo = params.int("undo")
    if text is None and not adding and undo is None:
        raise ApiError(
            "missingparam",
            'At least one of the parameters "text", "appendtext", "prependtext" and "undo" is required.',
        )
    if undo is not None:
        return _undo_text(api, current, undo), summary
    try:
        section = sections.parse_section(params.get("section"))
    except ValueError:
        raise ApiError(
            "invalidsection", 'The "section" parameter must be a valid section ID or "new".'
        ) from None
    heading = ""
    if section == "new":
        heading = params.get("sectiontitle") or ""
        if not heading and summary:
            heading, summary = summary, ""  # MediaWiki: the summary names the new section
        if heading and not summary:
            summary = sections.new_section_summary(heading)
        existing = ""
    elif isinstance(section, int):
        if current is None and section == 0:
            existing = ""
        else:
            existing = sections.get(old, section)
            if existing is None:
                raise ApiError("nosuchsection", f"There is no section {section}.")
    else:
        existing = old
    new = (prepend or "") + existing + (append or "") if adding else text
    try:
        return sections.edited(old, section, new, heading), summary
    except sections.NoSuchSection:
        raise ApiError("nosuchsection", f"There is no section {section}.") from None


def _undo_text(api, current: Revision | None, undo: int) -> str:
    if current is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    rev = pages.revision(undo)
    if rev is None or rev.page_id != current.page_id:
        raise ApiError("nosuchrevid", f"There is no revision with ID {undo}.")
    after_id = api.params.int("undoafter")
    after = pages.revision(after_id) if after_id else pages.previous(rev)
    page = pages.get_by_id(current.page_id)
    text = pages.undo_text(page, rev, after)
    if text is None:
        raise ApiError("undofailure", "The edit could not be undone due to conflicting intermediate edits.")
    return text


def _base_revision(api, page, current: Revision | None) -> Revision | None:
    """The revision the client started from: the one current at `basetimestamp` (MediaWiki's semantics).

    Timestamps have whole seconds. When several revisions share that second the earliest is taken,
    so an edit made by someone else within the same second is a conflict (or a merge), never
    silently overwritten; the client's own later edits in that second never conflict.
    """
    when = api.params.timestamp("basetimestamp")
    if current is None or when is None:
        return current
    same_second = db.select(Revision).where(
        Revision.page_id == page.id,
        Revision.timestamp >= when,
        Revision.timestamp < when + timedelta(seconds=1),
    )
    found = db.session.scalars(same_second.order_by(Revision.id).limit(1)).first()
    if found is not None:
        return found
    return db.session.scalars(
        db.select(Revision)
        .where(Revision.page_id == page.id, Revision.timestamp < when)
        .order_by(Revision.id.desc())
        .limit(1)
    ).first()


def _only_own_edits_since(base_id: int | None, page, actor: pages.Actor) -> bool:
    if base_id is None or page is None:
        return False
    authors = set(
        db.session.scalars(
            db.select(Revision.user_text).where(Revision.page_id == page.id, Revision.id > base_id)
        )
    )
    return authors == {actor.name}


def _started(api):
    """`starttimestamp`: a page deleted after it is not silently re-created (unless `recreate`).

    The save checks the deletion log under the page's write lock, so the check is atomic with it."""
    when = api.params.timestamp("starttimestamp")
    if when is None or api.params.flag("recreate"):
        return None
    return when


@register("move", "Move a page.", params=MOVE, post=True, token="token")
def move(api) -> dict:
    params = api.params
    source = target_title(api, "from", "fromid")
    raw_to = params.get("to")
    if not raw_to:
        raise missing_param("to")
    target = parse_title(raw_to)
    if target.namespace < 0:
        raise ApiError("immobilenamespace", "You cannot move pages to that namespace.")
    reason = params.get("reason", "")
    leave_redirect = not params.flag("noredirect")
    if api.user is None:
        raise ApiError("cantmove-anon", "You must be a registered user and logged in to move a page.")
    seen = pages.get(source)
    if seen is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    access.require_move(api.user, source, target)
    if not leave_redirect and "suppressredirect" not in access.rights(api.user):
        leave_redirect = True
    wish = watching.requested(api, "move")
    access.require_rate(api, "move")
    refused = spam.check_move(api.user, access.client_ip(), target)
    if refused is not None:
        raise ApiError(refused.code, refused.message)
    from wiki.pages import moves

    actor = access.actor(api.user)
    try:
        outcome = moves.move(
            source, target, actor=actor, reason=reason, leave_redirect=leave_redirect, page_id=seen.id
        )
    except ValueError as exc:
        raise ApiError(getattr(exc, "code", "invalidtitle"), str(exc)) from None
    for moved in (source, target):  # MediaWiki watches (or unwatches) both titles
        watching.apply(api, moved.namespace, moved.dbkey, wish)
    out: dict = {"from": source.prefixed_text, "to": target.prefixed_text, "reason": reason}
    out["redirectcreated"] = outcome.redirect is not None
    out["moveoverredirect"] = bool(outcome.replaced_redirect)
    old_talk, new_talk = moves.talk_of(source), moves.talk_of(target)
    if params.flag("movetalk") and old_talk is not None and new_talk is not None and pages.get(old_talk):
        talk = _move_along(api, old_talk, new_talk, reason, leave_redirect)
        if "error" in talk:
            out["talkmove-errors"] = [talk["error"]]
        else:
            out.update(
                talkfrom=talk["from"], talkto=talk["to"], talkmoveoverredirect=talk["moveoverredirect"]
            )
    if params.flag("movesubpages"):
        out["subpages"] = _move_subpages(api, source, target, reason, leave_redirect)
        if params.flag("movetalk") and old_talk is not None and new_talk is not None:
            out["subpages-talk"] = _move_subpages(api, old_talk, new_talk, reason, leave_redirect)
    return {"move": out}


def _move_along(api, old: titles.Title, new: titles.Title, reason: str, leave_redirect: bool) -> dict:
    """Move a talk page or subpage with the main move; a refusal is reported, not raised."""
    from wiki.pages import moves

    try:
        access.require_move(api.user, old, new)
        done = moves.move(
            old, new, actor=access.actor(api.user), reason=reason, leave_redirect=leave_redirect
        )
    except ApiError as exc:
        return {
            "from": old.prefixed_text,
            "to": new.prefixed_text,
            "error": {"code": exc.code, "info": exc.info},
        }
    except ValueError as exc:
        code = getattr(exc, "code", "cantmove")
        return {"from": old.prefixed_text, "to": new.prefixed_text, "error": {"code": code, "info": str(exc)}}
    return {
        "from": old.prefixed_text,
        "to": new.prefixed_text,
        "moveoverredirect": bool(done.replaced_redirect),
    }


def _move_subpages(
    api, old: titles.Title, new: titles.Title, reason: str, leave_redirect: bool
) -> list[dict]:
    from wiki.pages import moves

    out = []
    for sub in moves.subpages(old):
        rest = sub.text[len(old.text) :]
        target = titles.Title(new.namespace, new.text + rest, ns_name=new.ns_name)
        out.append(_move_along(api, sub, target, reason, leave_redirect))
    return out


@register("delete", "Delete a page.", params=DELETE, post=True, token="token")
def delete(api) -> dict:
    title = target_title(api)
    reason = api.params.get("reason", "")
    access.require(api.user, "delete", title)
    if pages.get(title) is None:
        raise ApiError("missingtitle", "The page you specified doesn't exist.")
    wish = watching.requested(api, "delete")
    from wiki.pages import deletion

    try:
        log_id = deletion.delete(title, actor=access.actor(api.user), reason=reason)
    except ValueError as exc:
        raise ApiError("missingtitle", str(exc)) from None
    watching.apply(api, title.namespace, title.dbkey, wish)
    return {"delete": {"title": title.prefixed_text, "reason": reason, "logid": log_id}}
