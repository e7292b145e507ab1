"""The app sends each conversation to one engine worker (its live tracker is there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.engine import CHAT_PATH, EngineClient, worker_index, worker_urls
from bot.ports import free_port_block, port_free
from tests.app.conftest import make_settings


@pytest.mark.parametrize(
    ("base", "workers", "expected"),
    [
        ("http://127.0.0.1:5005", 1, ["http://127.0.0.1:5005"]),
        ("http://127.0.0.1:5005/", 2, ["http://127.0.0.1:5005", "http://127.0.0.1:5006"]),
        ("http://localhost:7000", 3, [f"http://localhost:{p}" for p in (7000, 7001, 7002)]),
        ("http://[::1]:5005", 2, ["http://[::1]:5005", "http://[::1]:5006"]),
    ],
)
def test_worker_urls_are_consecutive_ports(base: str, workers: int, expected: list[str]) -> None:
    assert worker_urls(base, workers) == expected


def test_a_conversation_always_maps_to_the_same_worker_and_all_workers_get_some() -> None:
    senders = [f"web:{n}" for n in range(400)] + [f"telegram:{n}" for n in range(400)]
    first = [worker_index(s, 2) for s in senders]
    assert first == [worker_index(s, 2) for s in senders]
    assert 300 < first.count(0) < 500  # spread evenly enough
    assert {worker_index(s, 3) for s in senders} == {0, 1, 2}
    assert all(worker_index(s, 1) == 0 for s in senders)


def test_scale_out_uses_one_engine_port(tmp_path: Path) -> None:
    """With REDIS_URL the engine's own Sanic workers share one port."""
    assert make_settings(tmp_path, ieum_engine_workers=2).engine_routes == 2
    scaled = make_settings(tmp_path, ieum_engine_workers=2, redis_url="redis://127.0.0.1:6379/0")
    assert scaled.engine_routes == 1


def test_free_port_block_gives_consecutive_free_ports() -> None:
    start = free_port_block(3)
    assert all(port_free(start + i) for i in range(3))


async def _worker(
    aiohttp_server: Any, name: str, port: int, seen: list[tuple[str, str]]
) -> TestServer:
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        seen.append((name, body["sender"]))
        return web.json_response([{"recipient_id": body["sender"], "text": name}])

    async def status(_request: web.Request) -> web.Response:
        return web.json_response({"model_id": name})

    app = web.Application()
    app.router.add_post(CHAT_PATH, webhook)
    app.router.add_get("/status", status)
    return await aiohttp_server(app, port=port)


async def test_client_routes_each_sender_to_its_worker_and_needs_all_for_health(
    aiohttp_server: Any,
) -> None:
    seen: list[tuple[str, str]] = []
    start = free_port_block(2)
    first = await _worker(aiohttp_server, "w0", start, seen)
    second = await _worker(aiohttp_server, "w1", start + 1, seen)
    senders = [f"web:user-{n}" for n in range(20)]
    async with aiohttp.ClientSession() as session:
        engine = EngineClient(session, f"http://127.0.0.1:{start}", workers=2)
        for _ in range(2):
            for sender in senders:
                await engine.send(sender, "안녕하세요")
        assert await engine.status() == {"model_id": "w0"}
        await second.close()
        assert await engine.status() is None  # one worker down: the engine is not healthy
    await first.close()
    by_sender: dict[str, set[str]] = {}
    for name, sender in seen:
        by_sender.setdefault(sender, set()).add(name)
    assert all(len(names) == 1 for names in by_sender.values())  # never split
    assert {f"w{worker_index(s, 2)}" for s in senders} == {"w0", "w1"}
    assert all(by_sender[s] == {f"w{worker_index(s, 2)}"} for s in senders)
