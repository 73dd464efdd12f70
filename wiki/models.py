"""Database tables. Titles are stored as MediaWiki stores them: namespace id + dbkey (underscores)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, relationship

from wiki.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(255), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    session_epoch = db.Column(db.Integer, nullable=False, default=0)  # unused since sessions are rows
    email = db.Column(db.String(320), nullable=True)
    email_confirmed = db.Column(db.DateTime, nullable=True)  # when the address was confirmed by its link
    # MediaWiki's "locked": cannot log in (`flask disable-user`; migration 0011).
    disabled = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Preference "E-mail me when my user talk page is changed" (migration 0011).
    email_on_talk = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    # Group memberships (migration 0013_rights); read through group_list, which drops expired ones.
    memberships: Mapped[list[UserGroup]] = relationship(
        "UserGroup", cascade="all, delete-orphan", order_by="UserGroup.group", passive_deletes=True
    )

    # Preferences changed from their defaults (read through wiki.access.preferences; written there).
    properties: Mapped[list[UserProperty]] = relationship("UserProperty", viewonly=True)

    # The token of the session this object was loaded for (wiki.access.sessions), not a column.
    session_token = None

    @property
    def group_list(self) -> list[str]:
        """The explicit groups (sysop, bot, ...) whose membership has not expired."""
        now = utcnow()
        return [m.group for m in self.memberships if m.expiry is None or m.expiry > now]

    @property
    def groups(self) -> str:
        """The current explicit groups, space-separated (as the column before user_groups was)."""
        return " ".join(self.group_list)

    @groups.setter
    def groups(self, value: str) -> None:
        """Set the memberships to these groups, without expiry (kept rows keep theirs)."""
        wanted = list(dict.fromkeys(g for g in value.split() if g))
        kept = [m for m in self.memberships if m.group in wanted]
        have = {m.group for m in kept}
        self.memberships = kept + [UserGroup(group=g, expiry=None) for g in wanted if g not in have]

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookies: the server-side session's token, not the user id,
        so deleting the session row ends the cookie (and the remember-me cookie) everywhere."""
        if not self.session_token:
            raise RuntimeError("start a session with wiki.access.sessions before logging a user in")
        return self.session_token


class UserGroup(db.Model):
    """A user's membership of a group, until `expiry` (None: for ever), as MediaWiki's user_groups."""

    __tablename__ = "user_groups"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    group = db.Column(db.String(255), primary_key=True)
    expiry = db.Column(db.DateTime, nullable=True)
    # Special:ListUsers and list=allusers filter by group; expired rows are purged by expiry.
    __table_args__ = (
        Index("ix_user_groups_group_user", "group", "user_id"),
        Index("ix_user_groups_expiry", "expiry"),
    )


class UserProperty(db.Model):
    """A preference a user changed from its default (MediaWiki's user_properties)."""

    __tablename__ = "user_properties"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    name = db.Column(db.String(255), primary_key=True)
    value = db.Column(db.Text, nullable=False, default="")


class Page(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    namespace = db.Column(db.Integer, nullable=False, default=0)
    title = db.Column(db.String(255), nullable=False)  # dbkey, without namespace prefix
    latest = db.Column(db.Integer, nullable=True)  # Revision.id of the current text
    is_redirect = db.Column(db.Boolean, nullable=False, default=False)
    length = db.Column(db.Integer, nullable=False, default=0)
    touched = db.Column(db.DateTime, nullable=False, default=utcnow)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Ids are never reused after a deletion (SQLite AUTOINCREMENT; migration 0004): a page id seen
    # in a log entry, an archive row or a client's cache names one page only.
    __table_args__ = (
        UniqueConstraint("namespace", "title", name="uq_page_namespace_title"),
        Index("ix_page_latest", "latest"),  # a user's latest revisions (topOnly; migration 0023)
        {"sqlite_autoincrement": True},
    )


class Revision(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), nullable=False, index=True)
    parent_id = db.Column(db.Integer, nullable=True)
    text = db.Column(db.Text, nullable=False)
    sha1 = db.Column(db.String(40), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.String(767), nullable=False, default="")
    # Indexed for the autoconfirmed check (an account's first edits; wiki.access.rights).
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True, index=True)
    user_text = db.Column(db.String(255), nullable=False)  # account name or IP address
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    minor = db.Column(db.Boolean, nullable=False, default=False)
    # What revision deletion hides: 1 text, 2 summary, 4 user, 8 from administrators too (rev_deleted; 0022).
    deleted = db.Column(db.SmallInteger, nullable=False, default=0, server_default="0")
    # Ids are never reused, even after a deletion archives the newest (MediaWiki's rev ids; migration 0002).
    __table_args__ = (
        Index("ix_revision_page_id_id", "page_id", "id"),
        # Contributions, walked by id; the time is tested on the index entry for start/end (0027).
        Index("ix_revision_user_text_id_timestamp", "user_text", "id", "timestamp"),
        {"sqlite_autoincrement": True},
    )


