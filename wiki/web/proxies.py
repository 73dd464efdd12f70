"""Client addresses behind reverse proxies (MediaWiki's $wgCdnServers / $wgUsePrivateIPs idea).

`WIKI_TRUSTED_PROXIES` says who may tell us the client's address in X-Forwarded-For:
- a count N ("1" for one nginx in front): werkzeug's ProxyFix takes the N-th address from the right
  of X-Forwarded-For, the one the outermost of our N proxies saw;
- a comma list of addresses or networks ("127.0.0.1, 10.0.0.0/8"): when the peer is one of them,
  the header is read from the right, skipping trusted hops, and the first other address is the
  client's (as MediaWiki's WebRequest::getIP walks it).
Unset (the default), X-Forwarded-For is ignored: any client could forge it. Throttles, blocks,
anonymous attribution and logs all read the address after this step (request.remote_addr).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from wiki.access import addresses

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def install(app: Flask) -> None:
    """Wrap the app's WSGI entry so request.remote_addr is the client's, as configured."""
    setting = str(app.config.get("WIKI_TRUSTED_PROXIES") or os.environ.get("WIKI_TRUSTED_PROXIES") or "")
    setting = setting.strip()
    if setting in ("", "0"):
        app.wsgi_app = UntrustedForwards(app.wsgi_app)  # type: ignore[method-assign]
        return
    if setting.isdigit():
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(setting))  # type: ignore[method-assign]
        return
    app.wsgi_app = TrustedProxies(app.wsgi_app, parse_networks(setting))  # type: ignore[method-assign]


def parse_networks(setting: str) -> list[Network]:
    """The addresses and networks of a comma list; ValueError naming a bad entry."""
    networks = []
    for entry in (part.strip() for part in setting.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f'WIKI_TRUSTED_PROXIES: "{entry}" is neither a proxy count nor an address or network'
            ) from None
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR becomes the nearest address in X-Forwarded-For that is not one
    of the trusted proxies, when the request came from one of them."""

    def __init__(self, app: Callable, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = list(networks)

    def trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in net for net in self.networks)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        if self.trusted(peer):
            client = peer
            hops = [hop for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
            for hop in reversed(hops):
                if _address(hop) is None:
                    break  # garbage is no address: keep the last one a trusted proxy vouched for
                client = str(_address(hop))
                if not self.trusted(hop):
                    break
            environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)


class UntrustedForwards:
    """No proxy is trusted: a request that one forwarded anyway (X-Forwarded-For or Forwarded) carries
    the proxy's address, shared by every visitor, so the address exemptions (CAPTCHA, rate limits;
    loopback by default) must not apply to it."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR") or environ.get("HTTP_FORWARDED")
        addresses.forwarded_by_untrusted_proxy.set(bool(forwarded))
        return self.app(environ, start_response)
