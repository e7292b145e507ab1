"""Kakao callbacks are no SSRF path: secret required, allowed hosts only, no redirects followed,
a pool of their own; and the webhook is limited per client address.

Local aiohttp servers stand in for Kakao's callback host and for an internal address an
attacker would like us to reach; each records every hit it gets.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

import bot.kakao as kakao_module
from bot.app import create_app
from bot.kakao_callback import (
    CALLBACK_SESSION_KEY,
    POOL_SIZE,
    Origin,
    allowed_callback,
    parse_allowed,
)
from bot.keys import HTTP_SESSION_KEY
from tests.app.conftest import make_settings
from tests.app.fake_engine import DELAY

FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "kakao"
SECRET = "kakao-skill-secret"
HEADERS = {"X-Skill-Secret": SECRET}
KAKAO = parse_allowed("bot-api.kakao.com")


def callback_request(url: str) -> dict[str, Any]:
    payload = json.loads((FIXTURES / "request_callback.json").read_text(encoding="utf-8"))
    payload["userRequest"]["callbackUrl"] = url
    return payload


class Recorder:
    """A local HTTP server that notes every request; `redirect_to` makes it answer 307."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.hit = asyncio.Event()
        self.redirect_to: str | None = None

    async def handle(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        self.hit.set()
        if self.redirect_to:
            raise web.HTTPTemporaryRedirect(self.redirect_to)
        return web.json_response({"status": "SUCCESS"})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app


@pytest.fixture
async def kakao_host(aiohttp_server) -> tuple[Recorder, TestServer]:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    return recorder, await aiohttp_server(recorder.app())


@pytest.fixture
async def internal(aiohttp_server) -> tuple[Recorder, TestServer]:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    return recorder, await aiohttp_server(recorder.app())


@pytest.fixture
def fast_timeout(monkeypatch: pytest.MonkeyPatch, fake_engine: TestServer) -> None:
    """The engine takes 0.6 s and we wait 0.2 s for it: the callback path, without 4 s waits."""
    monkeypatch.setattr(kakao_module, "ANSWER_WITHIN", 0.2)
    fake_engine.app[DELAY][0] = 0.6


async def make_client(aiohttp_client, fake_engine, tmp_path, **overrides) -> TestClient:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"), **overrides
    )
    return await aiohttp_client(create_app(settings))


def origin_of(server: TestServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def test_allowed_host_gets_the_answer(
    aiohttp_client, fake_engine, tmp_path, kakao_host, fast_timeout
) -> None:  # type: ignore[no-untyped-def]
    recorder, server = kakao_host
    client = await make_client(
        aiohttp_client, fake_engine, tmp_path,
        kakao_skill_secret=SECRET, kakao_callback_hosts=origin_of(server),
    )  # fmt: skip
    resp = await client.post(
        "/webhooks/kakao", json=callback_request(f"{origin_of(server)}/cb/1"), headers=HEADERS
    )
    assert (await resp.json())["useCallback"] is True
    await asyncio.wait_for(recorder.hit.wait(), 5)
    assert recorder.hits == ["/cb/1"]


async def test_callback_outside_the_allow_list_is_never_fetched(
    aiohttp_client, fake_engine, tmp_path, kakao_host, internal, fast_timeout
) -> None:  # type: ignore[no-untyped-def]
    allowed, allowed_server = kakao_host
    target, target_server = internal
    client = await make_client(
        aiohttp_client, fake_engine, tmp_path,
        kakao_skill_secret=SECRET, kakao_callback_hosts=origin_of(allowed_server),
    )  # fmt: skip
    url = f"{origin_of(target_server)}/internal/admin"
    resp = await client.post("/webhooks/kakao", json=callback_request(url), headers=HEADERS)
    body = await resp.json()
    assert resp.status == 200 and "useCallback" not in body
    assert "1350" in body["template"]["outputs"][0]["simpleText"]["text"]  # today's apology
    await asyncio.sleep(1.0)  # the engine's answer is in by now: nothing may follow it
    assert target.hits == [] and allowed.hits == []


async def test_redirect_from_an_allowed_host_is_not_followed(
    aiohttp_client, fake_engine, tmp_path, kakao_host, internal, fast_timeout
) -> None:  # type: ignore[no-untyped-def]
    allowed, allowed_server = kakao_host
    target, target_server = internal
    allowed.redirect_to = f"{origin_of(target_server)}/internal/secret"
    client = await make_client(
        aiohttp_client, fake_engine, tmp_path,
        kakao_skill_secret=SECRET, kakao_callback_hosts=origin_of(allowed_server),
    )  # fmt: skip
    resp = await client.post(
        "/webhooks/kakao", json=callback_request(f"{origin_of(allowed_server)}/cb/2"),
        headers=HEADERS,
    )  # fmt: skip
    assert (await resp.json())["useCallback"] is True
    await asyncio.wait_for(allowed.hit.wait(), 5)
    await asyncio.sleep(0.5)
    assert allowed.hits == ["/cb/2"]
    assert target.hits == []  # the redirect target is never fetched


async def test_without_the_secret_no_callback_is_used(
    aiohttp_client, fake_engine, tmp_path, kakao_host, fast_timeout
) -> None:  # type: ignore[no-untyped-def]
    recorder, server = kakao_host
    client = await make_client(
        aiohttp_client, fake_engine, tmp_path, kakao_callback_hosts=origin_of(server)
    )
    resp = await client.post("/webhooks/kakao", json=callback_request(f"{origin_of(server)}/cb"))
    body = await resp.json()
    assert resp.status == 200 and "useCallback" not in body
    assert "1350" in body["template"]["outputs"][0]["simpleText"]["text"]
    await asyncio.sleep(1.0)
    assert recorder.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "https://bot-api.kakao.com/v1/bots/6bf4/callback/7e2K",
        "https://BOT-API.kakao.com:443/v1/bots/6bf4/callback/7e2K",
        "https://bot-api.kakao.com./v1/bots/6bf4/callback/7e2K",
    ],
)
def test_kakao_callback_urls_are_allowed(url: str) -> None:
    assert allowed_callback(url, KAKAO)