class PageLink(db.Model):
    """An internal link from a page to a title (which may not exist)."""

    from_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    namespace = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(255), primary_key=True)
    __table_args__ = (Index("ix_page_link_target", "namespace", "title"),)


class TemplateLink(db.Model):
    """A transclusion of a title by a page."""

    from_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    namespace = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(255), primary_key=True)
    __table_args__ = (Index("ix_template_link_target", "namespace", "title"),)


class CategoryLink(db.Model):
    from_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    category = db.Column(db.String(255), primary_key=True)  # dbkey without "Category:"
    sortkey = db.Column(db.String(255), nullable=False, default="")
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)
    __table_args__ = (Index("ix_category_link_category_sortkey", "category", "sortkey"),)


class Redirect(db.Model):
    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    namespace = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)
    fragment = db.Column(db.String(255), nullable=False, default="")
    __table_args__ = (Index("ix_redirect_target", "namespace", "title"),)


class ParserCache(db.Model):
    """Rendered HTML of a page's latest revision, shared by every worker and host."""

    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    rev_id = db.Column(db.Integer, nullable=False)
    render_version = db.Column(db.String(32), nullable=False)
    html = db.Column(db.Text, nullable=False)
    meta = db.Column(db.Text, nullable=False, default="{}")  # JSON: categories, headings, title
    created = db.Column(db.DateTime, nullable=False, default=utcnow)


class SearchOutbox(db.Model):
    """A pending search-index update, written in the same transaction as the change."""

    id = db.Column(db.Integer, primary_key=True)
    page_id = db.Column(db.Integer, nullable=False, index=True)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)


class LogEntry(db.Model):
    """Moves, deletions, protections, blocks, account creations (Special:Log)."""

    id = db.Column(db.Integer, primary_key=True)
    type = db.Column(db.String(32), nullable=False, index=True)
    action = db.Column(db.String(32), nullable=False)
    namespace = db.Column(db.Integer, nullable=False, default=0)
    title = db.Column(db.String(255), nullable=False, default="")
    page_id = db.Column(db.Integer, nullable=True)
    user_id = db.Column(db.Integer, nullable=True)
    user_text = db.Column(db.String(255), nullable=False, default="")
    comment = db.Column(db.String(767), nullable=False, default="")
    params = db.Column(db.Text, nullable=False, default="{}")
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    deleted = db.Column(db.SmallInteger, nullable=False, default=0, server_default="0")  # log_deleted (0024)

    __table_args__ = (
        db.Index("ix_log_entry_user_text_timestamp", "user_text", "timestamp"),
        db.Index("ix_log_entry_target_timestamp", "namespace", "title", "timestamp"),
    )


class Archive(db.Model):
    """Revisions of deleted pages, restorable at Special:Undelete."""

    id = db.Column(db.Integer, primary_key=True)
    namespace = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)
    rev_id = db.Column(db.Integer, nullable=False, unique=True)
    parent_id = db.Column(db.Integer, nullable=True)
    page_id = db.Column(db.Integer, nullable=True)
    text = db.Column(db.Text, nullable=False)
    sha1 = db.Column(db.String(40), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    comment = db.Column(db.String(767), nullable=False, default="")
    user_id = db.Column(db.Integer, nullable=True)
    user_text = db.Column(db.String(255), nullable=False)
    timestamp = db.Column(db.DateTime, nullable=False)
    minor = db.Column(db.Boolean, nullable=False, default=False)
    deleted = db.Column(db.SmallInteger, nullable=False, default=0, server_default="0")  # ar_deleted (0022)
    __table_args__ = (Index("ix_archive_target", "namespace", "title"),)


class Protection(db.Model):
    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    type = db.Column(db.String(16), primary_key=True)  # edit | move
    level = db.Column(db.String(32), nullable=False)  # autoconfirmed/user | sysop
    expiry = db.Column(db.DateTime, nullable=True)  # None: infinite
    # Edit rows only: pages and files this page transcludes inherit the protection (migration 0006).
    cascade = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())


