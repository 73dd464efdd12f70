"""Who may do what: MediaWiki's groups and rights, page protections, blocks and site settings.

Groups as MediaWiki names them, with their rights in GROUP_RIGHTS: the implicit `*` (everyone,
anonymous readers included), `user` (every account) and `autoconfirmed` (accounts at least
WIKI_AUTOCONFIRM_DAYS old with WIKI_AUTOCONFIRM_EDITS edits); and the explicit `bot`, `sysop`,
`bureaucrat` and `rollbacker`, given with an optional expiry (user_groups; wiki.access.groups).

`can(user, right, title)` answers None when allowed, else a `Denied` reason: a str a person can
read, carrying `code`, the MediaWiki API error code (permissiondenied, protectedpage, blocked,
cantcreate, ...), so the web layer and the API give the same answer for the same reason.

Nothing here reads the request: the caller passes the client's IP (`ip=`) so IP blocks apply.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from wiki import recent, titles
from wiki.access import blocks, protection, request_memo
from wiki.extensions import db
from wiki.models import Revision, utcnow

# The one table of groups and their rights (MediaWiki's $wgGroupPermissions, with a `rollbacker` group).
GROUP_RIGHTS: dict[str, frozenset[str]] = {
    "*": frozenset(
        {
            "read",
            "edit",
            "createpage",
            "createtalk",
            "createaccount",
            "writeapi",
            "viewmywatchlist",
            "editmywatchlist",
            "viewmyprivateinfo",
            "editmyprivateinfo",
            "editmyoptions",
        }
    ),
    "user": frozenset(
        {
            "read",
            "edit",
            "createpage",
            "createtalk",
            "writeapi",
            "move",
            "move-subpages",
            "move-rootuserpages",
            "move-categorypages",
            "movefile",
            "upload",
            "reupload",
            "minoredit",
            "purge",
            "sendemail",
            "editmyoptions",
            "editmyprivateinfo",
            "changepassword",
            "applychangetags",
            "changetags",  # a new version of an existing file
        }
    ),
    "autoconfirmed": frozenset({"autoconfirmed", "editsemiprotected"}),
    "bot": frozenset(
        {
            "bot",
            "autoconfirmed",
            "editsemiprotected",
            "nominornewtalk",
            "autopatrol",
            "suppressredirect",
            "apihighlimits",
            "noratelimit",
            "writeapi",
        }
    ),
    "sysop": frozenset(
        {
            "block",
            "createaccount",
            "delete",
            "bigdelete",
            "deletedhistory",
            "deletedtext",
            "deleterevision",  # not in MediaWiki 1.39's defaults (there: the suppress group only)
            "deletelogentry",  # hide parts of log entries (Special:Log, action=revisiondelete&type=logging)
            "undelete",
            "browsearchive",
            "editinterface",
            "editprotected",
            "protect",
            "move",
            "move-subpages",
            "move-rootuserpages",
            "move-categorypages",
            "movefile",
            "suppressredirect",
            "rollback",
            "markbotedits",
            "managechangetags",
            "deletechangetags",
            "patrol",
            "autopatrol",
            "upload",
            "reupload",
            "autoconfirmed",
            "editsemiprotected",
            "unblockself",
            "ipblock-exempt",
            "noratelimit",
            "apihighlimits",
            "unwatchedpages",
            "skipcaptcha",
            "tboverride",
            "spamblacklistlog",
            "titleblacklistlog",
        }
    ),
    "bureaucrat": frozenset({"userrights", "noratelimit"}),
    "rollbacker": frozenset({"rollback"}),
    # MediaWiki 1.39's default suppress group (revision deletion, hidden from administrators too).
    "suppress": frozenset(
        {
            "hideuser",
            "suppressrevision",
            "viewsuppressed",
            "suppressionlog",
            "deleterevision",
            "deletelogentry",
        }
    ),
}
IMPLICIT_GROUPS = ("*", "user", "autoconfirmed")
# Groups given to accounts (Special:UserRights, action=userrights, `flask set-groups`), in MediaWiki's order.
EXPLICIT_GROUPS = tuple(g for g in GROUP_RIGHTS if g not in IMPLICIT_GROUPS)

# Protection level -> the right needed to edit/move such a page (MediaWiki's $wgRestrictionLevels).
LEVEL_RIGHT = {"autoconfirmed": "editsemiprotected", "sysop": "editprotected"}
# Rights a block takes away (MediaWiki: blocked users may still read and log in).
BLOCKED_RIGHTS = frozenset(
    {"edit", "createpage", "createtalk", "move", "delete", "undelete", "protect", "block", "createaccount"}
    | {"upload", "reupload", "deleterevision", "deletelogentry"}
)
# Rights that act on a page, so its protection applies: right -> protection type.
PROTECTED_BY = {"edit": "edit", "createpage": "create", "createtalk": "create", "move": "move"}
PROTECTED_BY |= {"upload": "edit", "reupload": "edit"}  # a protected file page refuses new versions
# Rights that change a page: in the MediaWiki namespace they need editinterface ($wgNamespaceProtection).
CHANGES_PAGE = frozenset({*PROTECTED_BY, "delete", "undelete", "protect"})
# Who a right is given to, for "limited to users in the group" messages.
GROUP_NAMES = {
    "*": "All users",
    "user": "Users",
    "autoconfirmed": "Autoconfirmed users",
    "bot": "Bots",
    "sysop": "Administrators",
    "bureaucrat": "Bureaucrats",
    "rollbacker": "Rollbackers",
    "suppress": "Suppressors",
}
# One member of a group, as MediaWiki's group-X-member messages say it.
MEMBER_NAMES = {
    "*": "all users",
    "user": "user",
    "autoconfirmed": "autoconfirmed user",
    "bot": "bot",
    "sysop": "administrator",
    "bureaucrat": "bureaucrat",
    "rollbacker": "rollbacker",
}


class Denied(str):
    """A reason for refusing an action, with the MediaWiki API error code in `code` (and, for
    cascading protection, the protecting pages in `sources`)."""

    code: str
    sources: tuple[str, ...]

    def __new__(cls, message: str, code: str = "permissiondenied", sources: tuple[str, ...] = ()) -> Denied:
        obj = super().__new__(cls, message)
        obj.code = code
        obj.sources = sources
        return obj


def _is_account(user: object | None) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def explicit_groups(user: object | None) -> list[str]:
    """The groups the account was given (bot, sysop, ...) whose membership has not expired."""
    if not _is_account(user):
        return []
    return [g for g in getattr(user, "group_list", []) if g in EXPLICIT_GROUPS]


def implicit_groups(user: object | None) -> list[str]:
    """`*` for everyone; `user` for accounts; `autoconfirmed` once old enough with enough edits."""
    if not _is_account(user):
        return ["*"]
    return ["*", "user", "autoconfirmed"] if is_autoconfirmed(user) else ["*", "user"]


def groups_for(user: object | None) -> list[str]:
    """MediaWiki's userinfo groups: the explicit ones (bot, sysop, ...), then the implicit ones."""
    return [*explicit_groups(user), *implicit_groups(user)]


