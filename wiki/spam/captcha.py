"""A question CAPTCHA made here (no third-party service), as MediaWiki's ConfirmEdit QuestyCaptcha.

Handing out a challenge stores nothing (a crawler fetching forms cannot fill a table): its id
carries a nonce, its expiry, a MAC of both and a MAC binding them to the answer, under a key derived
from the wiki's secret key (so every host can check it and nobody can read or forge the answer).
Answering it, right or wrong, writes the nonce once as a spent row until it expires, so one answer
never serves two requests; ids not issued here are refused before anything is written. Failed logins
are counted per name and per address (rows of the login throttle's table under their own keys) to
ask a CAPTCHA after BAD_LOGINS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from wiki.access import addresses, rights, throttle
from wiki.extensions import db
from wiki.models import CaptchaChallenge, LoginThrottle, utcnow

EXPIRY = timedelta(minutes=30)
BAD_LOGINS = 3  # ConfirmEdit's $wgCaptchaBadLoginAttempts
BAD_LOGIN_WINDOW = timedelta(minutes=10)
MAX_ANSWER = 64
NUMBERS = "zero one two three four five six seven eight nine ten".split()


@dataclass(frozen=True)
class Challenge:
    id: str
    question: str

    def as_api(self) -> dict[str, str]:
        """The API's `captcha` member, as ConfirmEdit answers it."""
        return {"type": "question", "mime": "text/html", "id": self.id, "question": self.question}


def skips(user, ip: str | None = None) -> bool:
    """Sysops and bots never see a CAPTCHA (the `skipcaptcha` right), nor does anyone from an
    address of WIKI_CAPTCHA_SKIP_IPS (ConfirmEdit's $wgCaptchaWhitelistIP)."""
    return "skipcaptcha" in rights.rights_for(user) or trusted_address(ip)


def trusted_address(ip: str | None) -> bool:
    """Is `ip` in WIKI_CAPTCHA_SKIP_IPS (a comma list of addresses and networks; empty by default)?"""
    return addresses.exempt(ip, "WIKI_CAPTCHA_SKIP_IPS")


def needed_for_links(user, ip: str | None = None) -> bool:
    """Adding external links: asked of anonymous and new (not yet autoconfirmed) users. Without
    autoconfirm thresholds (WIKI_AUTOCONFIRM_DAYS and _EDITS both 0, MediaWiki's defaults) no account
    is "new", so every account without `skipcaptcha` is asked, as ConfirmEdit's own defaults do."""
    if skips(user, ip):
        return False
    cfg = current_app.config
    thresholds = int(cfg["WIKI_AUTOCONFIRM_DAYS"]) > 0 or int(cfg["WIKI_AUTOCONFIRM_EDITS"]) > 0
    return not (thresholds and rights.is_autoconfirmed(user))


def _mac(*parts: str, size: int) -> str:
    key = hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), b"wiki.spam.captcha", hashlib.sha256
    ).digest()
    return hmac.new(key, "|".join(parts).encode(), hashlib.sha256).hexdigest()[:size]


def new(lifetime: timedelta = EXPIRY) -> Challenge:
    """A fresh question, good for `lifetime`; nothing is stored."""
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10)
    question = f"What is {NUMBERS[a]} plus {NUMBERS[b]}? (Answer with digits.)"
    nonce = secrets.token_hex(8)
    expires = str(int((utcnow() + lifetime).replace(tzinfo=UTC).timestamp()))
    tag = _mac("id", nonce, expires, size=12)
    check = _mac("answer", nonce, expires, str(a + b), size=20)
    return Challenge(f"{nonce}.{expires}.{tag}.{check}", question)


def _issued(challenge_id: str) -> tuple[str, str, str, datetime] | None:
    """(nonce, expiry text, answer MAC, expiry) of an id issued here and not expired, else None."""
    parts = challenge_id[:64].split(".")
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    nonce, expires, tag, check = parts
    if not hmac.compare_digest(tag, _mac("id", nonce, expires, size=12)):
        return None
    until = datetime.fromtimestamp(int(expires), UTC).replace(tzinfo=None)
    return (nonce, expires, check, until) if until >= utcnow() else None


def _spend(nonce: str, until: datetime) -> bool:
    """Mark the challenge answered; False when it already was (on any host)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.expires < utcnow()))
    table = CaptchaChallenge.__table__
    stmt = dialect.insert(table).values(id=nonce, question="", answer="", expires=until)
    # RETURNING tells whether this insert made the row: psycopg's rowcount did not (every replay
    # on PostgreSQL counted as a first answer).
    made = db.session.execute(
        stmt.on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
    ).first()
    db.session.commit()
    return made is not None


def solve(challenge_id: str | None, answer: str | None) -> bool:
    """Whether `answer` is right for that challenge; the challenge is used up either way."""
    if not challenge_id or answer is None:
        return False
    issued = _issued(challenge_id)
    if issued is None:
        return False
    nonce, expires, check, until = issued
    if not _spend(nonce, until):
        return False
    given = answer.strip()[:MAX_ANSWER].lower()
    return hmac.compare_digest(check, _mac("answer", nonce, expires, given, size=20))


def _login_keys(name: str, ip: str | None) -> list[str]:
    keys = [f"badlogin:name:{name.strip()}"[:255]]
    if ip:
        keys.append(f"badlogin:ip:{ip}"[:255])
    return keys


def login_failed(name: str, ip: str | None) -> None:
    """Count a wrong password for this name and this address."""
    for key in _login_keys(name, ip):
        throttle.bump(key, BAD_LOGIN_WINDOW)


def needed_for_login(name: str | None, ip: str | None) -> bool:
    """BAD_LOGINS recent failures for that name or from that address (not from a trusted one)."""
    if trusted_address(ip):
        return False
    keys = _login_keys(name or "", ip) if name else _login_keys("", ip)[1:]
    if not keys:
        return False
    counts = db.session.scalars(
        select(LoginThrottle.count).where(
            LoginThrottle.key.in_(keys), LoginThrottle.started > utcnow() - BAD_LOGIN_WINDOW
        )
    )
    return any(count >= BAD_LOGINS for count in counts)
