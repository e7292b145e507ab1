"""HTTP client for the Rasa engine (REST channel + HTTP API), with timeouts and one retry.

Messages go to our token-checked REST channel (`nlu/channels/secure_rest.py`,
`POST /webhooks/ieum_rest/webhook`, `Authorization: Bearer <RASA_TOKEN>`), never to Rasa's
unauthenticated `/webhooks/rest/webhook`.

The app must stay up whatever the engine does: every failure becomes `EngineUnavailable`,
which callers turn into an apology with the hotline.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bot.privacy import mask_id

logger = logging.getLogger(__name__)

CHAT_PATH = "/webhooks/ieum_rest/webhook"  # the channel's name is nlu.channels.secure_rest's

# Errors raised before the engine could have seen the request: safe to retry once.
_RETRYABLE = (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError)


class EngineUnavailable(Exception):
    """The engine did not answer in time or answered with an error."""


def worker_urls(base_url: str, workers: int) -> list[str]:
    """The engine workers' addresses: worker i listens on the base port plus i
    (`nlu.prefork.worker_port`)."""
    base = base_url.rstrip("/")
    if workers <= 1:
        return [base]
    parts = urlsplit(base)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or "127.0.0.1"
    host = f"[{host}]" if ":" in host else host
    return [
        urlunsplit((parts.scheme, f"{host}:{port + i}", parts.path, "", "")) for i in range(workers)
    ]


def worker_index(sender: str, workers: int) -> int:
    """The same conversation always goes to the same worker: its live tracker is there."""
    return zlib.crc32(sender.encode("utf-8")) % workers if workers > 1 else 0


class EngineClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        token: str = "",
        timeout: float = 10.0,
        connect_timeout: float = 1.5,
        workers: int = 1,
    ) -> None:
        self._session = session
        self._urls = worker_urls(base_url, workers)
        self._base_url = self._urls[0]
        self._token = token
        self._timeout = aiohttp.ClientTimeout(
            total=timeout, sock_connect=connect_timeout, connect=connect_timeout
        )
        self._health_timeout = aiohttp.ClientTimeout(total=min(2.0, timeout))

    async def send(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Sends one user message and returns the engine's messages (REST channel format)."""
        url = f"{self._urls[worker_index(sender, len(self._urls))]}{CHAT_PATH}"
        body = {"sender": sender, "message": text}
        headers = {"Authorization": f"Bearer {self._token}"} if self._token else None
        for attempt in (1, 2):
            try:
                async with self._session.post(
                    url, json=body, headers=headers, timeout=self._timeout
                ) as resp:
                    if resp.status == 401:
                        logger.error("engine refused our token: is RASA_TOKEN the engine's?")
                        raise EngineUnavailable("HTTP 401")
                    if resp.status != 200:
                        logger.warning("engine answered %s for %s", resp.status, mask_id(sender))
                        raise EngineUnavailable(f"HTTP {resp.status}")
                    data = await resp.json(content_type=None)
                    if not isinstance(data, list):
                        raise EngineUnavailable("unexpected engine response")
                    return data
            except _RETRYABLE as exc:
                if attempt == 2:
                    logger.warning("engine unreachable: %s", type(exc).__name__)
                    raise EngineUnavailable(str(exc)) from exc
                await asyncio.sleep(0.2)
            except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
                logger.warning("engine call failed: %s", type(exc).__name__)
                raise EngineUnavailable(str(exc)) from exc
        raise EngineUnavailable("unreachable")  # pragma: no cover - loop always returns/raises

    async def status(self) -> dict[str, Any] | None:
        """The engine's `/status` (model loaded), or None when any worker does not answer."""
        answers = await asyncio.gather(*(self._status(url) for url in self._urls))
        if any(answer is None for answer in answers):
            return None
        return answers[0]

    async def _status(self, base_url: str) -> dict[str, Any] | None:
        params = {"token": self._token} if self._token else None
        try:
            async with self._session.get(
                f"{base_url}/status", params=params, timeout=self._health_timeout
            ) as resp:
                if resp.status != 200:
                    return None
                data = await resp.json(content_type=None)
                return data if isinstance(data, dict) else None
        except (TimeoutError, aiohttp.ClientError, ValueError):
            return None

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU only (`/model/parse`): used by benchmarks and diagnostics."""
        params = {"token": self._token} if self._token else None
        try:
            async with self._session.post(
                f"{self._base_url}/model/parse",
                params=params,
                json={"text": text},
                timeout=self._timeout,
            ) as resp:
                if resp.status != 200:
                    raise EngineUnavailable(f"HTTP {resp.status}")
                return await resp.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            raise EngineUnavailable(str(exc)) from exc


async def actions_healthy(session: aiohttp.ClientSession, actions_url: str) -> bool:
    """True when the action server answers its `/health`."""
    try:
        async with session.get(
            f"{actions_url.rstrip('/')}/health", timeout=aiohttp.ClientTimeout(total=2.0)
        ) as resp:
            return resp.status == 200
    except (TimeoutError, aiohttp.ClientError):
        return False
