"""Change tags: the software's own (set by looking at an edit) and those users define at Special:Tags;
defining, deleting, (de)activating them and adding or removing them on changes, each logged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, false, func, or_, select

from wiki import logs, recent
from wiki.extensions import db
from wiki.models import ChangeTag, ChangeTagDef, LogEntry, RecentChange, Revision
from wiki.pages import revisions

# name -> (display name, description), as MediaWiki 1.39 words them.
SOFTWARE: dict[str, tuple[str, str]] = {
    "mw-blank": ("Blanking", "Edits that blank a page"),
    "mw-changed-redirect-target": ("Redirect target changed", "Edits that change the target of a redirect"),
    "mw-new-redirect": ("New redirect", "Edits that create a new redirect or change a page into a redirect"),
    "mw-removed-redirect": ("Removed redirect", "Edits that change an existing redirect to a non-redirect"),
    "mw-replace": ("Replaced", "Edits that remove more than 90% of the content of a page"),
    "mw-rollback": ("Rollback", "Edits that roll back previous edits using the rollback link"),
    "mw-undo": ("Undo", "Edits that undo previous edits"),
    "mw-manual-revert": ("Manual revert", "Edits that manually restore the page to an exact previous state"),
}
MAX_NAME = 255
MAX_PER_REQUEST = 50


class TagError(ValueError):
    """Refused; `code` is MediaWiki's API error code."""

    def __init__(self, code: str, info: str, **extra: object) -> None:
        super().__init__(info)
        self.code = code
        self.extra = extra


@dataclass(frozen=True)
class TagInfo:
    name: str
    displayname: str
    description: str
    hitcount: int
    source: str  # "manual" (defined by a user) or "software"
    active: bool


def _hits(names: list[str] | None = None) -> dict[str, int]:
    query = select(ChangeTag.tag, func.count(ChangeTag.id)).group_by(ChangeTag.tag)
    if names is not None:
        query = query.where(ChangeTag.tag.in_(names))
    return {name: count for name, count in db.session.execute(query)}


def all_tags() -> list[TagInfo]:
    """Every tag that exists or was used, by name: the software's, user-defined, and undefined ones."""
    user_defined = {
        d.name: d for d in db.session.scalars(select(ChangeTagDef).where(ChangeTagDef.user_defined))
    }
    hits = _hits()
    out = []
    for name in sorted(set(SOFTWARE) | set(user_defined) | set(hits)):
        display, about = SOFTWARE.get(name, (name, ""))
        row = user_defined.get(name)
        out.append(
            TagInfo(
                name=name,
                displayname=display,
                description=about,
                hitcount=hits.get(name, 0),
                source="manual" if row is not None else "software",
                active=row.active if row is not None else name in SOFTWARE,
            )
        )
    return out


def applicable(names: list[str]) -> None:
    """Raise `badtags` unless every name is a user-defined, active tag (what editors may apply)."""
    if len(names) > MAX_PER_REQUEST:
        raise TagError("toomanyvalues", f"Too many tags: at most {MAX_PER_REQUEST}.")
    ok = set(
        db.session.scalars(
            select(ChangeTagDef.name).where(
                ChangeTagDef.name.in_(names), ChangeTagDef.user_defined, ChangeTagDef.active
            )
        )
    )
    bad = [n for n in names if n not in ok]
    if bad:
        which = ", ".join(f'"{n}"' for n in bad)
        raise TagError(
            "badtags",
            f"The tag {which} is not allowed to be manually applied."
            if len(bad) == 1
            else f"The following tags are not allowed to be manually applied: {which}.",
            disallowedtags=bad,
        )


def _valid_new_name(name: str) -> None:
    if not name or len(name) > MAX_NAME:
        raise TagError("tags-create-no-name", "You must specify a tag name (at most 255 bytes).")
    if any(c in name for c in ",|/") or any(ord(c) < 32 for c in name):
        raise TagError(
            "tags-create-invalid-chars", "Tag names must not contain commas (,), pipes (|), or slashes (/)."
        )
    if name in SOFTWARE or name.startswith("mw-"):
        raise TagError("tags-create-already-exists", f'The tag "{name}" already exists.')


