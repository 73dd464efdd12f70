"""Rate limits, as MediaWiki's $wgRateLimits (and $wgAccountCreationThrottle as `createaccount`).

Each action has limits per kind of caller, `(count, seconds)`: at most `count` uses per fixed window
of `seconds`. The kinds are MediaWiki's:
- `anon`: all anonymous users together;
- `ip`, `subnet`: per address, and per /64 for IPv6 (IPv4 addresses have no subnet limit), for
  anonymous users and newbies (accounts that are not autoconfirmed, see rights.is_autoconfirmed);
- `newbie`: per account, for newbies (instead of `user`);
- `user`: per account;
- `ip-all`, `subnet-all`: per address or /64, for everyone.
Users with the `noratelimit` right are never limited.

WIKI_RATE_LIMITS (JSON) is merged over DEFAULTS: {"edit": {"ip": [4, 60], "user": null}} changes the
anonymous edit limit and drops the per-user one; {"purge": null} drops an action; "off" drops all.

The counts live in the rate_limit table, shared by every worker and host. One statement (a
multi-row upsert answering the new counts) counts a use against every key of the caller and reads
the counts back: of any number of concurrent requests, exactly the limit pass. Refused uses count
too, as in MediaWiki, so hammering does not open the window early. The check's own cost is bounded
to that statement and its commit (which keeps the session's loaded objects) plus, for accounts, one
count of their edits, remembered per process once it says "autoconfirmed" (`make bench` measures
the check's CPU time per save; bar 1 ms at p95).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import math
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import TextualSelect, delete, text

from wiki import metrics
from wiki.access import addresses, rights
from wiki.extensions import db
from wiki.models import RateLimit, User, utcnow

Limits = dict[str, dict[str, tuple[int, int]]]

MINUTE, HOUR, DAY = 60, 3600, 86400
# Close to MediaWiki 1.39's defaults; `subnet` follows `ip` so an IPv6 /64 counts as one address.
DEFAULTS: Limits = {
    "edit": {"ip": (8, MINUTE), "subnet": (8, MINUTE), "newbie": (8, MINUTE), "user": (90, MINUTE)},
    "create": {"ip": (8, MINUTE), "subnet": (8, MINUTE), "newbie": (8, MINUTE), "user": (20, MINUTE)},
    "move": {"newbie": (2, 2 * MINUTE), "user": (8, MINUTE)},
    "upload": {"ip": (8, MINUTE), "subnet": (8, MINUTE), "newbie": (8, MINUTE)},
    "rollback": {"newbie": (5, 2 * MINUTE), "user": (10, MINUTE)},
    "mail": {"ip": (5, HOUR), "subnet": (5, HOUR)},  # password-reset mails ("mailpassword")
    "emailuser": {"ip": (5, DAY), "subnet": (5, DAY), "newbie": (5, DAY), "user": (20, DAY)},
    "purge": {"ip": (30, MINUTE), "subnet": (30, MINUTE), "user": (30, MINUTE)},
    "linkpurge": {"ip": (30, MINUTE), "subnet": (30, MINUTE), "user": (30, MINUTE)},
    "changetag": {"ip": (8, MINUTE), "subnet": (8, MINUTE), "newbie": (8, MINUTE)},
    "createaccount": {"ip-all": (6, DAY), "subnet-all": (6, DAY)},  # $wgAccountCreationThrottle
}
KINDS = ("anon", "ip", "subnet", "newbie", "user", "ip-all", "subnet-all")
MESSAGE = "You've exceeded your rate limit. Please wait some time and try again."
SWEEP_CHANCE = 0.01  # share of checks that also delete ended windows


@dataclass(frozen=True)
class Refused:
    """A use over a limit: which action, and how many seconds until its window ends."""

    action: str
    retry_after: int
    count: int
    seconds: int

    @property
    def message(self) -> str:
        """MediaWiki's text for the refusal (acct_creation_throttle_hit for account creation)."""
        if self.action != "createaccount":
            return MESSAGE
        accounts = "1 account" if self.count == 1 else f"{self.count} accounts"
        return (
            f"Visitors to this wiki using your IP address have created {accounts} in the last "
            f"{duration(self.seconds)}, which is the maximum allowed in this time period. As a result, "
            "visitors using this IP address cannot create any more accounts at the moment."
        )


