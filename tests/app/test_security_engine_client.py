"""The app speaks to the engine's token-checked channel, with the token in a header."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.engine import CHAT_PATH, EngineClient, EngineUnavailable

TOKEN = "engine-토큰-1"


@pytest.fixture
async def channel(aiohttp_server) -> tuple[list[dict[str, Any]], TestServer]:  # type: ignore[no-untyped-def]
    """Like nlu/channels/secure_rest.py: 401 unless `Authorization: Bearer <token>`."""
    seen: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        seen.append(
            {"auth": request.headers.get("Authorization"), "query": dict(request.query),
             "body": await request.json()}
        )  # fmt: skip
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"reason": "NotAuthenticated"}, status=401)
        body = await request.json()
        return web.json_response([{"recipient_id": body["sender"], "text": "안녕하세요"}])

    app = web.Application()
    app.router.add_post(CHAT_PATH, webhook)
    return seen, await aiohttp_server(app)


def test_the_chat_path_is_the_secure_channel() -> None:
    assert CHAT_PATH == "/webhooks/ieum_rest/webhook"


async def test_messages_carry_the_token_in_a_header(channel) -> None:  # type: ignore[no-untyped-def]
    seen, server = channel
    async with aiohttp.ClientSession() as session:
        engine = EngineClient(session, str(server.make_url("")), TOKEN)
        assert await engine.send("telegram:7", "예약 확인") == [
            {"recipient_id": "telegram:7", "text": "안녕하세요"}
        ]
    assert seen == [
        {"auth": f"Bearer {TOKEN}", "query": {}, "body": {"sender": "telegram:7", "message": "예약 확인"}}
    ]  # fmt: skip


@pytest.mark.parametrize("token", ["wrong", ""])
async def test_a_refused_token_is_engine_unavailable(
    channel, token: str, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    seen, server = channel
    async with aiohttp.ClientSession() as session:
        engine = EngineClient(session, str(server.make_url("")), token)
        with pytest.raises(EngineUnavailable):
            await engine.send("web:abc", "안녕하세요")
    assert len(seen) == 1  # refused once, not retried
    assert "RASA_TOKEN" in caplog.text and (not token or token not in caplog.text)