class ProtectedTitle(db.Model):
    """Create protection of a title that has no page (MediaWiki's protected_titles; migration 0006)."""

    namespace = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(255), primary_key=True)
    level = db.Column(db.String(32), nullable=False)  # autoconfirmed | sysop
    expiry = db.Column(db.DateTime, nullable=True)  # None: infinite
    user_id = db.Column(db.Integer, nullable=True)
    user_text = db.Column(db.String(255), nullable=False, default="")
    reason = db.Column(db.String(767), nullable=False, default="")
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)


class Block(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    target = db.Column(db.String(255), nullable=False, index=True)  # user name or IP
    by_user_id = db.Column(db.Integer, nullable=True)
    reason = db.Column(db.String(767), nullable=False, default="")
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)
    expiry = db.Column(db.DateTime, nullable=True)
    # As MediaWiki's ipblocks: account creation refused; the account's addresses autoblocked; an
    # autoblock points at the account block it came from (and goes when that one is lifted).
    create_account = db.Column(db.Boolean, nullable=False, default=True)
    autoblock = db.Column(db.Boolean, nullable=False, default=False)
    parent_id = db.Column(db.Integer, nullable=True, index=True)


class UserSession(db.Model):
    """A logged-in session, kept in the database so that every host shares it and logout ends it.

    The cookie carries a random token; the row is keyed by its SHA-256, so a copy of the table
    opens no session."""

    id = db.Column(db.String(64), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    ip = db.Column(db.String(64), nullable=False, default="")
    remember = db.Column(db.Boolean, nullable=False, default=False)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_seen = db.Column(db.DateTime, nullable=False, default=utcnow)


class LoginThrottle(db.Model):
    """Login attempts per key ("name+ip:...", "name:...", "ip:...") in the current window, counted
    by one atomic upsert so that concurrent attempts cannot all pass the check."""

    key = db.Column(db.String(255), primary_key=True)
    started = db.Column(db.DateTime, nullable=False)
    count = db.Column(db.Integer, nullable=False)


class UserSkeleton(db.Model):
    """The confusable skeleton of each account's name (as MediaWiki's AntiSpoof keeps spoofuser),
    so a look-alike of an existing name is refused."""

    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    skeleton = db.Column(db.String(255), nullable=False, index=True)


class MailOutbox(db.Model):
    """An e-mail waiting to be sent, written in the transaction that decided to send it."""

    id = db.Column(db.Integer, primary_key=True)
    recipient = db.Column(db.String(320), nullable=False)
    subject = db.Column(db.String(255), nullable=False)
    body = db.Column(db.Text, nullable=False)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    claimed_until = db.Column(db.DateTime, nullable=True)  # a sender is on it until then
    last_error = db.Column(db.String(500), nullable=False, default="")


class RateLimit(db.Model):
    """Uses of an action per key ("edit:ip:1.2.3.4", "move:user:7", ...) in a fixed window ending at
    `expires`, counted by one atomic upsert shared by every worker and host (wiki.access.ratelimit)."""

    key = db.Column(db.String(255), primary_key=True)
    count = db.Column(db.Integer, nullable=False)
    expires = db.Column(db.DateTime, nullable=False, index=True)


class CdnPurge(db.Model):
    """A title whose cached views the proxies must drop, written in the change's transaction."""

    id = db.Column(db.Integer, primary_key=True)
    namespace = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    claimed_by = db.Column(db.String(32), nullable=True)  # the sender round working on it
    claimed_until = db.Column(db.DateTime, nullable=True)


class AccountToken(db.Model):
    """A single-use link sent by e-mail (password reset, address confirmation); only its SHA-256 is
    kept, so a copy of the database cannot be used to take accounts over (migration 0011)."""

    id = db.Column(db.Integer, primary_key=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    purpose = db.Column(db.String(16), nullable=False)  # reset | confirm
    email = db.Column(db.String(320), nullable=False, default="")  # the address a confirmation is for
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires = db.Column(db.DateTime, nullable=False)
    used = db.Column(db.DateTime, nullable=True)


class RecentChange(db.Model):
    """One row per edit, page creation or logged action, as MediaWiki's recentchanges table: what
    Special:RecentChanges, the watchlist and list=recentchanges read. The bot and patrol flags live
    here, not on the revision (migration 0012); written by wiki.recent in the change's transaction."""

    __tablename__ = "recentchange"
    id = db.Column(db.Integer, primary_key=True)
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)
    type = db.Column(db.String(8), nullable=False)  # edit | new | log (MediaWiki's rc_type names)
    namespace = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)  # dbkey
    page_id = db.Column(db.Integer, nullable=True)
    rev_id = db.Column(db.Integer, nullable=True, index=True)
    old_rev_id = db.Column(db.Integer, nullable=True)
    log_id = db.Column(db.Integer, nullable=True, index=True)
    log_type = db.Column(db.String(32), nullable=True)
    log_action = db.Column(db.String(32), nullable=True)
    user_id = db.Column(db.Integer, nullable=True)
    user_text = db.Column(db.String(255), nullable=False)
    comment = db.Column(db.String(767), nullable=False, default="")
    minor = db.Column(db.Boolean, nullable=False, default=False)
    bot = db.Column(db.Boolean, nullable=False, default=False)
    # 0 unpatrolled, 1 patrolled by someone, 2 autopatrolled (MediaWiki's rc_patrolled values).
    patrolled = db.Column(db.SmallInteger, nullable=False, default=0)
    old_len = db.Column(db.Integer, nullable=True)
    new_len = db.Column(db.Integer, nullable=True)
    # The revision's deletion bits (rc_deleted), changed with them: the row keeps its own summary and user.
    deleted = db.Column(db.SmallInteger, nullable=False, default=0, server_default="0")
    __table_args__ = (
        Index("ix_recentchange_timestamp_id", "timestamp", "id"),
        Index("ix_recentchange_target_timestamp", "namespace", "title", "timestamp"),
        Index("ix_recentchange_user_text_timestamp", "user_text", "timestamp"),
        Index("ix_recentchange_namespace_timestamp_id", "namespace", "timestamp", "id"),  # 0013
        Index("ix_recentchange_type_timestamp_id", "type", "timestamp", "id"),
    )


