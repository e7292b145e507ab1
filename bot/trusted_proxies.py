"""`IEUM_TRUSTED_PROXIES` read into networks (used by the settings check and per request).

Kept apart from `bot.client_address` so that reading the settings needs no web framework:
`ieum run`'s supervisor reads them and stays a small process.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def parse_trusted(spec: str) -> tuple[Network, ...]:
    """'10.0.0.0/8, 192.168.1.5' → networks; ValueError naming a bad entry."""
    networks: list[Network] = []
    for raw in spec.split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"IEUM_TRUSTED_PROXIES: IP나 CIDR이 아닙니다: {item}") from None
    return tuple(networks)
