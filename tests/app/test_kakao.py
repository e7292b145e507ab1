"""Kakao skill webhook: payloads shaped like Kakao's documented examples, rejection paths too."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.kakao import skill_response
from bot.replies import Button, Card, Reply
from tests.app.conftest import make_settings
from tests.app.fake_engine import DELAY, SENDERS

FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "kakao"
SECRET = "kakao-skill-secret"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def check_limits(body: dict[str, Any]) -> None:
    """Kakao's documented limits (fixtures README §5)."""
    assert body["version"] == "2.0"
    outputs = body["template"]["outputs"]
    assert 1 <= len(outputs) <= 3
    for output in outputs:
        if "simpleText" in output:
            assert 1 <= len(output["simpleText"]["text"]) <= 1000
        if "listCard" in output:
            card = output["listCard"]
            assert len(card["items"]) <= 5 and len(card["buttons"]) <= 2
            assert all(len(b["label"]) <= 14 for b in card["buttons"])
    quick = body["template"].get("quickReplies", [])
    assert len(quick) <= 10
    assert all(
        len(q["label"]) <= 14 and q["action"] == "message" and q["messageText"] for q in quick
    )


@pytest.fixture
async def kakao(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> AsyncIterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        kakao_skill_secret=SECRET,
        ieum_engine_timeout=10.0,
    )
    yield await aiohttp_client(create_app(settings))


HEADERS = {"X-Skill-Secret": SECRET}


@pytest.mark.parametrize("name", ["request_text.json", "request_quickreply_message.json"])
async def test_documented_requests_get_version_2_answers(
    kakao: TestClient, fake_engine: TestServer, name: str
) -> None:
    payload = fixture(name)
    resp = await kakao.post("/webhooks/kakao", json=payload, headers=HEADERS)
    assert resp.status == 200
    body = await resp.json()
    check_limits(body)
    texts = [o["simpleText"]["text"] for o in body["template"]["outputs"] if "simpleText" in o]
    assert texts[0] == f"받은 말: {payload['userRequest']['utterance']}"
    assert fake_engine.app[SENDERS][-1] == f"kakao:{payload['userRequest']['user']['id']}"
    card = next(o["listCard"] for o in body["template"]["outputs"] if "listCard" in o)
    assert card["buttons"][0] == {"label": "전화하기", "action": "phone", "phoneNumber": "1350"}
    assert body["template"]["quickReplies"][0]["extra"] == {"payload": "/help"}


async def test_quick_reply_extra_payload_acts_as_the_button(
    kakao: TestClient, fake_engine: TestServer
) -> None:
    payload = fixture("request_quickreply_extra.json")  # someone else's extra: utterance is used
    resp = await kakao.post("/webhooks/kakao", json=payload, headers=HEADERS)
    assert (await resp.json())["template"]["outputs"][0]["simpleText"][
        "text"
    ] == "받은 말: 이력서 첨삭 받고 싶어요"
    payload["action"]["clientExtra"] = {"payload": "/find_center"}  # our own quick reply
    resp = await kakao.post("/webhooks/kakao", json=payload, headers=HEADERS)
    assert (await resp.json())["template"]["outputs"][0]["simpleText"][
        "text"
    ] == "받은 말: /find_center"


async def test_slow_engine_uses_the_callback(
    aiohttp_client, fake_engine: TestServer, aiohttp_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    received: list[dict[str, Any]] = []
    arrived = asyncio.Event()

    async def callback(request: web.Request) -> web.Response:
        received.append(await request.json())
        arrived.set()
        return web.json_response(
            {"taskId": "t", "status": "SUCCESS", "message": "", "timestamp": 0}
        )

    fake_kakao = web.Application()
    fake_kakao.router.add_post("/callback/{token}", callback)
    server = await aiohttp_server(fake_kakao, ssl=None)
    payload = fixture("request_callback.json")
    # never POST to Kakao from tests: the callback goes to a local plain-HTTP stand-in
    payload["userRequest"]["callbackUrl"] = str(server.make_url("/callback/abc"))
    fake_engine.app[DELAY][0] = 4.0
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        kakao_skill_secret=SECRET,
        kakao_callback_hosts=f"http://127.0.0.1:{server.port}",  # the stand-in's origin
        ieum_engine_timeout=10.0,
    )
    kakao = await aiohttp_client(create_app(settings))
    started = asyncio.get_running_loop().time()
    resp = await kakao.post("/webhooks/kakao", json=payload, headers=HEADERS)
    elapsed = asyncio.get_running_loop().time() - started
    body = await resp.json()
    assert elapsed < 5.0
    assert body == {
        "version": "2.0",
        "useCallback": True,
        "data": {"text": "답변을 준비하고 있어요. 잠시만 기다려 주세요."},
    }
    await asyncio.wait_for(arrived.wait(), 10)
    check_limits(received[0])
    assert received[0]["template"]["outputs"][0]["simpleText"]["text"].startswith(
        "받은 말: 신입 개발자"
    )


