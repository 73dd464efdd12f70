"""Passwords: the policy for new ones (MediaWiki's $wgPasswordPolicy), hashing and checking.

Policy: at least 8 characters (10 for sysops), at most 4096 bytes, not in the list of the most
common passwords (common_passwords.txt beside this file), not the user name and not containing it.
A sysop whose password no longer meets the policy may log in but is asked to change it.

`check` always spends one slow hash, also for an account that does not exist (against a dummy
hash), so the answer's timing does not tell which names exist.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MIN_LENGTH_SYSOP = 10
MAX_BYTES = 4096
COMMON_LIST = Path(__file__).with_name("common_passwords.txt")


class WeakPassword(ValueError):
    """The password does not meet the policy; the message says which rule."""


@cache
def _common() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def problem(name: str, password: str, groups: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why `password` may not be used by the account `name` in `groups`, or None when it may."""
    minimum = MIN_LENGTH_SYSOP if "sysop" in groups else MIN_LENGTH
    if len(password) < minimum:
        who = "Administrators' passwords" if "sysop" in groups else "Passwords"
        return f"{who} must be at least {minimum} characters."
    if len(password.encode()) > MAX_BYTES:
        return f"Passwords must be shorter than {MAX_BYTES} bytes."
    folded, user = password.casefold(), " ".join(name.replace("_", " ").split()).casefold()
    if user and (folded == user or user in folded or user.replace(" ", "") in folded):
        return "Your password must not be your user name or contain it."
    if folded in _common():
        return "This password is among the most commonly used ones. Please choose a less guessable password."
    return None


def require(name: str, password: str, groups: list[str] | tuple[str, ...] = ()) -> None:
    """Raise WeakPassword when `problem` finds one."""
    reason = problem(name, password, groups)
    if reason is not None:
        raise WeakPassword(reason)


def hash_password(password: str) -> str:
    return generate_password_hash(password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("no account has this password")


def check(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; costs one hash even when there is no account (`stored_hash` None)."""
    if len(password.encode()) > MAX_BYTES:
        password = ""  # the policy never allowed it; spare the hash of megabytes
    matches = check_password_hash(stored_hash or _dummy_hash(), password)
    return stored_hash is not None and matches
