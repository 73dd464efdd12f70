"""Blocks: a user name, an IP address or an IP range (CIDR) may not edit until the block expires.

As MediaWiki: an account block also refuses account creation and autoblocks (both on unless
turned off): the address the account last used is blocked for 24 hours, and so is each address
it logs in from while blocked, so logging out or making a new account does not evade the block.
Autoblocks go when their account block is lifted. Ranges are at most /16 (IPv4) and /19 (IPv6),
as $wgBlockCIDRLimit. A blocked administrator may only unblock themselves, or block the one who
blocked them.
"""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, inspect, or_, text

from wiki import logs
from wiki.access import expiry, request_memo, sessions, timeformat
from wiki.access.users import Actor, find_user
from wiki.extensions import db
from wiki.models import Block, User, utcnow

CIDR_LIMIT = {4: 16, 6: 19}
AUTOBLOCK_FOR = timedelta(hours=24)


class BadTarget(ValueError):
    """The block target is neither an existing user nor an IP address or range."""


class Refused(ValueError):
    """The performer may not (un)block this target: they are blocked themselves."""


class AlreadyBlocked(ValueError):
    """The target has a live block and the caller did not ask to replace it."""


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _ip(text: str) -> IPNetwork | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def normalise_target(raw: str) -> str:
    """An IP or range in canonical form, or an existing user's name; raises BadTarget."""
    text = raw.strip()
    net = _ip(text)
    if net is not None:
        if net.num_addresses == 1:
            return str(net.network_address)
        if net.prefixlen < CIDR_LIMIT[net.version]:
            raise BadTarget(
                f'The range "{text}" is too wide: blocks of IPv{net.version} ranges may cover at most '
                f"a /{CIDR_LIMIT[net.version]}."
            )
        return str(net)
    user = find_user(text)
    if user is None:
        raise BadTarget(f'"{raw}" is neither an IP address nor an existing user.')
    return str(user.name)


def active_for(name: str | None, ip: str | None) -> Block | None:
    """The block that applies to this account or address now, if any (also range blocks).

    Asked for each right a page view weighs (the Edit, Move, Delete tabs; whether the copy may be
    shared), so the answer is kept for the rest of the request."""
    memo = request_memo.get("blocks")
    key = (name, _canonical_ip(ip) or ip)
    if memo is not None and key in memo:
        known: Any = memo[key]
        if known is None or not inspect(known).expired_attributes:
            return known if isinstance(known, Block) else None  # (a commit since: ask again)
    found = _find(name, ip)
    if memo is not None:
        memo[key] = found
    return found


def _live() -> ColumnElement[bool]:
    return or_(Block.expiry.is_(None), Block.expiry > utcnow())


def _find(name: str | None, ip: str | None) -> Block | None:
    """One query: the newest live block of the name or the exact address, else a range holding it."""
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
    rows: list[Block] = list(
        db.session.scalars(db.select(Block).where(or_(*wanted), _live()).order_by(Block.id.desc()))
    )
    for block in rows:
        if block.target in exact:
            return block
    for block in rows:
        net = _ip(block.target)
        if net is not None and addr is not None and addr.version == net.version and addr in net:
            return block
    return None