async def test_slow_engine_without_callback_apologizes_in_time(
    kakao: TestClient, fake_engine: TestServer
) -> None:
    fake_engine.app[DELAY][0] = 6.0
    started = asyncio.get_running_loop().time()
    resp = await kakao.post("/webhooks/kakao", json=fixture("request_text.json"), headers=HEADERS)
    assert asyncio.get_running_loop().time() - started < 5.0
    body = await resp.json()
    check_limits(body)
    assert "1350" in body["template"]["outputs"][0]["simpleText"]["text"]


@pytest.mark.parametrize("headers", [{}, {"X-Skill-Secret": "wrong"}])
async def test_wrong_secret_is_403(kakao: TestClient, headers: dict[str, str]) -> None:
    resp = await kakao.post("/webhooks/kakao", json=fixture("request_text.json"), headers=headers)
    assert resp.status == 403


def _broken(path: list[str], value: Any) -> dict[str, Any]:
    payload = copy.deepcopy(fixture("request_text.json"))
    target = payload
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


@pytest.mark.parametrize(
    "body, field",
    [(_broken(["userRequest"], KeyError), "userRequest"), (_broken(["userRequest", "user", "id"], 5), "userRequest.user.id"),
     (_broken(["userRequest", "user", "id"], "x" * 71), "userRequest.user.id"),
     (_broken(["userRequest", "utterance"], None), "userRequest.utterance"), ([1, 2], None)],
)  # fmt: skip
async def test_malformed_payloads_are_400(kakao: TestClient, body: Any, field: str | None) -> None:
    resp = await kakao.post("/webhooks/kakao", json=body, headers=HEADERS)
    assert resp.status == 400
    assert (await resp.json()).get("field") == field


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff\xfe", b"null", b'"text"'])
async def test_broken_json_is_400(kakao: TestClient, raw: bytes) -> None:
    resp = await kakao.post(
        "/webhooks/kakao", data=raw, headers=HEADERS | {"Content-Type": "application/json"}
    )
    assert resp.status == 400


def test_rendering_respects_limits() -> None:
    many = [Reply("가" * 900) for _ in range(5)] + [
        Reply(f"센터 {i}", card=Card(f"센터 {i}", address="서울", phone=f"02-000-000{i}"))
        for i in range(7)
    ]
    many[0].buttons.extend(
        Button(f"아주 긴 버튼 이름 번호 {i}번입니다", f'/inform{{"n":{i}}}') for i in range(12)
    )
    body = skill_response(many)
    check_limits(body)
    assert body["template"]["quickReplies"][0]["messageText"] == "아주 긴 버튼 이름 번호 0번입니다"
    assert body["template"]["quickReplies"][0]["label"].endswith("…")


async def test_one_kakao_user_writing_too_fast_is_told_to_wait(
    aiohttp_client, fake_engine: TestServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"), ieum_rate_limit_user="2/60"
    )
    client = await aiohttp_client(create_app(settings))
    payload = fixture("request_text.json")
    texts = []
    for _ in range(3):
        resp = await client.post("/webhooks/kakao", json=payload)
        assert resp.status == 200  # Kakao shows an error for anything else
        texts.append((await resp.json())["template"]["outputs"][0]["simpleText"]["text"])
    assert texts[0].startswith("받은 말") and "너무 빨리" in texts[2]
    other = fixture("request_quickreply_message.json")  # another user is not affected
    resp = await client.post("/webhooks/kakao", json=other)
    assert "너무 빨리" not in str(await resp.json())