def is_autoconfirmed(user: object | None) -> bool:
    """MediaWiki's $wgAutoConfirmAge and $wgAutoConfirmCount: an account at least
    WIKI_AUTOCONFIRM_DAYS old with at least WIKI_AUTOCONFIRM_EDITS edits. Other accounts (and
    anonymous users) are "newbies" to the rate limits."""
    if user is None or not _is_account(user):
        return False
    cfg = current_app.config
    created: datetime | None = getattr(user, "created", None)
    if created is not None and created > utcnow() - timedelta(days=cfg["WIKI_AUTOCONFIRM_DAYS"]):
        return False
    user_id: int | None = getattr(user, "id", None)
    memo = request_memo.get("autoconfirmed")
    if memo is not None and user_id in memo:
        return bool(memo[user_id])
    needed = int(cfg["WIKI_AUTOCONFIRM_EDITS"])
    if needed <= 0 or user_id is None:
        return needed <= 0
    first = select(Revision.id).where(Revision.user_id == user_id).limit(needed).subquery()
    enough = int(db.session.execute(select(func.count()).select_from(first)).scalar_one()) >= needed
    if memo is not None:
        memo[user_id] = enough
    return enough


def rights_for(user: object | None) -> list[str]:
    """Every right the user's groups give, sorted, as the API's userinfo `rights` lists them."""
    rights: set[str] = set()
    for group in groups_for(user):
        rights |= GROUP_RIGHTS[group]
    cfg = current_app.config
    if not _is_account(user):
        if not cfg["WIKI_ANON_EDIT"]:
            rights -= {"edit", "createpage", "createtalk"}
    if not cfg["WIKI_ACCOUNT_CREATION"] and "sysop" not in groups_for(user):
        rights.discard("createaccount")
    return sorted(rights)


def bot_flag(user: object | None, requested: bool) -> bool:
    """Whether a change is a bot change in recent changes: asked for (the request's `bot`) and the
    user has the `bot` right. For logged actions MediaWiki asks for it unless the request says
    bot=0; for API edits only with bot=1."""
    return requested and "bot" in rights_for(user)


def edit_flags(user: object | None, requested_bot: bool, tags: tuple[str, ...] = ()) -> recent.Flags:
    """How an edit is marked in recent changes: a bot edit only when asked for and the editor has the
    `bot` right; autopatrolled when the editor has `autopatrol` (MediaWiki's rules). Every edge that
    saves a page asks this one function."""
    return recent.Flags(
        bot=bot_flag(user, requested_bot), autopatrol="autopatrol" in rights_for(user), tags=tags
    )


def groups_with_right(right: str) -> list[str]:
    """The groups (by id) that give `right`, in the table's order."""
    return [g for g, rights in GROUP_RIGHTS.items() if right in rights]