def duration(seconds: int) -> str:
    """'1 day', '2 minutes', '90 seconds': the largest unit that divides `seconds`."""
    for unit, size in (("day", DAY), ("hour", HOUR), ("minute", MINUTE), ("second", 1)):
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
    return f"{seconds} seconds"


def merge(setting: str | Mapping[str, Any] | None) -> Limits:
    """DEFAULTS with WIKI_RATE_LIMITS applied (a JSON text or a mapping; "off" for no limits)."""
    if setting is None or setting == "":
        return {action: dict(kinds) for action, kinds in DEFAULTS.items()}
    if isinstance(setting, str):
        if setting.strip().lower() == "off":
            return {}
        try:
            setting = json.loads(setting)
        except json.JSONDecodeError as exc:
            raise ValueError(f"WIKI_RATE_LIMITS is not valid JSON: {exc}") from None
    if not isinstance(setting, Mapping):
        raise ValueError('WIKI_RATE_LIMITS must be a JSON object such as {"edit": {"ip": [8, 60]}}.')
    merged = merge(None)
    for action, kinds in setting.items():
        if kinds is None:
            merged.pop(action, None)
            continue
        if not isinstance(kinds, Mapping):
            raise ValueError(f'WIKI_RATE_LIMITS["{action}"] must be an object of kinds, or null.')
        target = merged.setdefault(action, {})
        for kind, limit in kinds.items():
            if kind not in KINDS:
                known = ", ".join(KINDS)
                raise ValueError(f'WIKI_RATE_LIMITS["{action}"]: unknown kind "{kind}"; use {known}.')
            if limit is None:
                target.pop(kind, None)
            elif _valid(limit):
                target[kind] = (int(limit[0]), int(limit[1]))
            else:
                raise ValueError(f'WIKI_RATE_LIMITS["{action}"]["{kind}"] must be [count, seconds] or null.')
    return merged


def _valid(limit: object) -> bool:
    return (
        isinstance(limit, list | tuple)
        and len(limit) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in limit)
        and limit[0] >= 0
        and limit[1] > 0
    )


def limits() -> Limits:
    """The app's limits, merged once per setting."""
    setting = current_app.config.get("WIKI_RATE_LIMITS", "")
    cache: dict[str, Limits] = current_app.extensions.setdefault("wiki.ratelimit", {})
    key = setting if isinstance(setting, str) else json.dumps(setting, sort_keys=True)
    if key not in cache:
        cache[key] = merge(setting)
    return cache[key]


