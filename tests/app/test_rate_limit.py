"""429 with a Korean message and Retry-After when one user or address sends too fast."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.rate_limit import Limit, RateLimiter
from tests.app.conftest import make_settings


def test_limit_parsing() -> None:
    assert Limit.parse("30/60") == Limit(30, 60.0)
    assert Limit.parse("0") is None and Limit.parse("") is None


def test_sliding_window_with_injected_clock() -> None:
    now = [100.0]
    limiter = RateLimiter(Limit(2, 10), clock=lambda: now[0])
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("a") == 0
    assert limiter.retry_after("a") == 10
    assert limiter.retry_after("b") == 0  # other users are not affected
    now[0] = 110.5
    assert limiter.retry_after("a") == 0


def test_disabled_limit_never_blocks() -> None:
    limiter = RateLimiter(None)
    assert all(limiter.retry_after("a") == 0 for _ in range(1000))


async def test_api_answers_429_per_user(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        ieum_rate_limit_user="3/60",
        ieum_rate_limit_ip="0",
    )
    client: TestClient = await aiohttp_client(create_app(settings))
    for _ in range(3):
        assert (
            await client.post("/api/messages", json={"user_id": "u1", "text": "안녕"})
        ).status == 200
    resp = await client.post("/api/messages", json={"user_id": "u1", "text": "안녕"})
    assert resp.status == 429
    assert int(resp.headers["Retry-After"]) > 0
    body = await resp.json()
    assert "다시 보내 주세요" in body["replies"][0]["text"]
    assert (
        await client.post("/api/messages", json={"user_id": "u2", "text": "안녕"})
    ).status == 200


async def test_api_answers_429_per_address(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"), ieum_rate_limit_ip="2/60"
    )
    client: TestClient = await aiohttp_client(create_app(settings))
    statuses = [
        (await client.post("/api/messages", json={"user_id": f"u{i}", "text": "안녕"})).status
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
