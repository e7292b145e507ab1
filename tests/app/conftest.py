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
        "ieum_engine_workers": 1,  # one fake engine server (worker routing: test_engine_workers)
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


# ── databases: SQLite always, PostgreSQL when IEUM_TEST_POSTGRES_URL is set ─────────────

import os  # noqa: E402
import uuid  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from knowledge.db import make_engine, normalize_url  # noqa: E402
from knowledge.migrate import upgrade_database  # noqa: E402


async def _postgres_engine() -> AsyncIterator[AsyncEngine]:
    url = os.environ.get("IEUM_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("IEUM_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"ieum_test_{uuid.uuid4().hex[:12]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = normalize_url(url).rsplit("/", 1)[0]
    engine = make_engine(f"{base}/{name}")
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
async def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        await upgrade_database(engine)
        yield engine
        await engine.dispose()
    else:
        async for engine in _postgres_engine():
            await upgrade_database(engine)
            yield engine


# ── the real KB in a SQLite catalog, and action dependencies with a fixed clock ──────────

import datetime as dt  # noqa: E402

from actions.deps import SEOUL, ActionDeps  # noqa: E402
from knowledge.appointments import Appointments  # noqa: E402
from knowledge.catalog_store import Catalog, load_into_db  # noqa: E402
from knowledge.db import make_sessionmaker  # noqa: E402
from knowledge.events import EventDesk  # noqa: E402
from knowledge.kb_files import DEFAULT_KB_DIR, load_kb  # noqa: E402
from knowledge.personal_data import PersonalData  # noqa: E402
from knowledge.subscriptions import Subscriptions  # noqa: E402
from knowledge.when import QuietHours  # noqa: E402

FIXED_NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)


@pytest.fixture(scope="session")
def kb():  # type: ignore[no-untyped-def]
    return load_kb(DEFAULT_KB_DIR)


@pytest.fixture
async def deps(kb, tmp_path: Path) -> AsyncIterator[ActionDeps]:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}")
    await upgrade_database(engine)
    sessions = make_sessionmaker(engine)
    await load_into_db(sessions, kb)
    yield ActionDeps(
        Catalog(sessions),
        kb.districts,
        Appointments(sessions, QuietHours()),
        Subscriptions(sessions),
        PersonalData(sessions),
        EventDesk(sessions, QuietHours()),
        now=lambda: FIXED_NOW,
    )
    await engine.dispose()