@functools.lru_cache(maxsize=4096)
def subnet(ip: str) -> str | None:
    """The /64 of an IPv6 address (None for IPv4 and bad input)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if address.version != 6:
        return None
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _keys(
    action: str, kinds: dict[str, tuple[int, int]], user: User | None, ip: str
) -> dict[str, tuple[int, int]]:
    """The counters one use of `action` by `user` from `ip` adds to, with their limits."""
    account = user if user is not None and user.is_authenticated else None
    net = subnet(ip)
    keys: dict[str, tuple[int, int]] = {}

    def add(kind: str, who: str | None) -> None:
        if kind in kinds and who is not None:
            keys[f"{action}:{kind}:{who}"[:255]] = kinds[kind]

    add("ip-all", ip)
    add("subnet-all", net)
    if account is None:
        add("anon", "*")
    needs_newbie = any(k in kinds for k in ("ip", "subnet", "newbie"))
    newbie = account is None or (needs_newbie and not _autoconfirmed(account))
    if newbie:
        add("ip", ip)
        add("subnet", net)
    if account is not None:
        add("newbie" if newbie and "newbie" in kinds else "user", str(account.id))
    return keys


def _autoconfirmed(account: User) -> bool:
    """rights.is_autoconfirmed, remembered for CONFIRMED_SECONDS once true: an account's age and edit
    count only grow (as MediaWiki's user_editcount, which deletions do not lower), so a yes stays a
    yes and a limited save need not count the account's edits again."""
    cfg = current_app.config
    # With the creation time: a database emptied and filled again (tests, a restore) reuses ids.
    key = (
        cfg["SQLALCHEMY_DATABASE_URI"],
        cfg["WIKI_AUTOCONFIRM_DAYS"],
        cfg["WIKI_AUTOCONFIRM_EDITS"],
        account.id,
        account.created,
    )
    now = time.monotonic()
    seen = _CONFIRMED.get(key)
    if seen is not None and now - seen < CONFIRMED_SECONDS:
        return True
    if not rights.is_autoconfirmed(account):
        return False
    if len(_CONFIRMED) >= CONFIRMED_MAX:
        _CONFIRMED.clear()
    _CONFIRMED[key] = now
    return True


CONFIRMED_SECONDS = 600.0
CONFIRMED_MAX = 10_000
_CONFIRMED: dict[tuple[object, ...], float] = {}


def hit(user: User | None, ip: str, *actions: str) -> Refused | None:
    """Count one use of each action by `user` (None: anonymous) from `ip`; None when every limit
    holds, else the refusal whose window ends last. `noratelimit` users and the addresses of
    WIKI_RATE_LIMITS_EXCLUDED_IPS ($wgRateLimitsExcludedIPs) are not counted."""
    table = limits()
    wanted = {a: table[a] for a in actions if table.get(a)}
    if not wanted or "noratelimit" in rights.rights_for(user):
        return None
    if addresses.listed(ip, str(current_app.config.get("WIKI_RATE_LIMITS_EXCLUDED_IPS") or "")):
        return None
    keys: dict[str, tuple[str, int, int]] = {}
    for action, kinds in wanted.items():
        for key, (count, seconds) in _keys(action, kinds, user, ip).items():
            keys[key] = (action, count, seconds)
    if not keys:
        return None
    now = utcnow()
    counts = _count({key: seconds for key, (_a, _c, seconds) in keys.items()}, now)
    refused = [
        Refused(action, max(1, math.ceil((counts[key][1] - now).total_seconds())), count, seconds)
        for key, (action, count, seconds) in keys.items()
        if counts[key][0] > count
    ]
    if not refused:
        return None
    worst = max(refused, key=lambda r: r.retry_after)
    metrics.REFUSALS.labels(action=worst.action).inc()
    return worst


def _upsert(n: int) -> TextualSelect:
    """Add one use to n keys and answer their counts: one statement, the same SQL on SQLite and
    PostgreSQL. Written as text so that it compiles once per n (SQLAlchemy does not cache the
    compiled form of a multi-row upsert)."""
    if n not in _UPSERTS:
        rows = ", ".join(f"(:key{i}, 1, :expires{i})" for i in range(n))
        _UPSERTS[n] = text(
            f'INSERT INTO rate_limit ("key", count, expires) VALUES {rows} '
            'ON CONFLICT ("key") DO UPDATE SET '
            "count = CASE WHEN rate_limit.expires <= :now THEN 1 ELSE rate_limit.count + 1 END, "
            "expires = CASE WHEN rate_limit.expires <= :now "
            "THEN excluded.expires ELSE rate_limit.expires END "
            'RETURNING "key", count, expires'
        ).columns(RateLimit.key, RateLimit.count, RateLimit.expires)
    return _UPSERTS[n]


_UPSERTS: dict[int, TextualSelect] = {}


def _count(windows: dict[str, int], now: datetime) -> dict[str, tuple[int, datetime]]:
    """Add one use to each key (a new window of `windows[key]` seconds where the last one ended) and
    answer {key: (count, window end)}, in one statement; keys in a fixed order, so that concurrent
    PostgreSQL transactions lock the rows in the same order and cannot deadlock."""
    params: dict[str, object] = {"now": now}
    for i, key in enumerate(sorted(windows)):
        params[f"key{i}"] = key
        params[f"expires{i}"] = now + timedelta(seconds=windows[key])
    rows = db.session.execute(_upsert(len(windows)), params)
    counts = {key: (int(count), expires) for key, count, expires in rows}
    if random.random() < SWEEP_CHANCE:
        db.session.execute(delete(RateLimit).where(RateLimit.expires < now))
    # Only rate_limit rows changed, which the session does not hold as objects: keep the loaded
    # ones (the user, the page) instead of reading them again for the action that follows.
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    return counts
