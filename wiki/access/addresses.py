"""Lists of trusted addresses in settings ("127.0.0.1, 10.0.0.0/8"), as MediaWiki's
$wgRateLimitsExcludedIPs and ConfirmEdit's $wgCaptchaWhitelistIP.

A request that a proxy the wiki does not trust forwarded (the web layer notes it in the request
memo) is never trusted: behind such a proxy every client seems to come from the proxy's address,
which may be this machine's own (the default lists)."""

from __future__ import annotations

import functools
import ipaddress

from wiki.access import request_memo

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def listed(ip: str | None, setting: str) -> bool:
    """Is the address `ip` in the comma list of addresses and networks `setting`?"""
    if not ip or not setting.strip():
        return False
    client = request_memo.get("client")
    if client is not None and client.get("forwarded"):
        return False
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(addr.version == net.version and addr in net for net in _networks(setting))


@functools.lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()
    )
