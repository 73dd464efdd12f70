"""Lists of trusted addresses in settings ("127.0.0.1, 10.0.0.0/8"), as MediaWiki's
$wgRateLimitsExcludedIPs and ConfirmEdit's $wgCaptchaWhitelistIP."""

from __future__ import annotations

import functools
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def listed(ip: str | None, setting: str) -> bool:
    """Is the address `ip` in the comma list of addresses and networks `setting`?"""
    if not ip or not setting.strip():
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
