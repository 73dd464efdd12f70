"""Revision deletion (MediaWiki's RevisionDelete): hide the text, edit summary and/or editor of
revisions of one page without deleting the page.

`revision.deleted` is MediaWiki's rev_deleted bitfield; the revision's recentchange row keeps its
own copy of the summary and the user, so its `deleted` changes with it, in the same transaction as
the `delete/revision` (or `suppress/revision`) log entry. Who may see a hidden part is `can_see`,
MediaWiki's RevisionRecord::userCanBitfield; readers hand it the reader's rights.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select, update

from wiki import logs, titles
from wiki.extensions import db
from wiki.models import Page, ParserCache, RecentChange, Revision, utcnow
from wiki.pages import locks, reads, revisions

TEXT, COMMENT, USER, RESTRICTED = 1, 2, 4, 8
# The API's names of the parts (hide=, show=) and their bits.
FIELDS: dict[str, int] = {"content": TEXT, "comment": COMMENT, "user": USER}
# What a reader without the right sees instead (MediaWiki's rev-deleted-* messages).
REMOVED = {TEXT: "(content removed)", COMMENT: "(edit summary removed)", USER: "(username removed)"}


def can_see(bits: int, part: int, rights: Collection[str]) -> bool:
    """Whether a holder of `rights` may see `part` (TEXT, COMMENT or USER) of a revision with these
    deletion bits: suppressed parts need suppressrevision or viewsuppressed, hidden text
    deletedtext, a hidden summary or user deletedhistory."""
    if not bits & part:
        return True
    if bits & RESTRICTED:
        return "suppressrevision" in rights or "viewsuppressed" in rights
    return ("deletedtext" if part & TEXT else "deletedhistory") in rights


def public(bits: int, part: int) -> bool:
    """Whether `part` is shown to everyone (feeds and caches shared by all readers)."""
    return not bits & part


def user_mask(rights: Collection[str]) -> int | None:
    """The bits that, all set, hide a revision from lists by user for this reader (MediaWiki's
    ContribsPager): USER without deletedhistory, USER|RESTRICTED without the suppression rights."""
    if "suppressrevision" in rights or "viewsuppressed" in rights:
        return None
    return USER | RESTRICTED if "deletedhistory" in rights else USER


def changes(added: int, removed: int) -> list[str]:
    """What a change of bits did, in MediaWiki's words for the log ("content hidden", ...)."""
    words = []
    for part, word in ((TEXT, "content"), (COMMENT, "edit summary"), (USER, "username")):
        if added & part:
            words.append(f"{word} hidden")
        elif removed & part:
            words.append(f"{word} unhidden")
    if added & RESTRICTED:
        words.append("applied restrictions to administrators")
    elif removed & RESTRICTED:
        words.append("removed restrictions for administrators")
    return words


# MediaWiki's message texts for the item statuses (keys as MediaWiki's; $1 date, $2 time).
MESSAGES = {
    "revdelete-hide-current": "Error hiding the item dated $2, $1: This is the current revision.\n"
    "It cannot be hidden.",
    "revdelete-show-no-access": "Error showing the item dated $2, $1: This item has been marked "
    '"restricted".\nYou do not have access to it.',
    "revdelete-modify-no-access": "Error modifying the item dated $2, $1: This item has been marked "
    '"restricted".\nYou do not have access to it.',
    "revdelete-modify-missing": "Error modifying item ID $1: It is missing from the database!",
    "revdelete-no-change": "<strong>Warning:</strong> The item dated $2, $1 already had the requested "
    "visibility settings.",
    "revdelete-only-restricted": "Error hiding the item dated $2, $1: You cannot suppress items from view by "
    "administrators without also selecting one of the other visibility options.",
}


def message(key: str, params: Sequence[object]) -> str:
    """A per-item status in words."""
    text = MESSAGES.get(key, key)
    for n, value in enumerate(params, start=1):
        text = text.replace(f"${n}", str(value))
    return text


def revisions_of(title: titles.Title, ids: Iterable[str]) -> list[Revision]:
    """The revisions of the page at `title` among these ids, newest first."""
    numeric = [int(i) for i in ids if i.isdigit() and len(i) < 12]
    if not numeric:
        return []
    return list(
        db.session.scalars(
            select(Revision)
            .join(Page, Page.id == Revision.page_id)
            .where(Page.namespace == title.namespace, Page.title == title.dbkey, Revision.id.in_(numeric))
            .order_by(Revision.id.desc())
        )
    )


