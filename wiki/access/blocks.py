"""Blocks: a user name, an IP address or an IP range (CIDR) may not edit until the block expires."""

from __future__ import annotations

import ipaddress

from sqlalchemy import delete, inspect, or_

from wiki import logs
from wiki.access import expiry, request_memo
from wiki.extensions import db
from wiki.models import Block, utcnow


class BadTarget(ValueError):
    """The block target is neither an existing user nor an IP address or range."""


def _ip(text: str):
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def normalise_target(raw: str) -> str:
    """An IP or range in canonical form, or an existing user's name; raises BadTarget."""
    text = raw.strip()
    net = _ip(text)
    if net is not None:
        return str(net.network_address) if net.num_addresses == 1 else str(net)
    from wiki.web.auth import find_user
    # user names are normalised by the accounts module

    user = find_user(text)
    if user is None:
        raise BadTarget(f'"{raw}" is neither an IP address nor an existing user.')
    return user.name


def active_for(name: str | None, ip: str | None) -> Block | None:
    """The block that applies to this account or address now, if any (also range blocks).

    Asked for each right a page view weighs (the Edit, Move, Delete tabs; whether the copy may be
    shared), so the answer is kept for the rest of the request."""
    memo = request_memo.get("blocks")
    key = (name, _canonical_ip(ip) or ip)
    if memo is not None and key in memo:
        found = memo[key]
        if found is None or not inspect(found).expired_attributes:
            return found  # (a commit since, and the row may be gone: ask again)
    found = _find(name, ip)
    if memo is not None:
        memo[key] = found
    return found


def _find(name: str | None, ip: str | None) -> Block | None:
    """One query: the newest live block of the name or the exact address, else a range holding it."""
    live = or_(Block.expiry.is_(None), Block.expiry > utcnow())
    exact = [t for t in (name, _canonical_ip(ip)) if t]
    addr = _address(ip)
    wanted = []
    if exact:
        wanted.append(Block.target.in_(exact))
    if addr is not None:
        # Range blocks are few: check them in Python rather than with database-specific operators.
        wanted.append(Block.target.like("%/%"))
    if not wanted:
        return None
    rows = list(db.session.scalars(db.select(Block).where(or_(*wanted), live).order_by(Block.id.desc())))
    for block in rows:
        if block.target in exact:
            return block
    for block in rows:
        net = _ip(block.target)
        if net is not None and addr.version == net.version and addr in net:
            return block
    return None


def _address(ip: str | None):
    try:
        return ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return None


def _canonical_ip(ip: str | None) -> str | None:
    addr = _address(ip)
    return str(addr) if addr is not None else None


def describe(block: Block) -> str:
    reason = f' The reason given is: "{block.reason}".' if block.reason else ""
    return (
        f"You have been blocked from editing ({block.target}).{reason} "
        f"The block expires: {expiry.describe(block.expiry)}."
    )


def block(target: str, *, actor, reason: str = "", expires: str = "infinite") -> Block:
    """Block `target` (replacing an earlier block of it) and log it; raises BadTarget or BadExpiry."""
    name = normalise_target(target)
    until = expiry.parse(expires)
    db.session.execute(delete(Block).where(Block.target == name))
    row = Block(target=name, by_user_id=actor.user_id, reason=reason[:767], expiry=until, timestamp=utcnow())
    db.session.add(row)
    _log("block", name, actor, reason, {"expiry": expiry.describe(until)})
    db.session.commit()
    _forget()
    return row


def unblock(target: str, *, actor, reason: str = "") -> bool:
    """Lift the block of `target`; False when it was not blocked."""
    name = target.strip()
    net = _ip(name)
    if net is not None:
        name = str(net.network_address) if net.num_addresses == 1 else str(net)
    gone = db.session.execute(delete(Block).where(Block.target == name)).rowcount
    if gone:
        _log("unblock", name, actor, reason, {})
    db.session.commit()
    _forget()
    return bool(gone)


def _forget() -> None:
    memo = request_memo.get("blocks")
    if memo is not None:
        memo.clear()


def active_blocks() -> list[Block]:
    now = utcnow()
    return list(
        db.session.scalars(
            db.select(Block).where(or_(Block.expiry.is_(None), Block.expiry > now)).order_by(Block.id.desc())
        )
    )


def _log(action: str, target: str, actor, reason: str, params: dict) -> None:
    # MediaWiki logs blocks against User:Target.
    logs.record(
        "block",
        action,
        namespace=2,
        title=target.replace(" ", "_"),
        actor=actor,
        comment=reason,
        params=params,
    )
