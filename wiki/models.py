"""Database tables. Titles are stored as MediaWiki stores them: namespace id + dbkey (underscores)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_login import UserMixin
from sqlalchemy import Index, UniqueConstraint

from wiki.extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(255), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    groups = db.Column(db.String(255), nullable=False, default="")  # space-separated: "sysop"
    created = db.Column(db.DateTime, nullable=False, default=utcnow)
    session_epoch = db.Column(db.Integer, nullable=False, default=0)  # unused since sessions are rows
    email = db.Column(db.String(320), nullable=True)
    email_confirmed = db.Column(db.DateTime, nullable=True)  # when the address was confirmed by its link
    # MediaWiki's "locked": cannot log in (`flask disable-user`; migration 0011).
    disabled = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Preference "E-mail me when my user talk page is changed" (migration 0011).
    email_on_talk = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())

    # The token of the session this object was loaded for (wiki.access.sessions), not a column.
    session_token = None

    @property
    def group_list(self) -> list[str]:
        return [g for g in self.groups.split() if g]

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookies: the server-side session's token, not the user id,
        so deleting the session row ends the cookie (and the remember-me cookie) everywhere."""
        if not self.session_token:
            raise RuntimeError("start a session with wiki.access.sessions before logging a user in")
        return self.session_token


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
    # Ids are never reused, even after a deletion archives the newest (MediaWiki's rev ids; migration 0002).
    __table_args__ = (Index("ix_revision_page_id_id", "page_id", "id"), {"sqlite_autoincrement": True})


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


class CaptchaChallenge(db.Model):
    """A CAPTCHA question handed out (wiki.spam.captcha): shared by every host, answered once."""

    id = db.Column(db.String(64), primary_key=True)  # random, unguessable
    question = db.Column(db.String(255), nullable=False)
    answer = db.Column(db.String(64), nullable=False)
    expires = db.Column(db.DateTime, nullable=False, index=True)
