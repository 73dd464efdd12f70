"""Blocks: a user name, an IP address or an IP range (CIDR) may not edit until the block expires."""

from __future__ import annotations

import ipaddress

from sqlalchemy import delete, or_

from . import expiry, logs
from .extensions import db
from .models import Block, utcnow


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
    from .web.auth import find_user  # user names are normalised by the accounts module

    user = find_user(text)
    if user is None:
        raise BadTarget(f'"{raw}" is neither an IP address nor an existing user.')
    return user.name


def active_for(name: str | None, ip: str | None) -> Block | None:
    """The block that applies to this account or address now, if any (also range blocks)."""
    now = utcnow()
    live = or_(Block.expiry.is_(None), Block.expiry > now)
    exact = [t for t in (name, _canonical_ip(ip)) if t]
    if exact:
        found = db.session.execute(
            db.select(Block).where(Block.target.in_(exact), live).order_by(Block.id.desc()).limit(1)
        ).scalar_one_or_none()
        if found is not None:
            return found
    addr = _address(ip)
    if addr is None:
        return None
    # Range blocks are few: check them in Python rather than with database-specific operators.
    ranges = db.session.scalars(db.select(Block).where(Block.target.like("%/%"), live))
    for block in ranges:
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
    return bool(gone)


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
