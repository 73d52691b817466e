"""The client's address: the one place every per-client limit, record and lockout reads it from.

The address the server saw (REMOTE_ADDR) is the client's, unless it is a reverse proxy listed in
TRUSTED_PROXIES. Then the proxy's header (TRUSTED_PROXY_HEADER, X-Forwarded-For by default)
names the hops, each proxy appending the address it was reached from. Only the entries appended
by trusted proxies can be believed: the chain is read from the right, past every trusted proxy,
and the first address that is not one is the client. Anything to its left was sent by the client
and may be forged. With no trusted proxy (the default) no header is ever read.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(request) -> str | None:
    """The client's address, or None when the server saw none."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not _trusted(peer, networks):
        return str(peer)
    header = request.META.get(_meta_key(settings.TRUSTED_PROXY_HEADER), "")
    client = peer
    for entry in reversed(header.split(",")):
        hop = _address(entry)
        if hop is None:
            break  # not an address a proxy writes: the last proxy that vouched is all we know
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)


@functools.lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """The settings' networks, parsed once (config.env.env_networks checked them at start-up)."""
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def _address(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # An IPv4 client reaching an IPv6 socket is written ::ffff:a.b.c.d; it is the IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")