def _address(ip: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return None


def _canonical_ip(ip: str | None) -> str | None:
    addr = _address(ip)
    return str(addr) if addr is not None else None


def prevents(block: Block, right: str) -> bool:
    """Whether `block` takes `right` away (account creation only when the block says so)."""
    return block.create_account if right == "createaccount" else True


def describe(block: Block, reader: object | None = None) -> str:
    """Why the user cannot act, as MediaWiki's blockedtext: the target, reason and expiry (in the
    reader's time zone and date format)."""
    until = "infinite" if block.expiry is None else timeformat.for_user(reader, block.expiry)
    reason = f' The reason given is: "{block.reason}".' if block.reason else ""
    if block.parent_id is not None:
        what = (
            f"Your IP address has been automatically blocked because it was used by a blocked account "
            f"(autoblock #{block.id})."
        )
        return f"{what}{reason} The block expires: {until}."
    return f"You have been blocked from editing ({block.target}).{reason} The block expires: {until}."


def _check_performer(actor: Actor, target: str) -> None:
    """A blocked performer may only act on their own block, or block the one who blocked them."""
    own = active_for(actor.name, None) if getattr(actor, "user_id", None) else None
    if own is None or own.parent_id is not None or target == actor.name:
        return
    blocker = db.session.get(User, own.by_user_id) if own.by_user_id else None
    if blocker is not None and target == blocker.name:
        return
    raise Refused("You cannot block or unblock other users while you are yourself blocked.")


def block(
    target: str,
    *,
    actor: Actor,
    reason: str = "",
    expires: str = "infinite",
    autoblock: bool = True,
    create_account: bool = True,
    replace: bool = True,
) -> Block:
    """Block `target` (replacing an earlier block of it) and log it; raises BadTarget, BadExpiry,
    Refused, or AlreadyBlocked when `replace` is off and a live block exists. `autoblock` applies
    to account blocks only."""
    name = normalise_target(target)
    until = expiry.parse(expires)
    _check_performer(actor, name)
    _lock_target(name)
    if (
        not replace
        and db.session.scalars(
            db.select(Block.id).where(Block.target == name, Block.parent_id.is_(None), _live())
        ).first()
    ):
        db.session.rollback()
        raise AlreadyBlocked(f'"{name}" is already blocked.')
    account = _ip(name) is None
    old = db.select(Block.id).where(Block.target == name, Block.parent_id.is_(None))
    db.session.execute(delete(Block).where(Block.parent_id.in_(old)))
    db.session.execute(delete(Block).where(Block.target == name, Block.parent_id.is_(None)))
    row = Block(
        target=name,
        by_user_id=actor.user_id,
        reason=reason[:767],
        expiry=until,
        timestamp=utcnow(),
        create_account=create_account,
        autoblock=account and autoblock,
    )
    db.session.add(row)
    db.session.flush()
    flags = [f for f, on in (("nocreate", create_account), ("autoblock", row.autoblock)) if on]
    _log("block", name, actor, reason, {"expiry": expiry.describe(until), "flags": flags})
    if row.autoblock:
        user = find_user(name)
        last = sessions.last_address(user.id) if user is not None else None
        if last:
            _autoblock(row, last)
    db.session.commit()
    _forget()
    return row


def _lock_target(name: str) -> None:
    """Hold the target until commit, so of two concurrent blocks without `replace` one is refused
    (SQLite: the database's write lock; PostgreSQL: an advisory lock on the target)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    digest = hashlib.blake2b(f"block:{name}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def _autoblock(parent: Block, ip: str) -> None:
    """Block `ip` for 24 hours (or until the account block ends) because `parent`'s account used it."""
    until = utcnow() + AUTOBLOCK_FOR
    if parent.expiry is not None:
        until = min(until, parent.expiry)
    db.session.add(
        Block(
            target=_canonical_ip(ip) or ip,
            by_user_id=parent.by_user_id,
            reason=parent.reason,
            expiry=until,
            timestamp=utcnow(),
            create_account=parent.create_account,
            parent_id=parent.id,
        )
    )


def spread(name: str, ip: str | None) -> None:
    """The blocked account `name` was used from `ip`: autoblock the address (once per block)."""
    address = _canonical_ip(ip)
    if address is None:
        return
    parent = db.session.scalar(
        db.select(Block).where(Block.target == name, Block.autoblock.is_(True), _live()).limit(1)
    )
    if parent is None:
        return
    known = db.session.scalar(
        db.select(Block.id).where(Block.parent_id == parent.id, Block.target == address, _live()).limit(1)
    )
    if known is None:
        _autoblock(parent, address)
        db.session.commit()
        _forget()


def unblock(target: str, *, actor: Actor, reason: str = "") -> bool:
    """Lift the block of `target` (a name, an address, a range, or "#id" of an autoblock) and the
    autoblocks it caused; False when it was not blocked. Raises Refused."""
    name = target.strip()
    net = _ip(name)
    if net is not None:
        name = str(net.network_address) if net.num_addresses == 1 else str(net)
    _check_performer(actor, name)
    if name.startswith("#") and name[1:].isdigit():
        lifted = db.select(Block.id).where(Block.id == int(name[1:]), Block.parent_id.is_not(None))
    else:
        lifted = db.select(Block.id).where(Block.target == name, Block.parent_id.is_(None))
    ids = list(db.session.scalars(lifted))
    if ids:
        db.session.execute(delete(Block).where(or_(Block.id.in_(ids), Block.parent_id.in_(ids))))
        _log("unblock", name, actor, reason, {})
    db.session.commit()
    _forget()
    return bool(ids)


def _forget() -> None:
    memo = request_memo.get("blocks")
    if memo is not None:
        memo.clear()


def by_id(block_id: int) -> Block | None:
    """A live block (or autoblock) by its id."""
    return db.session.scalars(db.select(Block).where(Block.id == block_id, _live())).first()


def active_blocks() -> list[Block]:
    """Live blocks for Special:BlockList; autoblocks are left out (their addresses are private)."""
    return list(
        db.session.scalars(
            db.select(Block).where(_live(), Block.parent_id.is_(None)).order_by(Block.id.desc())
        )
    )


def _log(action: str, target: str, actor: Actor, reason: str, params: dict[str, object]) -> None:
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
