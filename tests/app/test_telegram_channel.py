"""Telegram: real python-telegram-bot inside the app, against a fake Bot API over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.keys import TELEGRAM_KEY
from bot.replies import Button, Card, Reply
from bot.settings import Settings
from bot.telegram_channel import PayloadCodes, render, split_text
from tests.app.conftest import make_settings
from tests.app.fake_engine import SENDERS
from tests.fake_telegram import STATE, FakeTelegramState, create_fake_telegram


async def wait_for(predicate) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(10):
        while not predicate():  # noqa: ASYNC110 - polling state another server writes
            await asyncio.sleep(0.05)


def telegram_settings(
    tmp_path: Path, fake_engine: TestServer, fake_tg: TestServer, **overrides: object
) -> Settings:
    """The app pointed at the fake engine and the fake Bot API."""
    return make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        telegram_bot_token=fake_tg.app[STATE].token,
        telegram_api_base=str(fake_tg.make_url("/bot")),
        **overrides,
    )


@pytest.fixture
async def fake_tg(aiohttp_server) -> TestServer:  # type: ignore[no-untyped-def]
    return await aiohttp_server(create_fake_telegram())


@pytest.fixture
async def polling_app(
    aiohttp_client, fake_engine: TestServer, fake_tg: TestServer, tmp_path: Path
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = telegram_settings(tmp_path, fake_engine, fake_tg)
    client = await aiohttp_client(create_app(settings))
    await asyncio.wait_for(client.server.app[TELEGRAM_KEY].ready.wait(), 10)
    yield client


def test_split_long_text_within_limit() -> None:
    text = "\n".join(["가" * 1000] * 9)
    pieces = split_text(text)
    assert all(len(p) <= 4096 for p in pieces) and "".join(pieces).count("가") == 9000
    assert split_text("짧은 글") == ["짧은 글"]
    assert all(len(p) <= 4096 for p in split_text("나" * 10000))


def test_long_payloads_travel_as_short_codes() -> None:
    codes = PayloadCodes()
    long_payload = '/ask_program_info{"program":"national_employment_support","aspect":"비용"}'
    assert len(long_payload.encode()) > 64
    code = codes.encode(long_payload)
    assert len(code.encode()) <= 64 and codes.decode(code) == long_payload
    assert codes.encode("/help") == "/help" and codes.decode("/help") == "/help"
    assert codes.decode("~deadbeefdeadbeef") is None


def test_render_buttons_and_card() -> None:
    reply = Reply(
        "센터예요",
        [Button("상담 예약", "/book_appointment")],
        Card("관악센터", phone="02-123-4567"),
    )
    ((text, markup),) = render([reply], PayloadCodes())
    assert "02-123-4567" in text
    assert markup.inline_keyboard[0][0].callback_data == "/book_appointment"


async def test_start_text_and_buttons_through_long_polling(
    polling_app: TestClient, fake_tg: TestServer, fake_engine: TestServer
) -> None:
    state: FakeTelegramState = fake_tg.app[STATE]
    await state.updates.put(state.text_update(501, "/start"))
    await wait_for(lambda: len(state.sent) >= 2)
    assert fake_engine.app[SENDERS][-1] == "telegram:501"
    first = state.sent[0]
    assert first["chat_id"] == 501 and first["text"] == "받은 말: /greet"
    assert first["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "/help"
    assert "1350" in state.sent[1]["text"]  # the card's plain text
    assert any(a.get("action") == "typing" for a in state.chat_actions)

    await state.updates.put(state.text_update(501, "상담 예약하고 싶어요"))
    await wait_for(lambda: len(state.sent) >= 4)
    assert state.sent[2]["text"] == "받은 말: 상담 예약하고 싶어요"

    await state.updates.put(state.callback_update(501, "/help"))
    await wait_for(lambda: len(state.sent) >= 6)
    assert state.answered_callbacks and state.sent[4]["text"] == "받은 말: /help"

    await state.updates.put(state.text_update(501, "/cancel"))
    await wait_for(lambda: len(state.sent) >= 8)
    assert state.sent[6]["text"] == "받은 말: /restart"


async def test_stale_short_code_gets_a_clear_answer(
    polling_app: TestClient, fake_tg: TestServer
) -> None:
    state: FakeTelegramState = fake_tg.app[STATE]
    await state.updates.put(state.callback_update(502, "~0123456789abcdef"))
    await wait_for(lambda: len(state.sent) >= 1)
    assert "오래되어" in state.sent[0]["text"]


@pytest.fixture
async def webhook_app(
    aiohttp_client, fake_engine: TestServer, fake_tg: TestServer, tmp_path: Path
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = telegram_settings(
        tmp_path,
        fake_engine,
        fake_tg,
        telegram_webhook_url="https://ieum.example.com/webhooks/telegram",
        telegram_secret_token="s3cret-token",
    )
    client = await aiohttp_client(create_app(settings))
    await asyncio.wait_for(client.server.app[TELEGRAM_KEY].ready.wait(), 10)
    yield client


async def test_webhook_checks_secret_and_payload(
    webhook_app: TestClient, fake_tg: TestServer
) -> None:
    state: FakeTelegramState = fake_tg.app[STATE]
    assert state.webhook["url"] == "https://ieum.example.com/webhooks/telegram"
    assert state.webhook["secret_token"] == "s3cret-token"
    update = state.text_update(601, "안녕하세요")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        resp = await webhook_app.post("/webhooks/telegram", json=update, headers=headers)
        assert resp.status == 403
    good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
    for body in (b"{", b"[1,2]", b'{"update_id": "x"}', "\ud800".encode("utf-8", "surrogatepass")):
        resp = await webhook_app.post("/webhooks/telegram", data=body, headers=good)
        assert 400 <= resp.status < 500
    resp = await webhook_app.post("/webhooks/telegram", json=update, headers=good)
    assert resp.status == 200
    await wait_for(lambda: len(state.sent) >= 1)
    assert state.sent[0]["chat_id"] == 601 and state.sent[0]["text"] == "받은 말: 안녕하세요"
    assert "getUpdates" not in state.calls


async def test_webhook_without_telegram_configured_is_404(client: TestClient) -> None:
    resp = await client.post("/webhooks/telegram", json={"update_id": 1})
    assert resp.status == 404


async def test_app_serves_while_telegram_is_unreachable(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        telegram_bot_token="123:TEST",
        telegram_api_base=f"http://127.0.0.1:{port}/bot",
    )
    client = await aiohttp_client(create_app(settings))
    resp = await client.post("/api/messages", json={"user_id": "u", "text": "안녕하세요"})
    assert resp.status == 200  # the web chat does not wait for Telegram
    assert not client.server.app[TELEGRAM_KEY].ready.is_set()


async def test_one_telegram_chat_writing_too_fast_is_told_to_wait(
    aiohttp_client, fake_engine: TestServer, fake_tg: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    state: FakeTelegramState = fake_tg.app[STATE]
    settings = telegram_settings(
        tmp_path,
        fake_engine,
        fake_tg,
        ieum_rate_limit_user="1/60",
    )
    client = await aiohttp_client(create_app(settings))
    await asyncio.wait_for(client.server.app[TELEGRAM_KEY].ready.wait(), 10)
    await state.updates.put(state.text_update(901, "안녕하세요"))
    await wait_for(lambda: len(state.sent) >= 2)
    await state.updates.put(state.text_update(901, "또 안녕하세요"))
    await wait_for(lambda: any("너무 빨리" in m["text"] for m in state.sent))
    assert fake_engine.app[SENDERS].count("telegram:901") == 1