def manage(operation: str, name: str, *, actor: revisions.Actor, reason: str = "") -> int:
    """create, delete, activate or deactivate a user-defined tag; returns the log id."""
    row = db.session.get(ChangeTagDef, name)
    if operation == "create":
        _valid_new_name(name)
        if row is not None or _hits([name]):
            raise TagError("tags-create-already-exists", f'The tag "{name}" already exists.')
        db.session.add(ChangeTagDef(name=name, user_defined=True, active=True))
    elif name in SOFTWARE or (row is not None and not row.user_defined):
        raise TagError(f"tags-{operation}-not-allowed", f'The tag "{name}" is defined by the software.')
    elif row is None and operation != "delete":
        raise TagError(f"tags-{operation}-not-found", f'The tag "{name}" does not exist.')
    elif operation == "delete":
        if row is None and not _hits([name]):
            raise TagError("tags-delete-not-found", f'The tag "{name}" does not exist.')
        db.session.execute(delete(ChangeTag).where(ChangeTag.tag == name))
        if row is not None:
            db.session.delete(row)
    elif operation in ("activate", "deactivate"):
        assert row is not None
        if row.active == (operation == "activate"):
            raise TagError(
                f"tags-{operation}-not-allowed",
                f'The tag "{name}" is already {"active" if row.active else "inactive"}.',
            )
        row.active = operation == "activate"
    else:
        raise TagError("badvalue", f'Unrecognized value for parameter "operation": {operation}.')
    entry = logs.record(
        "managetags", operation, namespace=-1, title="Tags", actor=actor, comment=reason, params={"tag": name}
    )
    log_id: int = entry.id
    db.session.commit()
    return log_id


@dataclass
class Target:
    """A change to tag: its recent-changes row, revision and/or log entry (what exists of them)."""

    rc_id: int | None
    rev_id: int | None
    log_id: int | None


def target(
    *, rc_id: int | None = None, rev_id: int | None = None, log_id: int | None = None
) -> Target | None:
    """Find the change one of the ids names, with its other ids; None when it does not exist."""
    if rc_id is not None:
        rc = db.session.get(RecentChange, rc_id)
        return Target(rc.id, rc.rev_id, rc.log_id) if rc is not None else None
    if rev_id is not None:
        if db.session.get(Revision, rev_id) is None:
            return None
        rc_row = db.session.scalars(select(RecentChange.id).where(RecentChange.rev_id == rev_id)).first()
        return Target(rc_row, rev_id, None)
    if log_id is not None:
        if db.session.get(LogEntry, log_id) is None:
            return None
        rc_row = db.session.scalars(select(RecentChange.id).where(RecentChange.log_id == log_id)).first()
        return Target(rc_row, None, log_id)
    return None


def _rows_of(change: Target) -> ColumnElement[bool]:
    conds = [
        column == value
        for column, value in (
            (ChangeTag.rev_id, change.rev_id),
            (ChangeTag.log_id, change.log_id),
            (ChangeTag.rc_id, change.rc_id),
        )
        if value is not None
    ]
    return or_(*conds) if conds else false()


def on(change: Target) -> set[str]:
    """The tags a change has."""
    return set(db.session.scalars(select(ChangeTag.tag).where(_rows_of(change))))


def update(
    change: Target, add: list[str], remove: list[str], *, actor: revisions.Actor, reason: str = ""
) -> tuple[list[str], list[str], int | None]:
    """Add and remove tags on a change, logged (tag/update); returns (added, removed, log id)."""
    if add:
        applicable(add)
    have = on(change)
    added = [t for t in dict.fromkeys(add) if t not in have]
    removed = [t for t in dict.fromkeys(remove) if t in have]
    if not added and not removed:
        return [], [], None
    recent.add_tags(added, rc_id=change.rc_id, rev_id=change.rev_id, log_id=change.log_id)
    if removed:
        db.session.execute(delete(ChangeTag).where(ChangeTag.tag.in_(removed), _rows_of(change)))
    entry = logs.record(
        "tag",
        "update",
        namespace=-1,
        title="Tags",
        actor=actor,
        comment=reason,
        params={"revid": change.rev_id, "logid": change.log_id, "added": added, "removed": removed},
        rc=False,
    )
    db.session.commit()
    return added, removed, entry.id