def _groups_with(right: str) -> list[str]:
    return [GROUP_NAMES.get(g, g) for g, rights in GROUP_RIGHTS.items() if right in rights and g != "*"]


def _missing_right(user: object | None, right: str) -> Denied:
    if right in ("edit", "createpage", "createtalk") and not _is_account(user):
        if not current_app.config["WIKI_ANON_EDIT"]:
            return Denied(
                "Anonymous editing is disabled on this wiki. Please log in to edit.", "permissiondenied"
            )
    if right == "createaccount":
        return Denied("Account creation is disabled on this wiki.", "permissiondenied")
    groups = _groups_with(right)
    who = ", ".join(groups) if groups else "nobody"
    return Denied(
        f'You do not have permission to do this ("{right}"): it is limited to users in the groups: {who}.',
        "permissiondenied",
    )


def can(
    user: object | None, right: str, title: titles.Title | None = None, *, ip: str | None = None
) -> Denied | None:
    """None when `user` (a User, or None/anonymous) may use `right` (on `title`), else the reason."""
    have = rights_for(user)
    if right not in have:
        return _missing_right(user, right)
    if title is not None and title.namespace < 0 and right != "read":
        return Denied(f'"{title}" is a special page: it cannot be changed.', "permissiondenied")
    if right in BLOCKED_RIGHTS:
        block = blocks.active_for(getattr(user, "name", None) if _is_account(user) else None, ip)
        # A blocked sysop keeps "block": wiki.access.blocks lets them act on their own block only.
        if block is not None and right != "block" and blocks.prevents(block, right):
            return Denied(blocks.describe(block, user), "blocked")
    if title is not None and right in CHANGES_PAGE and title.namespace == titles.MEDIAWIKI:
        if "editinterface" not in have:
            return Denied(
                f'"{title}" is an interface message: pages in the MediaWiki namespace can only be '
                "changed by administrators.",
                "protectednamespace-interface",
            )
    if title is not None and right in PROTECTED_BY:
        denied = _protection(have, title, PROTECTED_BY[right]) or _cascade(have, title, right)
        if denied is not None:
            return denied
    return None


def can_move(
    user: object | None, old: titles.Title, new: titles.Title, *, ip: str | None = None
) -> Denied | None:
    """MediaWiki's MovePage checks: move and edit on the old title; move (move-target) and edit on
    the new one, whose create protection also applies (cantmove-titleprotected)."""
    for right, title in (("move", old), ("edit", old), ("move", new), ("edit", new)):
        denied = can(user, right, title, ip=ip)
        if denied is not None:
            return denied
    salted = protection.level(new, "create")
    if salted and LEVEL_RIGHT.get(salted, "editprotected") not in rights_for(user):
        return Denied(
            f'"{new}" has been protected from creation, so no page can be moved there.',
            "cantmove-titleprotected",
        )
    return None


def _protection(have: list[str], title: titles.Title, kind: str) -> Denied | None:
    level = protection.level(title, kind)
    if not level:
        return None
    needed = LEVEL_RIGHT.get(level, "editprotected")
    if needed in have:
        return None
    who = "administrators" if level == "sysop" else "registered users"
    if kind == "create":
        salt = next(r for r in protection.current(title) if r.type == "create")
        why = f' The reason given is "{salt.reason}".' if salt.reason else ""
        return Denied(
            f'"{title}" has been protected from creation by {salt.by or "an administrator"}: only {who} '
            f"can create it.{why}",
            "protectedpage",  # MediaWiki 1.39's API code for a create-protected title too
        )
    verb = "edited" if kind == "edit" else "moved"
    return Denied(f'"{title}" has been protected so that it can only be {verb} by {who}.', "protectedpage")


def _cascade(have: list[str], title: titles.Title, right: str) -> Denied | None:
    """Edits of a page transcluded by a cascade-protected page need what that page's edit needs
    (and the protect right, as MediaWiki asks)."""
    if right == "move":
        return None
    sources = [r for r in protection.cascading_sources(title) if r.type == "edit"]
    blocking = [
        r.source or ""
        for r in sources
        if "protect" not in have or LEVEL_RIGHT.get(r.level, "editprotected") not in have
    ]
    if not blocking:
        return None
    names = ", ".join(f'"{name}"' for name in blocking)
    plural = "pages, which are" if len(blocking) > 1 else "page, which is"
    return Denied(
        f'"{title}" has been protected from editing because it is transcluded in the following {plural} '
        f'protected with the "cascading" option turned on: {names}.',
        "cascadeprotected",
        tuple(blocking),
    )


def protection_levels() -> list[tuple[str, str]]:
    """(level, label) choices for action=protect, in MediaWiki's order ('' = everyone)."""
    return [
        ("", "Allow all users"),
        ("autoconfirmed", "Allow only registered users"),
        ("sysop", "Allow only administrators"),
    ]