@pytest.mark.parametrize(
    "url",
    [
        "http://bot-api.kakao.com/v1/bots/6bf4/callback/7e2K",  # not https
        "https://bot-api.kakao.com:8443/v1/callback",  # another port
        "https://bot-api.kakao.com.evil.example/v1/callback",  # a look-alike host
        "https://bot-api.kakao.com@169.254.169.254/latest/meta-data",  # credentials trick
        "https://user:pw@bot-api.kakao.com/v1/callback",
        "https://evil.example/?next=https://bot-api.kakao.com/",
        "https://127.0.0.1/v1/callback",
        "https://[::1]/v1/callback",
        "https://kakao.com/v1/callback",
        "file:///etc/passwd",
        "https://bot-api.kakao.com:notaport/",
        "https://bot-api.kakao.com/v1/\n콜백",
        "https://bot-api.kakao.com/" + "a" * 3000,
        "",
    ],
)
def test_other_callback_urls_are_refused(url: str) -> None:
    assert not allowed_callback(url, KAKAO)


def test_allow_list_entries() -> None:
    assert parse_allowed(" bot-api.kakao.com , http://127.0.0.1:8081 ") == {
        Origin("https", "bot-api.kakao.com", 443),
        Origin("http", "127.0.0.1", 8081),
    }
    for bad in ("ftp://bot-api.kakao.com", "https://bot-api.kakao.com/path", "https://u@x.kr"):
        with pytest.raises(ValueError, match="KAKAO_CALLBACK_HOSTS"):
            parse_allowed(bad)


def test_a_bad_allow_list_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="KAKAO_CALLBACK_HOSTS"):
        create_app(make_settings(tmp_path, kakao_callback_hosts="ftp://bot-api.kakao.com"))


async def test_callbacks_use_their_own_small_pool(aiohttp_client, fake_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/")))
    assert CALLBACK_SESSION_KEY not in app  # nothing is created when the app is built
    client = await aiohttp_client(app)
    callbacks = client.server.app[CALLBACK_SESSION_KEY]
    assert callbacks is not client.server.app[HTTP_SESSION_KEY]
    assert callbacks.connector is not None and callbacks.connector.limit == POOL_SIZE
    assert callbacks.timeout.total is not None and callbacks.timeout.total <= 5


# ── per-address limit on the webhook ───────────────────────────────────────────────────


async def test_kakao_webhook_is_limited_per_address(aiohttp_client, fake_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    client = await make_client(
        aiohttp_client, fake_engine, tmp_path,
        ieum_rate_limit_kakao_ip="3/60", ieum_trusted_proxies="127.0.0.1",
    )  # fmt: skip
    payload = json.loads((FIXTURES / "request_text.json").read_text(encoding="utf-8"))
    first = {"X-Forwarded-For": "203.0.113.10"}
    for _ in range(3):
        assert (await client.post("/webhooks/kakao", json=payload, headers=first)).status == 200
    resp = await client.post("/webhooks/kakao", json=payload, headers=first)
    assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0
    assert "너무 빨리" in (await resp.json())["error"]
    other = {"X-Forwarded-For": "203.0.113.11"}  # another client behind the same proxy
    assert (await client.post("/webhooks/kakao", json=payload, headers=other)).status == 200
