"""Moving (renaming) a page, as MediaWiki does it.

The page row keeps its id, so its whole history follows it to the new title. A null revision
records the move in that history; by default a redirect is left at the old title. Moving onto an
existing page is refused unless that page is only a redirect back to the source with a single
revision (it is then archived to make way, as MediaWiki deletes it). The title change, the
redirect, the links tables, the parser cache of both titles and of the pages linking to them,
the log entry and the search outbox rows commit in one transaction; the search index follows
after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from wiki import logs, pages, site, titles
from wiki.access import protection
from wiki.extensions import db
from wiki.markup import redirect
from wiki.models import LogEntry, Page, Redirect, utcnow
from wiki.pages import deletion, derive, graph, locks, reads, revisions
from wiki.pages import linktables as links


class MoveError(ValueError):
    """A move that cannot be done; the message says why, in words a user can act on.

    `code` is the MediaWiki API error code for the reason (articleexists, missingtitle, selfmove,
    immobilenamespace, nonfilenamespace, mustbeloggedin, ...) and `status` the HTTP status for it.
    """

    STATUS = {
        "articleexists": 409,
        "editconflict": 409,
        "missingtitle": 404,
        "mustbeloggedin": 403,
        "protectedpage": 403,
    }

    def __init__(self, message: str, code: str = "invalidtitle") -> None:
        super().__init__(message)
        self.code = code
        self.status = self.STATUS.get(code, 400)


@dataclass
class MoveResult:
    page: Page  # the moved page, now at `new`
    old: titles.Title
    new: titles.Title
    redirect: Page | None  # the redirect left at the old title
    log: LogEntry
    replaced_redirect: bool = False  # a redirect at the new title was archived to make way
    fixed_redirects: list[titles.Title] = field(default_factory=list)  # now pointing at `new`


def check_titles(old: titles.Title, new: titles.Title) -> None:
    """Raise MoveError when no page could ever be moved from `old` to `new`."""
    if old.namespace < 0 or new.namespace < 0:
        raise MoveError(
            "Special pages cannot be moved, and no page can be moved to the Special namespace.",
            "immobilenamespace",
        )
    if new.interwiki:
        raise MoveError(
            f'"{new}" is on another wiki; a page can only be moved within this wiki.', "invalidtitle"
        )
    if new.fragment:
        raise MoveError(
            f'The new title "{new}#{new.fragment}" names a section; give a title without "#".', "invalidtitle"
        )
    if (old.namespace, old.dbkey) == (new.namespace, new.dbkey):
        raise MoveError(
            f'The source and destination titles are the same ("{old}"); a page cannot be moved onto itself.',
            "selfmove",
        )
    if (old.namespace == titles.FILE) != (new.namespace == titles.FILE):
        raise MoveError(
            "Files can only be moved within the File namespace, and other pages cannot move into it.",
            "nonfilenamespace",
        )


def move(
    old: titles.Title,
    new: titles.Title,
    *,
    actor: revisions.Actor,
    reason: str = "",
    leave_redirect: bool = True,
    fix_redirects: bool = False,
    page_id: int | None = None,
) -> MoveResult:
    """Move the page at `old` to `new`; raises MoveError (nothing changed) when it cannot be moved.

    `page_id`: the page the mover saw at `old`; if another page is there by the time the move
    holds the lock (a concurrent move left a redirect), the move is refused as an edit conflict.
    With `fix_redirects`, redirects that pointed at `old` are then saved to point at `new`, so no
    reader lands on a double (or, without a redirect left behind, a broken) redirect.
    """
    if actor.user_id is None:
        raise MoveError("You must be logged in to move pages.", "mustbeloggedin")
    check_titles(old, new)
    # Render the moved page's text at its new title before taking the lock (derive renders again
    # if the text changed meanwhile).
    seen = pages.get(old)
    current = pages.latest(seen) if seen is not None and seen.latest else None
    prepared = derive.prepare(new, current.text, utcnow()) if current is not None else None
    result = locks.write(
        [locks.key(old), locks.key(new)],
        lambda: _move_once(old, new, actor, reason.strip(), leave_redirect, page_id, prepared),
        what=f"move of {old}",
        give_up=MoveError(
            f'"{old}" could not be moved because other changes got in the way; please try again.',
            "editconflict",
        ),
    )
    ids = [result.page.id] + ([result.redirect.id] if result.redirect is not None else [])
    derive.after_commit(ids)
    if fix_redirects:
        result.fixed_redirects = retarget_redirects(old, new, actor=actor)
    return result


def _move_once(
    old: titles.Title,
    new: titles.Title,
    actor: revisions.Actor,
    reason: str,
    leave_redirect: bool,
    page_id: int | None,
    prepared: derive.Prepared | None,
) -> MoveResult:
    page = locks.page_for_update(old)
    if page is None or not page.latest:
        raise MoveError(f'The page "{old}" does not exist, so it cannot be moved.', "missingtitle")
    if page_id is not None and page.id != page_id:
        raise MoveError(
            f'The page "{old}" was moved or replaced while you were moving it; reload and check '
            "whether it still needs moving.",
            "editconflict",
        )
    replaced = _make_way(page, old, new, actor)
    comment = f"{actor.name} moved page [[{old}]] to [[{new}]]" + (f": {reason}" if reason else "")
    page.namespace, page.title = new.namespace, new.dbkey
    db.session.flush()
    stamp = prepared.timestamp if prepared is not None else utcnow()
    text = reads.current_revision(page).text  # under the lock, page.latest checked above
    null_rev = revisions.make(page, text, actor, comment=comment, minor=True, timestamp=stamp)
    # For the link graph the new title has just appeared: links to it turn blue.
    derive.derive(page, new, null_rev, created=False, appeared=True, prepared=prepared)
    redirect = None
    if leave_redirect:
        redirect = Page(namespace=old.namespace, title=old.dbkey, latest=None, length=0)
        db.session.add(redirect)
        db.session.flush()
        rev = revisions.make(redirect, redirect_text(new), actor, comment=comment, minor=False)
        derive.derive(redirect, old, rev, created=True)
    else:
        links.title_vanished(old.namespace, old.dbkey)
    entry = logs.record(
        "move",
        "move_redir" if replaced else "move",
        namespace=old.namespace,
        title=old.dbkey,
        actor=actor,
        comment=reason,
        page_id=page.id,
        params={"target": new.prefixed_text, "noredir": not leave_redirect},
    )
    if redirect is not None:
        protection.copy_to_redirect(page.id, redirect.id, old, new, actor=actor, reason=reason)
    # The answer shows these rows as moved: detached, they are not reloaded after the commit.
    db.session.flush()
    for row in (page, redirect, entry):
        if row is not None:
            db.session.expunge(row)
    return MoveResult(page, old, new, redirect, entry, replaced)


def retarget_redirects(old: titles.Title, new: titles.Title, *, actor: revisions.Actor) -> list[titles.Title]:
    """Save every redirect to `old` so it points at `new` (MediaWiki's $wgFixDoubleRedirects)."""
    sources = list(
        db.session.scalars(
            db.select(Page)
            .join(Redirect, Redirect.page_id == Page.id)
            .where(Redirect.namespace == old.namespace, Redirect.title == old.dbkey)
            .where(db.or_(Page.namespace != new.namespace, Page.title != new.dbkey))
        )
    )
    fixed = []
    target = redirect_text(new)[len("#REDIRECT [[") : -2]
    for page in sources:
        rev = reads.current_revision(page)
        text = _retarget(rev.text, target)
        if text is None or text == rev.text:
            continue
        title = pages.title_of(page)
        summary = f"Fixing redirect after the move of [[{old}]] to [[{new}]]"
        if pages.save(title, text, actor=actor, summary=summary, base_rev_id=rev.id).ok:
            fixed.append(title)
    return fixed


def _retarget(text: str, target: str) -> str | None:
    """The redirect `text` pointing at `target` instead, keeping any #section and label."""
    link = redirect.find(text)
    if link is None:
        return None
    written = text[link.start : link.stop]
    fragment = written[written.index("#") :] if "#" in written else ""
    return text[: link.start] + target + fragment + text[link.stop :]


def redirect_text(target: titles.Title) -> str:
    """The text MediaWiki writes for a redirect (a colon keeps category and file links plain)."""
    colon = ":" if target.namespace in (titles.CATEGORY, titles.FILE) else ""
    return f"#REDIRECT [[{colon}{target.prefixed_text}]]"


def _make_way(page: Page, old: titles.Title, new: titles.Title, actor: revisions.Actor) -> bool:
    """Archive a redirect at `new` that points back at the source; refuse any other page there."""
    existing = locks.page_for_update(new)
    if existing is None:
        return False
    target = graph.redirect_of(existing.id)
    points_back = target is not None and (target.namespace, target.title) == (old.namespace, old.dbkey)
    if not points_back or pages.revision_count(existing) > 1:
        raise MoveError(
            f'A page named "{new}" already exists. It can only be replaced by a move when it is a '
            f'redirect to "{old}" that was never edited; choose another name, or ask an administrator '
            "to delete it first.",
            "articleexists",
        )
    if protection.protected_in_force(existing.id):
        raise MoveError(
            f'"{new}" is protected: a move cannot replace it. Lift its protection first, or choose '
            "another name.",
            "protectedpage",
        )
    existing_id = existing.id
    deletion.remove(existing, new)
    logs.record(
        "delete",
        "delete_redir",
        namespace=new.namespace,
        title=new.dbkey,
        actor=actor,
        comment=f"Deleted to make way for move from [[{old}]]",
        page_id=existing_id,
    )
    return True


# MediaWiki's $wgMaximumMovedPages: how many subpages one move takes along.
MAX_SUBPAGES = 100


def subpages(title: titles.Title, limit: int = MAX_SUBPAGES) -> list[titles.Title]:
    """The existing subpages of `title` ("Title/..."), in title order, at most `limit`."""
    prefix = title.dbkey + "/"
    rows = db.session.scalars(
        select(Page.title)
        .where(Page.namespace == title.namespace, Page.title.startswith(prefix, autoescape=True))
        .order_by(Page.title)
        .limit(limit)
    )
    ns_name = site.namespaces().name(title.namespace)
    return [titles.Title(title.namespace, key.replace("_", " "), ns_name=ns_name) for key in rows]


def talk_of(title: titles.Title) -> titles.Title | None:
    """The talk page's title of a subject page (None for talk pages and special namespaces)."""
    if title.namespace < 0 or title.namespace % 2:
        return None
    ns = title.namespace + 1
    return titles.Title(ns, title.text, ns_name=site.namespaces().name(ns))
