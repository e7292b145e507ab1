from __future__ import annotations

import socket
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from tests.app.fake_engine import create_fake_engine


def closed_port() -> int:
    """A local port nothing listens on (the engine is 'down')."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "ieum_var_dir": tmp_path,
        "rasa_url": f"http://127.0.0.1:{closed_port()}",
        "rasa_token": "engine-token",
        "ieum_actions_port": closed_port(),
        "ieum_engine_timeout": 2.0,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
async def fake_engine(aiohttp_server) -> TestServer:  # type: ignore[no-untyped-def]
    return await aiohttp_server(create_fake_engine())


@pytest.fixture
async def client(aiohttp_client, fake_engine: TestServer, tmp_path: Path) -> TestClient:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, rasa_url=str(fake_engine.make_url("")).rstrip("/"))
    return await aiohttp_client(create_app(settings))


@pytest.fixture
async def client_engine_down(aiohttp_client, tmp_path: Path) -> TestClient:  # type: ignore[no-untyped-def]
    return await aiohttp_client(create_app(make_settings(tmp_path)))
