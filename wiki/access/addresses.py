"""Lists of trusted addresses in settings ("127.0.0.1, 10.0.0.0/8"), as MediaWiki's
$wgRateLimitsExcludedIPs and ConfirmEdit's $wgCaptchaWhitelistIP."""

from __future__ import annotations

import functools
import ipaddress
from contextvars import ContextVar

from flask import current_app

# Set by the edge for each request (wiki.web.proxies): did a proxy we do not trust forward it?
forwarded_by_untrusted_proxy: ContextVar[bool] = ContextVar("forwarded_by_untrusted_proxy", default=False)

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


def exempt(ip: str | None, setting_name: str) -> bool:
    """Is the client `ip` listed in the setting `setting_name`? Never for a request that a proxy
    forwarded (X-Forwarded-For) while WIKI_TRUSTED_PROXIES is unset: its address is the proxy's,
    shared by every visitor, so listing loopback for local tools must not exempt the whole public."""
    if forwarded_by_untrusted_proxy.get():
        return False
    return listed(ip, str(current_app.config.get(setting_name) or ""))


@functools.lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()
    )
