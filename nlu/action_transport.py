"""Engine → action server calls over kept-alive connections, with the domain's JSON made once.

Profiling the engine workers (py-spy, 20 concurrent conversations) put about 15 % of their CPU
in the action call itself: Rasa 3.6 opens a new `aiohttp.ClientSession` (so a new TCP
connection) for every request (`EndpointConfig.request`) and serialises the ~20 KB domain
into every body. Here each endpoint keeps one session per event loop (closed with the server),
and the domain dict that `nlu.action_payload` caches is serialised once: its JSON text is
spliced into each body. The bytes differ from Rasa's only in key order.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

logger = logging.getLogger(__name__)

_sessions: dict[tuple[int, int], Any] = {}
_domain_json: dict[int, tuple[Any, str]] = {}


def domain_json(domain_dict: dict[str, Any]) -> str:
    """JSON text of a domain dict that does not change (cached by identity)."""
    cached = _domain_json.get(id(domain_dict))
    if cached is None or cached[0] is not domain_dict:
        _domain_json.clear()
        cached = _domain_json[id(domain_dict)] = (domain_dict, json.dumps(domain_dict))
    return cached[1]


def dumps_request(body: Any) -> str:
    """`json.dumps`, with a cached domain's JSON text spliced in instead of serialised again."""
    if isinstance(body, dict) and isinstance(body.get("domain"), dict):
        domain = body["domain"]
        if id(domain) in _domain_json and _domain_json[id(domain)][0] is domain:
            rest = json.dumps({k: v for k, v in body.items() if k != "domain"})
            joiner = ", " if rest != "{}" else ""
            return '{"domain": ' + _domain_json[id(domain)][1] + joiner + rest[1:]
    return json.dumps(body)


class _KeptSession:
    """What `EndpointConfig.session()` returns: `async with` gives the kept session and
    leaves it open for the next request."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def install_kept_action_sessions() -> None:
    import aiohttp
    import rasa.core.run
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    if getattr(EndpointConfig.session, "_ieum_kept", False):
        return

    def session(self: EndpointConfig) -> _KeptSession:
        loop = asyncio.get_running_loop()
        key = (id(self), id(loop))
        kept = _sessions.get(key)
        if kept is None or kept.closed:
            auth = (
                aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
                if self.basic_auth
                else None
            )
            kept = _sessions[key] = aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                json_serialize=dumps_request,
                connector=aiohttp.TCPConnector(limit=100, keepalive_timeout=30),
            )
        return _KeptSession(kept)

    session._ieum_kept = True  # type: ignore[attr-defined]
    EndpointConfig.session = session  # type: ignore[method-assign,assignment]

    rasa_close = rasa.core.run.close_resources

    async def close_resources(app: Any, loop: Any) -> None:
        await rasa_close(app, loop)
        await close_sessions()

    rasa.core.run.close_resources = close_resources


async def close_sessions() -> None:
    """Closes the kept sessions of the running loop (the server is stopping)."""
    loop_id = id(asyncio.get_running_loop())
    for key in [k for k in _sessions if k[1] == loop_id]:
        session = _sessions.pop(key)
        if not session.closed:
            await session.close()
