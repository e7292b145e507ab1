from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from tests.app.conftest import make_settings


async def test_healthz_is_503_when_engine_and_actions_are_down(
    client_engine_down: TestClient,
) -> None:
    resp = await client_engine_down.get("/healthz")
    assert resp.status == 503
    assert (await resp.json()) == {
        "status": "unavailable",
        "engine": "unavailable",
        "actions": "unavailable",
    }


async def test_healthz_ok_when_both_answer(
    aiohttp_client,
    aiohttp_server,
    fake_engine: TestServer,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    async def ok(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    actions = web.Application()
    actions.router.add_get("/health", ok)
    actions_server = await aiohttp_server(actions)
    settings = make_settings(
        tmp_path,
        rasa_url=str(fake_engine.make_url("")).rstrip("/"),
        ieum_actions_port=actions_server.port,
    )
    client = await aiohttp_client(create_app(settings))
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["status"] == "ok"


async def test_healthz_needs_the_engine_token(
    aiohttp_client,
    fake_engine: TestServer,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    settings = make_settings(
        tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"), rasa_token="wrong"
    )
    client = await aiohttp_client(create_app(settings))
    assert (await client.get("/healthz")).status == 503