class ChangeTag(db.Model):
    """A tag on a change: on its recent-changes row, its revision and/or its log entry (as MediaWiki's
    change_tag; the revision's tag outlives the recent-changes row)."""

    __tablename__ = "change_tag"
    id = db.Column(db.Integer, primary_key=True)
    tag = db.Column(db.String(255), nullable=False)
    rc_id = db.Column(db.Integer, nullable=True, index=True)
    rev_id = db.Column(db.Integer, nullable=True, index=True)
    log_id = db.Column(db.Integer, nullable=True, index=True)
    __table_args__ = (Index("ix_change_tag_tag_id", "tag", "id"),)


class ChangeTagDef(db.Model):
    """A tag that exists: defined by the software (mw-rollback, ...) or by a user (Special:Tags)."""

    __tablename__ = "change_tag_def"
    name = db.Column(db.String(255), primary_key=True)
    user_defined = db.Column(db.Boolean, nullable=False, default=False)
    active = db.Column(db.Boolean, nullable=False, default=True)  # may still be applied


class UserNewtalk(db.Model):
    """ "You have new messages": a user (or an address) whose talk page someone else edited since
    they last viewed it (MediaWiki's user_newtalk; migration 0013_edit)."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True, unique=True)
    user_ip = db.Column(db.String(64), nullable=True, unique=True)
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)


class ExternalLink(db.Model):
    """An external link of a page (MediaWiki's externallinks; migration 0013_edit). `index_key` is
    the URL with its host reversed ("http://com.example.www./path"), so a domain and its
    subdomains are one prefix; protocol-relative URLs have a row for http and one for https."""

    id = db.Column(db.Integer, primary_key=True)
    from_id = db.Column(db.Integer, db.ForeignKey("page.id"), nullable=False)
    url = db.Column(db.Text, nullable=False)
    index_key = db.Column(db.String(255), nullable=False)
    __table_args__ = (
        Index("ix_external_link_from_key", "from_id", "index_key", "id"),
        Index("ix_external_link_key", "index_key", "id"),
    )


class WatchedItem(db.Model):
    """A title on a user's watchlist, as MediaWiki's watchlist table: one row for the subject page and
    one for its talk page (watched together). `notified` is set when someone else changes the page
    and cleared when the watcher sees it; `expiry` ends temporary watching (null: for ever).
    Written by wiki.pages.watchlist (migration 0013_watch), `changed` by wiki.recent (0025)."""

    __tablename__ = "watchlist"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, nullable=False)
    namespace = db.Column(db.Integer, nullable=False)
    title = db.Column(db.String(255), nullable=False)  # dbkey
    notified = db.Column(db.DateTime, nullable=True)  # MediaWiki's wl_notificationtimestamp
    expiry = db.Column(db.DateTime, nullable=True)  # MediaWiki's we_expiry
    # The time of the title's latest recent change (recent.NEVER: none), kept by wiki.recent with every
    # change: the watchlist reads only the titles changed within its window. Null: not known yet.
    changed = db.Column(db.DateTime, nullable=True)
    __table_args__ = (
        # The user's titles in order (EditWatchlist, watchlistraw) and the join to recent changes.
        UniqueConstraint("user_id", "namespace", "title", name="uq_watchlist_user_title"),
        # Who watches a title: notifications after an edit, watcher counts.
        Index("ix_watchlist_title_user", "namespace", "title", "user_id"),
        # A user's most recently changed titles: the first page of the watchlist (migration 0026).
        Index("ix_watchlist_user_changed", "user_id", "changed"),
    )


# The logged actions of a title, for the watchlist's "latest change of each page": a partial index of
# the log rows only, small beside the edits (migration 0013_watch).
Index(
    "ix_recentchange_target_log",
    RecentChange.namespace,
    RecentChange.title,
    RecentChange.timestamp,
    sqlite_where=RecentChange.log_id.is_not(None),
    postgresql_where=RecentChange.log_id.is_not(None),
)


# Page creations by time (RecentChanges' "new pages only", Special:NewPages): a partial index of the
# "new" rows alone, so listing them never walks every edit (migration 0020_rc_new).
Index(
    "ix_recentchange_new_timestamp_id",
    RecentChange.timestamp,
    RecentChange.id,
    sqlite_where=RecentChange.type == "new",
    postgresql_where=RecentChange.type == "new",
)


# A user's page creations (Special:Contributions' newOnly, ucshow=new): a partial index of the first
# revisions alone, so listing them never walks every edit of the user (migration 0023_contribs).
Index(
    "ix_revision_new_user_text_id",
    Revision.user_text,
    Revision.id,
    sqlite_where=Revision.parent_id.is_(None),
    postgresql_where=Revision.parent_id.is_(None),
)

# The addresses that edited anonymously, by prefix (the editors of an IP range: changes.names_in_range):
# LIKE 'prefix%' reads a btree only in the C collation or through text_pattern_ops (migration 0023).
Index(
    "ix_revision_anon_user_text",
    Revision.user_text,
    postgresql_ops={"user_text": "text_pattern_ops"},
    sqlite_where=Revision.user_id.is_(None),
    postgresql_where=Revision.user_id.is_(None),
)


class WatchlistToken(db.Model):
    """The secret that lets a feed reader fetch one user's watchlist (MediaWiki's watchlisttoken)."""

    __tablename__ = "watchlist_token"
    user_id = db.Column(db.Integer, primary_key=True)
    token = db.Column(db.String(64), nullable=False)


# Uploaded files (wiki.files; migration 0012): MediaWiki's image, oldimage, filearchive, imagelinks.
class _FileVersion:
    """The columns every version of a file has, current, older or deleted."""

    name = db.Column(db.String(255), nullable=False)  # dbkey in the File namespace
    storage_key = db.Column(db.String(512), nullable=False)  # where the bytes are in the file store
    size = db.Column(db.BigInteger, nullable=False)
    width = db.Column(db.Integer, nullable=False, default=0)
    height = db.Column(db.Integer, nullable=False, default=0)
    pages = db.Column(db.Integer, nullable=False, default=1)
    mime = db.Column(db.String(100), nullable=False)
    media_type = db.Column(db.String(16), nullable=False)  # BITMAP, DRAWING, OFFICE (MediaWiki's)
    sha1 = db.Column(db.String(40), nullable=False)  # hex
    meta = db.Column(db.Text, nullable=False, default="{}")  # JSON: EXIF fields read by Pillow
    comment = db.Column(db.String(767), nullable=False, default="")
    user_id = db.Column(db.Integer, nullable=True)
    user_text = db.Column(db.String(255), nullable=False)
    timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)


class File(_FileVersion, db.Model):
    """The current version of each uploaded file (MediaWiki's `image`)."""

    id = db.Column(db.Integer, primary_key=True)
    __table_args__ = (
        UniqueConstraint("name", name="uq_file_name"),
        Index("ix_file_sha1", "sha1"),
        Index("ix_file_timestamp_id", "timestamp", "id"),
        Index("ix_file_size_id", "size", "id"),
    )


class OldFile(_FileVersion, db.Model):
    """An older version of a file, kept under archive/ in the store (MediaWiki's `oldimage`)."""

    id = db.Column(db.Integer, primary_key=True)
    archive_name = db.Column(db.String(255), nullable=False)  # "20261206101500!Name.jpg"
    __table_args__ = (
        Index("ix_old_file_name_timestamp", "name", "timestamp"),
        Index("ix_old_file_sha1", "sha1"),
    )


class FileArchive(_FileVersion, db.Model):
    """A version of a deleted file, restorable with the file page (MediaWiki's `filearchive`)."""

    id = db.Column(db.Integer, primary_key=True)
    current = db.Column(db.Boolean, nullable=False, default=False)  # was the current version
    archive_name = db.Column(db.String(255), nullable=False, default="")
    deleted_timestamp = db.Column(db.DateTime, nullable=False, default=utcnow)
    deleted_by = db.Column(db.String(255), nullable=False, default="")
    __table_args__ = (Index("ix_file_archive_name", "name"),)


class ImageLink(db.Model):
    """A page's use of a file ([[File:]], <gallery>), written with the other links tables."""

    from_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    title = db.Column(db.String(255), primary_key=True)  # dbkey in the File namespace
    __table_args__ = (Index("ix_image_link_title", "title"),)


class FileChunk(db.Model):
    """The bytes of a file in the PostgreSQL-backed file store, in chunks (wiki.files.store)."""

    key = db.Column(db.String(512), primary_key=True)
    seq = db.Column(db.Integer, primary_key=True)
    data = db.Column(db.LargeBinary, nullable=False)


class ConceptStructure(db.Model):
    """What wiki.concepts.reader read from a page's current text (migration 0013_concepts)."""

    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), primary_key=True)
    is_concept = db.Column(db.Boolean, nullable=False, default=False)
    genus = db.Column(db.String(255), nullable=True, index=True)  # main-namespace dbkey of the genus
    sentence = db.Column(db.Text, nullable=False, default="")
    dated = db.Column(db.Integer, nullable=False, default=0)  # dated examples (Special:Timeline)
    data = db.Column(db.Text, nullable=False, default="{}")  # JSON: the whole Structure


class ConceptAlias(db.Model):
    """A name that leads to a page: its title or an AKA term, by its search key ("gpt3")."""

    id = db.Column(db.Integer, primary_key=True)
    page_id = db.Column(db.Integer, db.ForeignKey("page.id"), nullable=False, index=True)
    key = db.Column(db.String(255), nullable=False, index=True)  # wiki.concepts.keys.key(name)
    name = db.Column(db.String(255), nullable=False)  # as written
    kind = db.Column(db.String(8), nullable=False)  # "title" or "aka"


class CaptchaChallenge(db.Model):
    """A CAPTCHA challenge already answered (wiki.spam.captcha), kept until it expires so it is
    answered once on every host; handing one out stores nothing (question and answer stay empty)."""

    id = db.Column(db.String(64), primary_key=True)  # the challenge's nonce
    question = db.Column(db.String(255), nullable=False)
    answer = db.Column(db.String(64), nullable=False)
    expires = db.Column(db.DateTime, nullable=False, index=True)
