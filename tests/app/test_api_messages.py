"""`POST /api/messages` exactly as DESIGN specifies, every rejection path included."""

from __future__ import annotations

import json
import time

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.app.fake_engine import DELAY, SENDERS


async def test_reply_has_text_buttons_and_card(client: TestClient, fake_engine: TestServer) -> None:
    resp = await client.post("/api/messages", json={"user_id": "abc-123", "text": "안녕하세요"})
    assert resp.status == 200
    body = await resp.json()
    first, second = body["replies"]
    assert first == {
        "text": "받은 말: 안녕하세요",
        "buttons": [{"title": "도움말", "payload": "/help"}],
    }
    assert second["card"] == {"title": "고용노동부 고객상담센터", "phone": "1350"}
    assert "1350" in second["text"]  # text is always the plain version of the card
    assert fake_engine.app[SENDERS] == ["web:abc-123"]


async def test_button_payload_is_passed_through(
    client: TestClient, fake_engine: TestServer
) -> None:
    resp = await client.post("/api/messages", json={"user_id": "u", "text": "/help"})
    assert resp.status == 200
    assert (await resp.json())["replies"][0]["text"] == "받은 말: /help"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": "안녕"}, "user_id"),
        ({"user_id": "", "text": "안녕"}, "user_id"),
        ({"user_id": "x" * 65, "text": "안녕"}, "user_id"),
        ({"user_id": 123, "text": "안녕"}, "user_id"),
        ({"user_id": "u"}, "text"),
        ({"user_id": "u", "text": ""}, "text"),
        ({"user_id": "u", "text": "   \n "}, "text"),
        ({"user_id": "u", "text": "가" * 2001}, "text"),
        ({"user_id": "u", "text": ["안녕"]}, "text"),
        ({"user_id": "u", "text": None}, "text"),
    ],
)
async def test_bad_fields_get_400_naming_the_field(
    client: TestClient, fake_engine: TestServer, body: dict, field: str
) -> None:
    resp = await client.post("/api/messages", json=body)
    assert resp.status == 400
    data = await resp.json()
    assert data["field"] == field
    assert data["error"]
    assert fake_engine.app[SENDERS] == []


async def test_limits_are_inclusive(client: TestClient) -> None:
    resp = await client.post("/api/messages", json={"user_id": "x" * 64, "text": "가" * 2000})
    assert resp.status == 200


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe\x00binary", b"null", b"[" * 5000],
)
async def test_malformed_bodies_get_400(client: TestClient, raw: bytes) -> None:
    resp = await client.post(
        "/api/messages", data=raw, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    assert "error" in await resp.json()


async def test_body_over_16_kib_gets_413(client: TestClient) -> None:
    body = json.dumps({"user_id": "u", "text": "a" * (17 * 1024)})
    resp = await client.post("/api/messages", data=body)
    assert resp.status == 413
    assert "KiB" in (await resp.json())["error"]


async def test_chunked_body_over_limit_gets_413(client: TestClient) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b" " * 1024

    resp = await client.post("/api/messages", data=chunks())
    assert resp.status == 413


async def test_emoji_only_and_control_characters_are_answered(client: TestClient) -> None:
    for text in ["😀😀😀", "안녕\x00하세요\x07"]:
        resp = await client.post("/api/messages", json={"user_id": "u", "text": text})
        assert resp.status == 200
    body = await resp.json()
    assert "\x00" not in body["replies"][0]["text"]


async def test_engine_down_gets_503_with_apology_quickly(client_engine_down: TestClient) -> None:
    started = time.monotonic()
    resp = await client_engine_down.post("/api/messages", json={"user_id": "u", "text": "안녕"})
    assert time.monotonic() - started < 2.0
    assert resp.status == 503
    body = await resp.json()
    assert "1350" in body["replies"][0]["text"]
    assert body["replies"][0]["text"].startswith("죄송합니다")


async def test_engine_too_slow_gets_503(client: TestClient, fake_engine: TestServer) -> None:
    fake_engine.app[DELAY][0] = 3.0  # the client's timeout is 2 s in these tests
    resp = await client.post("/api/messages", json={"user_id": "u", "text": "안녕"})
    assert resp.status == 503


async def test_wrong_method_and_unknown_path_are_json_4xx(client: TestClient) -> None:
    resp = await client.get("/api/messages")
    assert resp.status == 405
    resp = await client.post("/api/nothing", json={})
    assert resp.status == 404


async def test_index_page_is_korean_and_large(client: TestClient) -> None:
    resp = await client.get("/")
    assert resp.status == 200
    html = await resp.text()
    assert '<html lang="ko">' in html
    css = await (await client.get("/static/style.css")).text()
    assert "font-size: 20px" in css
