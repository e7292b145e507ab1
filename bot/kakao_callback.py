"""Where a slow Kakao answer may be POSTed, and the small HTTP client that POSTs it.

The callback URL comes from the request body, so without care it is a server-side request
forgery path: anyone who can reach `/webhooks/kakao` could make us POST to an internal address.
Hence: callbacks only when `KAKAO_SKILL_SECRET` is set (the request is then known to be
Kakao's), only to the hosts in `KAKAO_CALLBACK_HOSTS` (https on 443 for a bare host name; a
full origin such as `http://127.0.0.1:8081` is allowed as written, for tests), never following
a redirect, through a pool of its own with a short timeout so it cannot tie up other traffic.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.log_filters import printable

logger = logging.getLogger(__name__)

MAX_CALLBACK_URL = 2048
POOL_SIZE = 8
TOTAL_SECONDS = 5.0  # Kakao's callback URL is valid for one minute; one try, quickly
CONNECT_SECONDS = 2.0
_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int


def _origin(scheme: str, host: str | None, port: int | None) -> Origin | None:
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    return Origin(scheme, host.lower().rstrip("."), port or _DEFAULT_PORTS[scheme])


@lru_cache(maxsize=8)
def parse_allowed(spec: str) -> frozenset[Origin]:
    """'bot-api.kakao.com, http://127.0.0.1:8081' → origins; ValueError on a bad entry."""
    allowed: set[Origin] = set()
    for raw in spec.split(","):
        item = raw.strip()
        if not item:
            continue
        parts = urlsplit(item if "://" in item else f"https://{item}")
        try:
            origin = _origin(parts.scheme, parts.hostname, parts.port)
        except ValueError:
            origin = None
        if origin is None or parts.path not in ("", "/") or parts.username is not None:
            raise ValueError(f"KAKAO_CALLBACK_HOSTS: 호스트 이름이나 origin이 아닙니다: {item}")
        allowed.add(origin)
    return frozenset(allowed)


def allowed_callback(url: str, allowed: frozenset[Origin]) -> bool:
    """True only for a URL on an allowed origin, without credentials or odd characters."""
    if not url or len(url) > MAX_CALLBACK_URL or not url.isascii() or not url.isprintable():
        return False
    try:
        parts = urlsplit(url)
        origin = _origin(parts.scheme, parts.hostname, parts.port)
    except ValueError:  # a port that is not a number
        return False
    if origin is None or parts.username is not None or parts.password is not None:
        return False
    return origin in allowed


def callback_host(url: str) -> str:
    """Only the host of a refused URL goes to the log (the path carries Kakao's token)."""
    try:
        return printable(urlsplit(url).hostname or "?")[:100]
    except ValueError:
        return "?"


CALLBACK_SESSION_KEY = web.AppKey("kakao_callback_session", aiohttp.ClientSession)


async def callback_session_ctx(app: web.Application) -> AsyncIterator[None]:
    """A separate small pool: slow or hostile callback hosts cannot use up the engine's."""
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=POOL_SIZE, ttl_dns_cache=60),
        timeout=aiohttp.ClientTimeout(
            total=TOTAL_SECONDS, connect=CONNECT_SECONDS, sock_connect=CONNECT_SECONDS
        ),
        trust_env=False,  # never through an environment proxy
    )
    app[CALLBACK_SESSION_KEY] = session
    yield
    await session.close()


async def post_callback(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> bool:
    """POSTs the answer once; a redirect is a failure, never followed."""
    try:
        async with session.post(url, json=body, allow_redirects=False) as resp:
            if resp.status >= 300:
                logger.warning("kakao callback answered %d; not retried", resp.status)
                return False
            return True
    except (TimeoutError, aiohttp.ClientError) as exc:
        logger.warning("kakao callback failed: %s", type(exc).__name__)
        return False
