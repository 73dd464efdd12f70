"""A question CAPTCHA made here (no third-party service), as MediaWiki's ConfirmEdit QuestyCaptcha.

Each challenge is a row (every host sees it) with an expiry; answering it deletes it, right or
wrong, so one answer never serves two requests. Failed logins are counted per name and per address
(rows of the login throttle's table under their own keys) to ask a CAPTCHA after BAD_LOGINS.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

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
    return addresses.listed(ip, str(current_app.config.get("WIKI_CAPTCHA_SKIP_IPS") or ""))


def needed_for_links(user, ip: str | None = None) -> bool:
    """Adding external links: asked of anonymous and new (not yet autoconfirmed) users. Without
    autoconfirm thresholds (WIKI_AUTOCONFIRM_DAYS and _EDITS both 0, MediaWiki's defaults) no account
    is "new", so every account without `skipcaptcha` is asked, as ConfirmEdit's own defaults do."""
    if skips(user, ip):
        return False
    cfg = current_app.config
    thresholds = int(cfg["WIKI_AUTOCONFIRM_DAYS"]) > 0 or int(cfg["WIKI_AUTOCONFIRM_EDITS"]) > 0
    return not (thresholds and rights.is_autoconfirmed(user))


def new() -> Challenge:
    """A fresh question, stored until EXPIRY; expired ones are swept meanwhile."""
    now = utcnow()
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10)
    question = f"What is {NUMBERS[a]} plus {NUMBERS[b]}? (Answer with digits.)"
    challenge = CaptchaChallenge(
        id=secrets.token_hex(16), question=question, answer=str(a + b), expires=now + EXPIRY
    )
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.expires < now))
    db.session.add(challenge)
    db.session.commit()
    return Challenge(challenge.id, question)


def solve(challenge_id: str | None, answer: str | None) -> bool:
    """Whether `answer` is right for that challenge; the challenge is used up either way."""
    if not challenge_id or answer is None:
        return False
    stmt = (
        delete(CaptchaChallenge)
        .where(CaptchaChallenge.id == challenge_id[:64], CaptchaChallenge.expires >= utcnow())
        .returning(CaptchaChallenge.answer)
    )
    expected = db.session.execute(stmt).scalar_one_or_none()
    db.session.commit()
    given = answer.strip()[:MAX_ANSWER].lower()
    return expected is not None and secrets.compare_digest(given, expected)


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
