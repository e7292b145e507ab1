"""Who is really on the other end: the client address and scheme behind trusted proxies.

Behind a load balancer every request comes from the balancer's address, so per-address limits
would lump all users together (and one attacker could lock everyone out). `X-Forwarded-For` is
believed only when the direct peer is a configured proxy (`IEUM_TRUSTED_PROXIES`), and then
only up to the rightmost hop that is not itself a trusted proxy: everything left of it was
written by the client and may be forged.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from bot.keys import SETTINGS_KEY
from bot.trusted_proxies import Network, parse_trusted

_MAX_HOPS = 32  # a longer header is treated as forged beyond this many hops
CLIENT_ADDRESS_KEY = web.RequestKey("ieum_client_address", str)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, nets: tuple[Network, ...]) -> bool:  # fmt: skip
    return address is not None and any(address in net for net in nets)


def resolve_client(peer: str | None, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
    """The client address given the direct peer and the X-Forwarded-For values (in order)."""
    peer_text = peer or "unknown"
    if not trusted or not _trusted(_ip(peer_text), trusted):
        return peer_text
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    client = peer_text
    for hop in reversed(hops[-_MAX_HOPS:]):
        address = _ip(hop)
        if address is None:  # garbage written by a trusted proxy? stop at the last good hop
            return client
        client = str(address)
        if not _trusted(address, trusted):
            return client
    return client  # every hop is a proxy: the leftmost one is the best we know


def client_address(request: web.Request) -> str:
    """The address every per-address limit uses."""
    if CLIENT_ADDRESS_KEY in request:
        return request[CLIENT_ADDRESS_KEY]
    trusted = parse_trusted(request.app[SETTINGS_KEY].ieum_trusted_proxies)
    address = resolve_client(request.remote, request.headers.getall("X-Forwarded-For", []), trusted)
    request[CLIENT_ADDRESS_KEY] = address
    return address


def from_trusted_proxy(request: web.Request) -> bool:
    """The direct peer is one of `IEUM_TRUSTED_PROXIES`, so its X-Forwarded-* are believed."""
    trusted = parse_trusted(request.app[SETTINGS_KEY].ieum_trusted_proxies)
    return _trusted(_ip(request.remote or ""), trusted)


def is_https(request: web.Request) -> bool:
    """Served over HTTPS: TLS here, or a trusted proxy says the client used HTTPS."""
    if request.secure:
        return True
    if not from_trusted_proxy(request):
        return False
    proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return proto == "https"