class RevDelError(ValueError):
    """The request as a whole cannot be done; `code` is MediaWiki's API error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ItemStatus:
    """One requested id and what became of it: `errors`/`warnings` as (message key, params)."""

    id: int | str
    errors: list[tuple[str, Sequence[object]]] = field(default_factory=list)
    warnings: list[tuple[str, Sequence[object]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Item(ItemStatus):
    """A requested revision."""

    revision: Revision | None = None


@dataclass
class Outcome:
    """What `change` did: the page, each item, and the log entry (None when nothing changed)."""

    title: titles.Title
    items: list[Item]
    log_id: int | None = None

    @property
    def changed(self) -> int:
        return sum(1 for item in self.items if item.ok and not item.warnings)


def new_bits(old: int, value: Mapping[int, int]) -> int:
    """MediaWiki's extractBitfield: each bit set (1), cleared (0) or left as it was (-1)."""
    bits = old
    for bit, want in value.items():
        if want == 1:
            bits |= bit
        elif want == 0:
            bits &= ~bit
    return bits


def suggest_target(ids: Iterable[str], given: titles.Title | None) -> titles.Title | None:
    """The page the revisions belong to (as MediaWiki: the first id that exists decides), else `given`."""
    numeric = [int(i) for i in ids if i.isdigit() and len(i) < 12]
    if numeric:
        page = db.session.scalars(
            select(Page).join(Revision, Revision.page_id == Page.id).where(Revision.id == numeric[0])
        ).first()
        if page is not None:
            return reads.title_of(page)
    return given


def stamp(when: datetime) -> list[str]:
    """The date and time MediaWiki's revdelete-* messages name an item by."""
    return [f"{when.day} {when:%B %Y}", f"{when:%H:%M}"]


def change(
    title: titles.Title,
    ids: list[str],
    value: Mapping[int, int],
    *,
    actor: revisions.Actor,
    rights: Collection[str],
    reason: str = "",
) -> Outcome:
    """Set the deletion bits of these revisions of `title` (bit -> 1 set, 0 clear, -1 keep) and log
    it, in one transaction; items that cannot change say why (MediaWiki's per-item statuses)."""

    def work() -> Outcome:
        page = locks.page_for_update(title)
        wanted = list(dict.fromkeys(ids))
        numeric = [int(i) for i in wanted if i.isdigit() and len(i) < 12]
        rows: dict[int, Revision] = {}
        if page is not None and numeric:
            rows = {
                r.id: r
                for r in db.session.scalars(
                    select(Revision).where(Revision.page_id == page.id, Revision.id.in_(numeric))
                )
            }
        items: list[Item] = []
        changed: list[tuple[Revision, int, int]] = []
        for raw in wanted:
            rev = rows.get(int(raw)) if raw.isdigit() and len(raw) < 12 else None
            item = Item(int(raw) if raw.isdigit() and len(raw) < 12 else raw, revision=rev)
            items.append(item)
            if rev is None or page is None:
                item.errors.append(("revdelete-modify-missing", [item.id]))
                continue
            old = rev.deleted or 0
            new = new_bits(old, value)
            dated = stamp(rev.timestamp)
            if old == new:
                item.warnings.append(("revdelete-no-change", dated))
            elif new & TEXT and rev.id == page.latest:
                item.errors.append(("revdelete-hide-current", dated))
            elif not can_see(old, RESTRICTED, rights):
                key = "revdelete-show-no-access" if new == 0 else "revdelete-modify-no-access"
                item.errors.append((key, dated))
            elif new == RESTRICTED:
                item.warnings.append(("revdelete-only-restricted", dated))
            else:
                changed.append((rev, old, new))
        if page is None or not changed:
            return Outcome(title, items)
        added = removed = 0
        for rev, old, new in changed:
            db.session.execute(update(Revision).where(Revision.id == rev.id).values(deleted=new))
            db.session.execute(update(RecentChange).where(RecentChange.rev_id == rev.id).values(deleted=new))
            rev.deleted = new
            added |= (old ^ new) & new
            removed |= (old ^ new) & old
        # Histories and diffs shown from caches must be read again; a hidden current editor must
        # leave the cached HTML ({{REVISIONUSER}}).
        db.session.execute(update(Page).where(Page.id == page.id).values(touched=utcnow()))
        if any(rev.id == page.latest for rev, _old, _new in changed):
            db.session.execute(delete(ParserCache).where(ParserCache.page_id == page.id))
        suppressed = any((old | new) & RESTRICTED for _rev, old, new in changed)
        entry = logs.record(
            "suppress" if suppressed else "delete",
            "revision",
            namespace=title.namespace,
            title=title.dbkey,
            actor=actor,
            comment=reason,
            page_id=page.id,
            params={
                "type": "revision",
                "ids": [rev.id for rev, _old, _new in changed],
                "ofield": removed,
                "nfield": added,
            },
            rc=not suppressed,
        )
        db.session.flush()
        return Outcome(title, items, entry.id)

    return locks.write(
        [locks.key(title)],
        work,
        what=f"revision deletion on {title}",
        give_up=RevDelError("revdelete-concurrent-change", "Other changes got in the way; try again."),
    )
